// A subscription: where deliveries go, its filter policy, raw delivery and dead-letter queue.
import { parseArn } from '../../core/arn.ts'
import { type CompiledPattern, compilePattern, isPatternError, patternAwsError, snsAttributesToEvent } from '../../event-pattern/index.ts'
import { checkSubscriptionDeliveryPolicy, effectiveHttpPolicy, effectivePolicyDocument, type HttpDeliveryPolicy } from './delivery-policy.ts'
import { snsErrors } from './errors.ts'
import type { SnsMessageAttributes } from './port.ts'
import type { SnsRows } from './sns-rows.ts'

export const protocols = ['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose'] as const
export type Protocol = (typeof protocols)[number]

const settable = ['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy',
  'SubscriptionRoleArn', 'ReplayPolicy']
const rawCapable = new Set<Protocol>(['sqs', 'http', 'https', 'firehose'])

/**
 * What a subscription knows of its topic. Topic (topic.ts) satisfies it; an interface here keeps
 * the two files from importing each other.
 */
export interface SubscribedTopic {
  readonly arn: string
  readonly fifo: boolean
  readonly attributes: Record<string, string>
  readonly subscriptions: Map<string, Subscription>
  subscriptionsDeleted: number
}

export class Subscription {
  readonly arn: string
  readonly topic: SubscribedTopic
  readonly protocol: Protocol
  readonly endpoint: string
  readonly owner: string
  /** http/https/email/email-json: waiting for ConfirmSubscription (or a GET of the SubscribeURL). */
  pending: boolean
  /** Confirmed by a signed ConfirmSubscription call rather than an anonymous GET of the SubscribeURL. */
  confirmationWasAuthenticated: boolean
  readonly attributes: Record<string, string> = {}
  private filter: CompiledPattern | undefined
  private readonly rows: SnsRows | undefined

  constructor(arn: string, topic: SubscribedTopic, protocol: Protocol, endpoint: string, owner: string, pending: boolean, rows?: SnsRows) {
    this.arn = arn
    this.topic = topic
    this.protocol = protocol
    this.endpoint = endpoint
    this.owner = owner
    this.pending = pending
    this.confirmationWasAuthenticated = !pending
    this.rows = rows
  }

  /** Writes the subscription's row (data dir only). */
  save(): void {
    this.rows?.subscription(this)
  }

  /** At start: the state and attributes stored, validated when they were set (the filter is compiled again). */
  restore(state: { confirmationWasAuthenticated: boolean; authenticateOnUnsubscribe: boolean; attributes: Record<string, string> }): void {
    this.confirmationWasAuthenticated = state.confirmationWasAuthenticated
    this.authenticateOnUnsubscribe = state.authenticateOnUnsubscribe
    Object.assign(this.attributes, state.attributes)
    this.filter = compileFilter(this.attributes, false)
  }

  /** Set when confirmed with AuthenticateOnUnsubscribe=true: only signed Unsubscribe calls work. */
  authenticateOnUnsubscribe = false

  confirm(authenticated: boolean, authenticateOnUnsubscribe: boolean): void {
    if (!this.pending) return
    this.pending = false
    this.confirmationWasAuthenticated = authenticated
    this.authenticateOnUnsubscribe = authenticateOnUnsubscribe
    this.save()
  }

  get http(): boolean {
    return this.protocol === 'http' || this.protocol === 'https'
  }

  /** The retry schedule and Content-Type HTTP/S deliveries use. */
  httpPolicy(): HttpDeliveryPolicy {
    return effectiveHttpPolicy(this.topic.attributes.DeliveryPolicy, this.attributes.DeliveryPolicy)
  }

  get raw(): boolean {
    return this.attributes.RawMessageDelivery === 'true'
  }

  get deadLetterTargetArn(): string | undefined {
    if (this.attributes.RedrivePolicy === undefined) return undefined
    return (JSON.parse(this.attributes.RedrivePolicy) as { deadLetterTargetArn: string }).deadLetterTargetArn
  }

