// The JSON SNS wraps a notification in (aws-behaviour.md §3.4) and the Lambda event (§3.6).
// Key order is AWS's, so it is built field by field. Signatures are placeholders (README Gaps).
import { createHash } from 'node:crypto'
import { bodyFor, type SnsMessage, type SnsMessageAttributes } from './message.ts'
import type { Subscription } from './subscription.ts'

const certHash = createHash('md5').update('nimbus-sns').digest('hex')

export const signingCertUrl = (region: string) =>
  `https://sns.${region}.amazonaws.com/SimpleNotificationService-${certHash}.pem`
export const unsubscribeUrl = (region: string, subscriptionArn: string) =>
  `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`

/**
 * A stand-in for SHA1withRSA over AWS's string to sign (Message, MessageId, Subject, Timestamp,
 * TopicArn, Type): deterministic base64 of the right length, not verifiable.
 */
function placeholderSignature(message: SnsMessage, body: string, topicArn: string): string {
  const parts = ['Message', body, 'MessageId', message.id]
  if (message.subject !== undefined) parts.push('Subject', message.subject)
  parts.push('Timestamp', message.timestamp, 'TopicArn', topicArn, 'Type', 'Notification')
  const digest = createHash('sha512').update(parts.join('\n') + '\n').digest()
  return Buffer.concat([digest, digest, digest, digest]).toString('base64')
}

/** {"attr": {"Type": "Number", "Value": "99"}}; Binary values as base64. */
export function envelopeAttributes(attributes: SnsMessageAttributes | undefined): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {}
  for (const [name, a] of Object.entries(attributes ?? {})) {
    const value = a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue).toString('base64') : a.StringValue ?? ''
    out[name] = { Type: a.DataType, Value: value }
  }
  return out
}

/** The notification as an SQS body (also what a subscription DLQ receives). */
export function notificationEnvelope(message: SnsMessage, sub: Subscription): string {
  const topic = sub.topic
  const body = bodyFor(message, sub.protocol)
  const out: Record<string, unknown> = { Type: 'Notification', MessageId: message.id }
  if (topic.fifo) out.SequenceNumber = message.sequenceNumber
  out.TopicArn = topic.arn
  if (message.subject !== undefined) out.Subject = message.subject
  out.Message = body
  out.Timestamp = message.timestamp
  if (!topic.fifo) {
    out.SignatureVersion = topic.attributes.SignatureVersion ?? '1'
    out.Signature = placeholderSignature(message, body, topic.arn)
    out.SigningCertURL = signingCertUrl(topic.region)
  }
  out.UnsubscribeURL = unsubscribeUrl(topic.region, sub.arn)
  if (message.attributes !== undefined) out.MessageAttributes = envelopeAttributes(message.attributes)
  return awsPrettyJson(out)
}

/** The asynchronous Lambda event: one record, `SigningCertUrl`/`UnsubscribeUrl`, Subject null when absent. */
export function lambdaEvent(message: SnsMessage, sub: Subscription): string {
  const topic = sub.topic
  const body = bodyFor(message, sub.protocol)
  return JSON.stringify({
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: sub.arn,
      Sns: {
        Type: 'Notification',
        MessageId: message.id,
        TopicArn: topic.arn,
        Subject: message.subject ?? null,
        Message: body,
        Timestamp: message.timestamp,
        SignatureVersion: topic.attributes.SignatureVersion ?? '1',
        Signature: placeholderSignature(message, body, topic.arn),
        SigningCertUrl: signingCertUrl(topic.region),
        UnsubscribeUrl: unsubscribeUrl(topic.region, sub.arn),
        MessageAttributes: envelopeAttributes(message.attributes),
      },
    }],
  })
}

/**
 * SNS's own pretty-printing (Jackson's): two-space indent, `"Key" : value`, and nested objects
 * (MessageAttributes entries) written compactly [R]. Clients parse it; a byte comparison would see it.
 */
function awsPrettyJson(object: Record<string, unknown>, indent = '  '): string {
  const lines = Object.entries(object).map(([key, value]) => {
    const rendered = isPlainObject(value) && Object.values(value).some(isPlainObject)
      ? awsPrettyJson(value, indent + '  ')
      : JSON.stringify(value)
    return `${indent}${JSON.stringify(key)} : ${rendered}`
  })
  return `{\n${lines.join(',\n')}\n${indent.slice(2)}}`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
