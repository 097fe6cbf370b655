// A bucket's notification configuration (PUT/GET ?notification): parsing the SDK shape into
// targets, AWS's checks (ARNs, event names, filter rules, overlaps) and event matching (§4.2, §4.3).
import { randomUUID } from 'node:crypto'
import { s3Errors } from './errors.ts'
import type * as T from './generated/types.ts'

export type DestinationKind = 'queue' | 'topic' | 'lambda'

export interface NotificationTarget {
  readonly id: string
  readonly kind: DestinationKind
  readonly arn: string
  /** As configured, `s3:` prefix and wildcards included. */
  readonly events: readonly string[]
  readonly prefix: string | undefined
  readonly suffix: string | undefined
}

export interface BucketNotifications {
  readonly targets: readonly NotificationTarget[]
  /** `<EventBridgeConfiguration/>`: every event goes to the default bus, unfiltered. */
  readonly eventBridge: boolean
}

export const noNotifications: BucketNotifications = { targets: [], eventBridge: false }

/** Every event type the model names, plus the 2026 annotation events (§4.1). */
const eventTypes = new Set<string>([
  's3:ReducedRedundancyLostObject', 's3:LifecycleTransition', 's3:IntelligentTiering', 's3:ObjectAcl:Put',
  ...['Put', 'Post', 'Copy', 'CompleteMultipartUpload', '*'].map((e) => `s3:ObjectCreated:${e}`),
  ...['Delete', 'DeleteMarkerCreated', '*'].map((e) => `s3:ObjectRemoved:${e}`),
  ...['Post', 'Completed', 'Delete', '*'].map((e) => `s3:ObjectRestore:${e}`),
  ...['OperationFailedReplication', 'OperationNotTracked', 'OperationMissedThreshold', 'OperationReplicatedAfterThreshold', '*']
    .map((e) => `s3:Replication:${e}`),
  ...['Delete', 'DeleteMarkerCreated', '*'].map((e) => `s3:LifecycleExpiration:${e}`),
  ...['Put', 'Delete', '*'].map((e) => `s3:ObjectTagging:${e}`),
  ...['Put', 'Delete', '*'].map((e) => `s3:ObjectAnnotation:${e}`),
])

const kinds: ReadonlyArray<{ kind: DestinationKind; service: string; xmlName: string }> = [
  { kind: 'topic', service: 'sns', xmlName: 'Topic' },
  { kind: 'queue', service: 'sqs', xmlName: 'Queue' },
  { kind: 'lambda', service: 'lambda', xmlName: 'CloudFunction' },
]

type AnyConfiguration = { Id?: string; Events?: string[]; Filter?: T.NotificationConfigurationFilter }

/** The SDK shape → targets, with AWS's checks on each (everything but destination existence). */
export function parseNotifications(input: T.NotificationConfiguration | undefined): BucketNotifications {
  if (input === undefined) throw s3Errors.malformedXml()
  const lists: Array<[DestinationKind, Array<AnyConfiguration & { arn: string | undefined }>]> = [
    ['topic', (input.TopicConfigurations ?? []).map((c) => ({ ...c, arn: c.TopicArn }))],
    ['queue', (input.QueueConfigurations ?? []).map((c) => ({ ...c, arn: c.QueueArn }))],
    ['lambda', (input.LambdaFunctionConfigurations ?? []).map((c) => ({ ...c, arn: c.LambdaFunctionArn }))],
  ]
  const targets = lists.flatMap(([kind, configs]) => configs.map((c) => target(kind, c)))
  checkOverlaps(targets)
  return { targets, eventBridge: input.EventBridgeConfiguration !== undefined }
}

