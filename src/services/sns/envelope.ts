// The JSON documents SNS sends (aws-behaviour.md §3.4, §3.6): the notification envelope (SQS,
// HTTP/S, email-json, DLQs), the Lambda event, and the (un)subscribe confirmations. Key order is
// AWS's, so each is built field by field; signatures are real (signing.ts), and every URL points
// back at this Nimbus, where it works: the certificate, ConfirmSubscription and Unsubscribe.
import { randomUUID } from 'node:crypto'
import { bodyFor, type SnsMessage, type SnsMessageAttributes } from './message.ts'
import { type SignatureVersion, type SnsSigner } from './signing.ts'
import type { SubscribedTopic as Topic, Subscription } from './subscription.ts'

export type ConfirmationType = 'SubscriptionConfirmation' | 'UnsubscribeConfirmation'

export interface Confirmation {
  messageId: string
  subscribeUrl: string
  /** The signed JSON document, as an HTTP endpoint or an email-json address gets it. */
  json: string
  /** The human text, as an email address gets it. */
  text: string
  timestamp: string
}

export class Envelopes {
  private readonly endpoint: () => string
  private readonly signer: SnsSigner
  // One publish fanned out to many subscriptions signs the same string once.
  private readonly signatures = new WeakMap<SnsMessage, Map<string, string>>()

  /** `endpoint` is this Nimbus's base URL (known once it listens). */
  constructor(endpoint: () => string, signer: SnsSigner) {
    this.endpoint = endpoint
    this.signer = signer
  }

  signingCertUrl(): string {
    return `${this.endpoint()}/_nimbus/sns/${this.signer.certificateFileName()}`
  }

  unsubscribeUrl(subscriptionArn: string): string {
    return `${this.endpoint()}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`
  }

  subscribeUrl(topicArn: string, token: string): string {
    return `${this.endpoint()}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`
  }

  /** The notification as an SQS/HTTP/email-json body (also what a subscription DLQ receives). */
  notification(message: SnsMessage, sub: Subscription): string {
    const topic = sub.topic
    const body = bodyFor(message, sub.protocol)
    const out: Record<string, unknown> = { Type: 'Notification', MessageId: message.id }
    if (topic.fifo) out.SequenceNumber = message.sequenceNumber
    out.TopicArn = topic.arn
    if (message.subject !== undefined) out.Subject = message.subject
    out.Message = body
    out.Timestamp = message.timestamp
    // FIFO topics' envelopes carry no signature fields [S].
    if (!topic.fifo) {
      const version = signatureVersion(topic)
      out.SignatureVersion = version
      out.Signature = this.signNotification(message, body, topic, version)
      out.SigningCertURL = this.signingCertUrl()
    }
    out.UnsubscribeURL = this.unsubscribeUrl(sub.arn)
    if (message.attributes !== undefined) out.MessageAttributes = envelopeAttributes(message.attributes)
    return awsPrettyJson(out)
  }

  /**
   * What a Firehose subscription writes (AWS's "Formatting notifications for storage in Amazon S3"):
   * the notification on one line, without signature fields.
   */
  firehoseNotification(message: SnsMessage, sub: Subscription): string {
    const out: Record<string, unknown> = { Type: 'Notification', MessageId: message.id, TopicArn: sub.topic.arn }
    if (message.subject !== undefined) out.Subject = message.subject
    out.Message = bodyFor(message, sub.protocol)
    out.Timestamp = message.timestamp
    out.UnsubscribeURL = this.unsubscribeUrl(sub.arn)
    if (message.attributes !== undefined) out.MessageAttributes = envelopeAttributes(message.attributes)
    return JSON.stringify(out)
  }

  /** The asynchronous Lambda event: one record, `SigningCertUrl`/`UnsubscribeUrl`, Subject null when absent. */
  lambdaEvent(message: SnsMessage, sub: Subscription): string {
    const topic = sub.topic
    const body = bodyFor(message, sub.protocol)
    const version = signatureVersion(topic)
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
          SignatureVersion: version,
          Signature: this.signNotification(message, body, topic, version),
          SigningCertUrl: this.signingCertUrl(),
          UnsubscribeUrl: this.unsubscribeUrl(sub.arn),
          MessageAttributes: envelopeAttributes(message.attributes),
        },
      }],
    })
  }

  /** A SubscriptionConfirmation (or UnsubscribeConfirmation) for `sub`, carrying `token`. */
  confirmation(type: ConfirmationType, sub: Subscription, token: string, now: number): Confirmation {
    const topic = sub.topic
    const messageId = randomUUID()
    const subscribeUrl = this.subscribeUrl(topic.arn, token)
    const timestamp = new Date(now).toISOString()
    const message = type === 'SubscriptionConfirmation'
      ? `You have chosen to subscribe to the topic ${topic.arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`
      : `You have chosen to deactivate subscription ${sub.arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`
    const version = signatureVersion(topic)
    const fields = { Type: type, MessageId: messageId, Token: token, TopicArn: topic.arn, Message: message,
      SubscribeURL: subscribeUrl, Timestamp: timestamp }
    const json = awsPrettyJson({ ...fields, SignatureVersion: version, Signature: this.signer.sign(fields, version),
      SigningCertURL: this.signingCertUrl() })
    const text = `${message}\n\n${subscribeUrl}\n`
    return { messageId, subscribeUrl, json, text, timestamp }
  }

  private signNotification(message: SnsMessage, body: string, topic: Topic, version: SignatureVersion): string {
    let cache = this.signatures.get(message)
    if (cache === undefined) this.signatures.set(message, (cache = new Map()))
    const key = `${version}\u0000${body}`
    let signature = cache.get(key)
    if (signature === undefined) {
      signature = this.signer.sign({ Type: 'Notification', MessageId: message.id, Subject: message.subject,
        Message: body, Timestamp: message.timestamp, TopicArn: topic.arn }, version)
      cache.set(key, signature)
    }
    return signature
  }
}

function signatureVersion(topic: Topic): SignatureVersion {
  return topic.attributes.SignatureVersion === '2' ? '2' : '1'
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