  /**
   * Validates and applies attributes all at once (Subscribe's map or one SetSubscriptionAttributes).
   * `viaSubscribe` switches to the "Invalid parameter: Attributes Reason: …" wording.
   */
  setAttributes(changes: Readonly<Record<string, string>>, viaSubscribe: boolean): void {
    const next = { ...this.attributes }
    for (const [name, value] of Object.entries(changes)) {
      if (!settable.includes(name)) {
        throw viaSubscribe ? snsErrors.invalidParameterReason('Attributes', `Unknown attribute name ${name}`)
          : snsErrors.invalidParameter('AttributeName')
      }
      checkValue(this, name, value, viaSubscribe)
      if (value === '' && (name === 'FilterPolicy' || name === 'RedrivePolicy' || name === 'DeliveryPolicy')) delete next[name]
      else next[name] = value
    }
    const filter = compileFilter(next, viaSubscribe)
    for (const name of Object.keys(this.attributes)) delete this.attributes[name]
    Object.assign(this.attributes, next)
    this.filter = filter
    this.save()
  }

  /** Does this message pass the filter policy? `body` is the message as this protocol gets it. */
  accepts(body: string, attributes: SnsMessageAttributes | undefined): boolean {
    if (this.filter === undefined) return true
    if (this.filter.dialect === 'sns-body') return this.filter.matches(body)
    return this.filter.matches(snsAttributesToEvent(attributes))
  }

  /** Every attribute GetSubscriptionAttributes shows. */
  allAttributes(): Record<string, string> {
    const out: Record<string, string> = {
      Owner: this.owner,
      TopicArn: this.topic.arn,
      Endpoint: this.endpoint,
      Protocol: this.protocol,
      PendingConfirmation: String(this.pending),
      ConfirmationWasAuthenticated: String(this.confirmationWasAuthenticated),
      SubscriptionArn: this.arn,
      SubscriptionPrincipal: `arn:aws:iam::${this.owner}:root`,
    }
    if (rawCapable.has(this.protocol)) out.RawMessageDelivery = 'false'
    Object.assign(out, this.attributes)
    if (this.http) out.EffectiveDeliveryPolicy = effectivePolicyDocument(this.httpPolicy())
    if (out.FilterPolicy !== undefined) out.FilterPolicyScope ??= 'MessageAttributes'
    return out
  }
}

function checkValue(sub: Subscription, name: string, value: string, viaSubscribe: boolean): void {
  const prefix = viaSubscribe ? 'Attributes Reason: ' : ''
  switch (name) {
    case 'RawMessageDelivery':
      if (value !== 'true' && value !== 'false') {
        throw snsErrors.invalidParameter(`${prefix}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`)
      }
      if (value === 'true' && !rawCapable.has(sub.protocol)) {
        throw snsErrors.invalidParameter(`${prefix}Delivery protocol [${sub.protocol}] does not support raw message delivery.`)
      }
      return
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw snsErrors.invalidParameter(`FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`)
      }
      return
    case 'RedrivePolicy':
      if (value !== '') checkRedrivePolicy(sub, value, prefix)
      return
    case 'DeliveryPolicy':
      // Only HTTP/S deliveries have a configurable policy [D].
      if (!sub.http) throw snsErrors.invalidParameter(`${prefix}DeliveryPolicy: Delivery protocol [${sub.protocol}] does not support delivery policies.`)
      if (value !== '') checkSubscriptionDeliveryPolicy(value)
  }
}

function checkRedrivePolicy(sub: Subscription, value: string, prefix: string): void {
  let target: unknown
  try {
    target = (JSON.parse(value) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn
  } catch {
    throw snsErrors.invalidParameter(`${prefix}RedrivePolicy: failed to parse JSON.`)
  }
  const arn = typeof target === 'string' ? parseArn(target) : undefined
  if (arn === undefined || arn.service !== 'sqs' || arn.resource === '') {
    throw snsErrors.invalidParameter(`${prefix}RedrivePolicy: deadLetterTargetArn is an invalid arn`)
  }
  if (sub.topic.fifo && sub.protocol === 'sqs' && sub.endpoint.endsWith('.fifo') && !arn.resource.endsWith('.fifo')) {
    throw snsErrors.invalidParameter(`${prefix}RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.`)
  }
}

function compileFilter(attributes: Readonly<Record<string, string>>, viaSubscribe: boolean): CompiledPattern | undefined {
  const policy = attributes.FilterPolicy
  if (policy === undefined) return undefined
  const dialect = attributes.FilterPolicyScope === 'MessageBody' ? 'sns-body' : 'sns-attributes'
  try {
    return compilePattern(policy, dialect)
  } catch (error) {
    if (isPatternError(error)) throw patternAwsError(error, { viaSubscribeAttributes: viaSubscribe })
    throw error
  }
}
