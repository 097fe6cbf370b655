// Queue attributes: AWS's defaults, ranges, validation and error wording (aws-behaviour.md §1.2).
import { parseArn } from '../../core/arn.ts'
import { nestsDeeperThan } from '../../core/json-depth.ts'
import { sqsErrors } from './errors.ts'
import { defaults, fifoDefaults, limits } from './limits.ts'

export interface RedrivePolicy {
  deadLetterTargetArn: string
  maxReceiveCount: number
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue'
  sourceQueueArns?: string[]
}

const ranges: Record<string, [number, number]> = {
  DelaySeconds: [0, limits.maxDelaySeconds],
  MaximumMessageSize: [limits.minMessageSize, limits.maxMessageSize],
  MessageRetentionPeriod: [limits.minRetentionSeconds, limits.maxRetentionSeconds],
  ReceiveMessageWaitTimeSeconds: [0, limits.maxWaitSeconds],
  VisibilityTimeout: [0, limits.maxVisibilitySeconds],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
}

const common = new Set([...Object.keys(ranges), 'Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId',
  'SqsManagedSseEnabled'])
const fifoOnly = new Set(['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'])

export const readOnlyAttributes = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp', 'LastModifiedTimestamp', 'QueueArn'] as const

export interface AttributeCheck {
  fifo: boolean
  creating: boolean
  queueArn: string
  /** The queue's current attributes (SetQueueAttributes), so combined rules see the effective values. */
  current?: Readonly<Record<string, string>>
  /** Finds a queue by ARN: its type and redrive-allow policy, for RedrivePolicy checks. */
  lookup(arn: string): { fifo: boolean; redriveAllow: RedriveAllowPolicy | undefined } | undefined
}

/** Validates attributes for CreateQueue/SetQueueAttributes; returns them normalised as AWS stores them. */
export function validateQueueAttributes(input: Record<string, string>, check: AttributeCheck): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, raw] of Object.entries(input)) {
    const value = String(raw)
    if (fifoOnly.has(name)) {
      out[name] = validateFifoAttribute(name, value, check)
      continue
    }
    if (!common.has(name)) throw sqsErrors.invalidAttributeName(`Unknown Attribute ${name}.`)
    const range = ranges[name]
    if (range !== undefined) {
      if (!/^\d+$/.test(value) || Number(value) < range[0] || Number(value) > range[1]) throw sqsErrors.invalidAttributeValue(name)
      out[name] = String(Number(value))
    } else if (name === 'RedrivePolicy') {
      out[name] = value === '' ? '' : JSON.stringify(parseRedrivePolicy(value, check))
    } else if (name === 'RedriveAllowPolicy') {
      out[name] = value === '' ? '' : JSON.stringify(parseRedriveAllowPolicy(value))
    } else if (name === 'Policy') {
      checkPolicy(value)
      out[name] = value
    } else if (name === 'SqsManagedSseEnabled') {
      if (value !== 'true' && value !== 'false') throw sqsErrors.invalidAttributeValue(name)
      out[name] = value
    } else {
      out[name] = value
    }
  }
  // Judged on the effective values: what this request sets, else what the queue has, else the defaults.
  const limit = out.FifoThroughputLimit ?? check.current?.FifoThroughputLimit
  const scope = out.DeduplicationScope ?? check.current?.DeduplicationScope ?? fifoDefaults.DeduplicationScope
  if (check.fifo && limit === 'perMessageGroupId' && scope !== 'messageGroup') {
    throw sqsErrors.invalidAttributeValue('FifoThroughputLimit',
      'The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup')
  }
  return out
}