function target(kind: DestinationKind, config: AnyConfiguration & { arn: string | undefined }): NotificationTarget {
  const { service, xmlName } = kinds.find((k) => k.kind === kind)!
  if (config.arn === undefined || config.Events === undefined || config.Events.length === 0) throw s3Errors.malformedXml()
  // AWS parses the ARN even when destination validation is skipped.
  if (!new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:[^:\\s]+(:[^:\\s]+)?$`).test(config.arn)) {
    throw s3Errors.invalidArgument('The ARN could not be parsed', xmlName, config.arn)
  }
  for (const event of config.Events) {
    if (!eventTypes.has(event)) throw s3Errors.invalidArgument('The event is not supported for notifications', 'Event', event)
  }
  const { prefix, suffix } = filterOf(config.Filter)
  // AWS generates an Id when none is given: base64 of a UUID [R].
  const id = config.Id === undefined || config.Id === '' ? Buffer.from(randomUUID()).toString('base64') : config.Id
  return { id, kind, arn: config.arn, events: [...new Set(config.Events)], prefix, suffix }
}

/** FilterRule names are case-insensitive; at most one of each; values ≤ 1,024 bytes. */
function filterOf(filter: T.NotificationConfigurationFilter | undefined): { prefix?: string; suffix?: string } {
  const out: { prefix?: string; suffix?: string } = {}
  for (const rule of filter?.Key?.FilterRules ?? []) {
    if (rule.Name === undefined || rule.Value === undefined) throw s3Errors.malformedXml()
    const name = String(rule.Name).toLowerCase()
    if (name !== 'prefix' && name !== 'suffix') {
      throw s3Errors.invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', String(rule.Name))
    }
    if (out[name] !== undefined) throw s3Errors.invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule.Name', name)
    if (Buffer.byteLength(rule.Value) > 1024) {
      throw s3Errors.invalidArgument('Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation', 'FilterRule.Value', rule.Value)
    }
    out[name] = rule.Value
  }
  return out
}

/** Two event types intersect when equal or when one is the other's `…:*` family. */
function eventsIntersect(a: readonly string[], b: readonly string[]): boolean {
  const covers = (x: string, y: string) => x === y || (x.endsWith(':*') && y.startsWith(x.slice(0, -1)))
  return a.some((x) => b.some((y) => covers(x, y) || covers(y, x)))
}

/**
 * AWS rejects two configurations (whatever their destinations) that share an event type and whose
 * filters could both match one key: prefixes overlap when one starts the other, suffixes when one
 * ends the other (an absent rule matches everything).
 */
function checkOverlaps(targets: readonly NotificationTarget[]): void {
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const a = targets[i]!
      const b = targets[j]!
      const p1 = a.prefix ?? ''
      const p2 = b.prefix ?? ''
      const s1 = a.suffix ?? ''
      const s2 = b.suffix ?? ''
      const prefixes = p1.startsWith(p2) || p2.startsWith(p1)
      const suffixes = s1.endsWith(s2) || s2.endsWith(s1)
      if (prefixes && suffixes && eventsIntersect(a.events, b.events)) {
        throw s3Errors.invalidArgument('Configurations overlap. Configurations on the same bucket cannot share a common event type.')
      }
    }
  }
}

/** Does this target want this event (`ObjectCreated:Put`) on this raw key? */
export function targetMatches(target: NotificationTarget, eventName: string, key: string): boolean {
  const full = `s3:${eventName}`
  const family = `${full.slice(0, full.lastIndexOf(':'))}:*`
  if (!target.events.some((e) => e === full || e === family)) return false
  return key.startsWith(target.prefix ?? '') && key.endsWith(target.suffix ?? '')
}

/** Targets → the SDK shape GET returns; filter rule names come back capitalised, as AWS does. */
export function notificationsOutput(config: BucketNotifications): T.NotificationConfiguration {
  const filter = (t: NotificationTarget): T.NotificationConfigurationFilter | undefined => {
    const rules: T.FilterRule[] = []
    if (t.prefix !== undefined) rules.push({ Name: 'Prefix' as T.FilterRuleName, Value: t.prefix })
    if (t.suffix !== undefined) rules.push({ Name: 'Suffix' as T.FilterRuleName, Value: t.suffix })
    return rules.length === 0 ? undefined : { Key: { FilterRules: rules } }
  }
  const of = (kind: DestinationKind) => config.targets.filter((t) => t.kind === kind)
  const nonEmpty = <V>(list: V[]) => (list.length === 0 ? undefined : list)
  const base = (t: NotificationTarget) => ({ Id: t.id, Events: t.events as T.Event[], Filter: filter(t) })
  return {
    TopicConfigurations: nonEmpty(of('topic').map((t) => ({ ...base(t), TopicArn: t.arn }))),
    QueueConfigurations: nonEmpty(of('queue').map((t) => ({ ...base(t), QueueArn: t.arn }))),
    LambdaFunctionConfigurations: nonEmpty(of('lambda').map((t) => ({ ...base(t), LambdaFunctionArn: t.arn }))),
    EventBridgeConfiguration: config.eventBridge ? {} : undefined,
  }
}
