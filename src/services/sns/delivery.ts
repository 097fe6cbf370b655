// Fan-out: each confirmed subscription whose filter accepts the message gets it through the other
// service's port. Subscriptions are independent: a failure goes to that subscription's DLQ (or is
// dropped) and never stops the others (aws-behaviour.md §3.8–3.9).
import type { LambdaPort } from '../lambda/internal.ts'
import type { SqsPort } from '../sqs/internal.ts'
import { lambdaEvent, notificationEnvelope } from './envelope.ts'
import { snsSenderId } from './limits.ts'
import { bodyFor, type SnsMessage } from './message.ts'
import type { SmsDelivery } from './store.ts'
import type { Subscription } from './subscription.ts'
import type { Topic } from './topic.ts'

export interface DeliveryDeps {
  sqs: SqsPort
  lambda: LambdaPort
  sms: SmsDelivery[]
  log: (line: string) => void
}

export function fanOut(topic: Topic, message: SnsMessage, deps: DeliveryDeps): void {
  for (const sub of topic.subscriptions.values()) {
    if (sub.pending || !sub.accepts(bodyFor(message, sub.protocol), message.attributes)) continue
    try {
      deliver(sub, message, deps)
    } catch (error) {
      // SQS/Lambda refusing (queue or function gone, too many attributes) is a client error: AWS
      // does not retry those; they go to the subscription's DLQ if it has one.
      deps.log(`sns: delivery to ${sub.endpoint} failed: ${(error as Error).message}`)
      deadLetter(sub, message, deps)
    }
  }
}

function deliver(sub: Subscription, message: SnsMessage, deps: DeliveryDeps): void {
  switch (sub.protocol) {
    case 'sqs':
      deps.sqs.send(sqsRequest(sub, message, sub.endpoint, deps.sqs))
      return
    case 'lambda':
      deps.lambda.invokeAsync(sub.endpoint, lambdaEvent(message, sub))
      return
    case 'sms':
      deps.sms.push({ phoneNumber: sub.endpoint, message: bodyFor(message, 'sms'), subscriptionArn: sub.arn, timestamp: message.timestamp })
      return
    default:
      // http/https/email stay pending (never confirmed here); application/firehose cannot be subscribed.
      throw new Error(`protocol ${sub.protocol} is not delivered by Nimbus`)
  }
}

/** The SendMessage SNS makes: raw body + SQS attributes, or the envelope; FIFO ids for FIFO queues. */
function sqsRequest(sub: Subscription, message: SnsMessage, queueArn: string, sqs: SqsPort, raw = sub.raw) {
  const fifoQueue = sqs.isFifo(queueArn)
  const base = {
    queueArn,
    body: raw ? bodyFor(message, sub.protocol) : notificationEnvelope(message, sub),
    attributes: raw ? message.attributes : undefined,
    senderId: snsSenderId,
  }
  if (fifoQueue) return { ...base, groupId: message.groupId, dedupId: message.dedupId }
  // Standard topics forward MessageGroupId to standard queues (fair queues); FIFO topics don't [M].
  return sub.topic.fifo ? base : { ...base, groupId: message.groupId }
}

/** The subscription DLQ gets the normal envelope with the original attributes, whatever the protocol [S]. */
function deadLetter(sub: Subscription, message: SnsMessage, deps: DeliveryDeps): void {
  const dlq = sub.deadLetterTargetArn
  if (dlq === undefined) return
  try {
    const request = sqsRequest(sub, message, dlq, deps.sqs, false)
    deps.sqs.send({ ...request, attributes: message.attributes })
  } catch (error) {
    deps.log(`sns: dead-letter queue ${dlq} refused a message: ${(error as Error).message}`)
  }
}
