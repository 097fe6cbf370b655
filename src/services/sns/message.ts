// Publish input checked by AWS's rules and turned into the message SNS fans out.
import { createHash } from 'node:crypto'
import { snsErrors } from './errors.ts'
import type { MessageAttributeValue } from './generated/types.ts'
import { limits } from './limits.ts'
import type { PublishRequest, SnsMessageAttributes } from './port.ts'
import type { Topic } from './topic.ts'

export type { PublishRequest, SnsMessageAttributes } from './port.ts'

export interface SnsMessage {
  readonly id: string
  /** The message as published, or per protocol for MessageStructure=json (`default` as fallback). */
  readonly bodies: Readonly<Record<string, string>> & { default: string }
  readonly subject: string | undefined
  readonly attributes: SnsMessageAttributes | undefined
  readonly groupId: string | undefined
  readonly dedupId: string | undefined
  readonly timestamp: string
  sequenceNumber: string | undefined
}

/** The body a protocol receives. */
export function bodyFor(message: SnsMessage, protocol: string): string {
  return message.bodies[protocol] ?? message.bodies.default
}

/** Bytes counted against the 256 KB limit: the message plus attribute names, types and values. */
export function publishSize(request: PublishRequest): number {
  let size = Buffer.byteLength(request.Message, 'utf8')
  for (const [name, a] of Object.entries(request.MessageAttributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue ?? '') + (a.BinaryValue?.length ?? 0)
  }
  return size
}

export function checkPublish(topic: Topic, request: PublishRequest): void {
  if (request.Message === undefined || request.Message === '') throw snsErrors.invalidParameter('Empty message')
  if (publishSize(request) > limits.maxMessageBytes) throw snsErrors.invalidParameter('Message too long')
  const subject = request.Subject
  if (subject !== undefined && (subject === '' || subject.length > limits.maxSubjectLength || /[\x00-\x1f\x7f]/.test(subject))) {
    throw snsErrors.invalidParameter('Subject')
  }
  checkAttributes(request.MessageAttributes)
  if (topic.fifo) {
    if (request.MessageGroupId === undefined) throw snsErrors.invalidParameter('The MessageGroupId parameter is required for FIFO topics')
    if (request.MessageDeduplicationId === undefined && !topic.contentBasedDeduplication) {
      throw snsErrors.invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly')
    }
  } else if (request.MessageDeduplicationId !== undefined) {
    throw snsErrors.invalidParameterReason('MessageDeduplicationId',
      'The request includes MessageDeduplicationId parameter that is not valid for this topic type')
  }
}

/** Builds the message; `checkPublish` must have passed. */
export function buildMessage(topic: Topic, request: PublishRequest, id: string, now: number): SnsMessage {
  const dedupId = !topic.fifo ? undefined
    : request.MessageDeduplicationId ?? createHash('sha256').update(request.Message, 'utf8').digest('hex')
  return {
    id,
    bodies: request.MessageStructure === 'json' ? structuredBodies(request.Message) : { default: request.Message },
    subject: request.Subject,
    attributes: request.MessageAttributes !== undefined && Object.keys(request.MessageAttributes).length > 0
      ? request.MessageAttributes : undefined,
    groupId: request.MessageGroupId,
    dedupId,
    timestamp: new Date(now).toISOString(),
    sequenceNumber: undefined,
  }
}

function structuredBodies(text: string): SnsMessage['bodies'] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw snsErrors.invalidParameter('Message Structure - JSON message body failed to parse')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw snsErrors.invalidParameter('Message Structure - JSON message body failed to parse')
  }
  const entries = Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string')
  const bodies = Object.fromEntries(entries)
  if (bodies.default === undefined) throw snsErrors.invalidParameter('Message Structure - No default entry in JSON message body')
  return bodies as SnsMessage['bodies']
}

function checkAttributes(attributes: SnsMessageAttributes | undefined): void {
  for (const [name, a] of Object.entries(attributes ?? {})) {
    if (name.startsWith('.') || name.endsWith('.')) {
      throw snsErrors.invalidAttribute(`Invalid message attribute name starting with character '.' was found.`)
    }
    if (name.includes('..')) throw snsErrors.invalidAttribute('Message attribute name can not have successive \'.\' character.')
    if (Buffer.byteLength(name) >= 256) throw snsErrors.invalidAttribute('Length of message attribute name must be less than 256 bytes.')
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw snsErrors.invalidAttribute(`Invalid non-alphanumeric character '${name}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`)
    checkAttributeValue(name, a)
  }
}

function checkAttributeValue(name: string, a: MessageAttributeValue): void {
  const type = a.DataType.split('.')[0]
  if (type === 'Binary') {
    if (a.BinaryValue === undefined) throw snsErrors.invalidAttribute(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`)
    return
  }
  if (type !== 'String' && type !== 'Number') {
    throw snsErrors.invalidAttribute(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`)
  }
  if (a.StringValue === undefined) {
    throw snsErrors.invalidAttribute(`The message attribute '${name}' with type '${type}' must use field 'String'.`)
  }
  if (a.StringValue === '') {
    throw snsErrors.invalidAttribute(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`)
  }
  if (type === 'Number' && !Number.isFinite(Number(a.StringValue))) {
    throw snsErrors.invalidAttribute(`An error occurred while trying to parse a number for message attribute '${name}'.`)
  }
  if (a.DataType === 'String.Array' && !Array.isArray(tryJson(a.StringValue))) {
    throw snsErrors.invalidAttribute(`The message attribute '${name}' with type 'String.Array' has an invalid value.`)
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