function validateFifoAttribute(name: string, value: string, check: AttributeCheck): string {
  if (name === 'FifoQueue') {
    // AWS: FifoQueue only ever takes "true"; on a standard queue (incl. CreateQueue with "false") it is an
    // unknown attribute; on a FIFO queue "true" is a no-op and anything else would change the type.
    if (!check.fifo) throw sqsErrors.invalidAttributeName('Unknown Attribute FifoQueue.')
    if (value !== 'true') throw sqsErrors.invalidAttributeValue('FifoQueue', 'Modifying queue type is not supported.')
    return value
  }
  if (!check.fifo) {
    throw name === 'ContentBasedDeduplication'
      ? sqsErrors.invalidAttributeName(`Unknown Attribute ${name}.`)
      : sqsErrors.invalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`)
  }
  const allowed: Record<string, string[]> = {
    ContentBasedDeduplication: ['true', 'false'],
    DeduplicationScope: ['messageGroup', 'queue'],
    FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
  }
  if (!allowed[name]!.includes(value)) throw sqsErrors.invalidAttributeValue(name)
  return value
}

/**
 * A queue policy is at most 8,192 bytes (SQS policy quotas). IAM's grammar nests a handful of levels;
 * a document nested deeper than any policy can is refused before it is stored, so AddPermission never
 * has to walk it [R: AWS's wording for both].
 */
function checkPolicy(value: string): void {
  if (value === '') return
  if (Buffer.byteLength(value) > limits.maxPolicyBytes) {
    throw sqsErrors.invalidAttributeValue('Policy', `Policy must be at most ${limits.maxPolicyBytes} bytes.`)
  }
  if (nestsDeeperThan(value, limits.maxPolicyDepth) || !isJsonObject(value)) throw sqsErrors.invalidAttributeValue('Policy')
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text)
    return v !== null && typeof v === 'object' && !Array.isArray(v)
  } catch {
    return false
  }
}

function redriveError(value: string, reason: string) {
  return sqsErrors.invalidParameter('RedrivePolicy', value, reason)
}

export function parseRedrivePolicy(value: string, check: AttributeCheck): RedrivePolicy {
  let parsed: Record<string, unknown>
  try {
    parsed = JSON.parse(value) as Record<string, unknown>
  } catch {
    throw redriveError(value, 'Redrive policy is not a valid JSON map.')
  }
  if (parsed === null || typeof parsed !== 'object') throw redriveError(value, 'Redrive policy is not a valid JSON map.')
  const arn = parsed.deadLetterTargetArn
  const count = parsed.maxReceiveCount
  if (typeof arn !== 'string' || count === undefined) {
    throw redriveError(value, 'Redrive policy does not contain mandatory attribute: ' +
      (typeof arn !== 'string' ? 'deadLetterTargetArn' : 'maxReceiveCount') + '.')
  }
  const n = typeof count === 'number' ? count : /^\d+$/.test(String(count)) ? Number(count) : NaN
  if (!Number.isInteger(n) || n < 1 || n > limits.maxReceiveCount) {
    throw redriveError(value, `Invalid value for maxReceiveCount: ${String(count)}, valid values are from 1 to 1000 both inclusive.`)
  }
  if (parseArn(arn)?.service !== 'sqs') throw redriveError(value, 'Invalid value for deadLetterTargetArn.')
  const target = check.lookup(arn)
  if (target === undefined) throw sqsErrors.awsDeadLetterTargetMissing(value)
  if (target.fifo !== check.fifo) {
    throw redriveError(value, 'Dead-letter queue must be the same type of queue as the source queue.')
  }
  if (!redriveAllowed(target.redriveAllow, check.queueArn)) {
    throw redriveError(value, `Queue ${arn} does not allow this queue to use it as a dead letter queue.`)
  }
  return { deadLetterTargetArn: arn, maxReceiveCount: n }
}

export function redriveAllowed(policy: RedriveAllowPolicy | undefined, sourceArn: string): boolean {
  if (policy === undefined || policy.redrivePermission === 'allowAll') return true
  if (policy.redrivePermission === 'denyAll') return false
  return policy.sourceQueueArns?.includes(sourceArn) ?? false
}

export function parseRedriveAllowPolicy(value: string): RedriveAllowPolicy {
  const invalid = (reason: string) => sqsErrors.invalidParameter('RedriveAllowPolicy', value, reason)
  let parsed: Record<string, unknown>
  try {
    parsed = JSON.parse(value) as Record<string, unknown>
  } catch {
    throw invalid('Redrive allow policy is not a valid JSON map.')
  }
  const permission = parsed?.redrivePermission
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw invalid('Invalid value for redrivePermission. Valid values are allowAll, denyAll and byQueue.')
  }
  const arns = parsed.sourceQueueArns
  if (permission !== 'byQueue') {
    if (arns !== undefined) throw invalid('Only byQueue redrivePermission allows specifying sourceQueueArns.')
    return { redrivePermission: permission }
  }
  if (!Array.isArray(arns) || arns.length === 0 || arns.some((a) => typeof a !== 'string')) {
    throw invalid('sourceQueueArns must be specified when redrivePermission is byQueue.')
  }
  if (arns.length > limits.maxRedriveAllowSourceArns) {
    throw invalid(`Maximum number of source queue ARNs is ${limits.maxRedriveAllowSourceArns}.`)
  }
  return { redrivePermission: permission, sourceQueueArns: arns as string[] }
}

/** The attributes a new queue starts with. */
export function initialAttributes(fifo: boolean): Record<string, string> {
  return fifo ? { ...defaults, ...fifoDefaults, FifoQueue: 'true' } : { ...defaults }
}
