// Queue fixtures for SQS end-to-end tests: create standard/FIFO queues and read their ARNs and counts.
import { uniqueName } from './nimbus.ts'
import type { SqsTestClient } from './sqs-clients.ts'

export interface TestQueue {
  url: string
  arn: string
  name: string
}

/** A standard queue with a unique name and the given attributes. */
export async function standardQueue(sqs: SqsTestClient, attributes: Record<string, string> = {},
  prefix = 'q'): Promise<TestQueue> {
  return createTestQueue(sqs, uniqueName(prefix), attributes)
}

/** A FIFO queue (name ends in .fifo, FifoQueue=true) with the given extra attributes. */
export async function fifoQueue(sqs: SqsTestClient, attributes: Record<string, string> = {},
  prefix = 'f'): Promise<TestQueue> {
  return createTestQueue(sqs, `${uniqueName(prefix)}.fifo`, { FifoQueue: 'true', ...attributes })
}

async function createTestQueue(sqs: SqsTestClient, name: string, attributes: Record<string, string>): Promise<TestQueue> {
  const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: name, Attributes: attributes })
  const { Attributes } = await sqs.call('GetQueueAttributes', { QueueUrl, AttributeNames: ['QueueArn'] })
  return { url: QueueUrl, arn: Attributes.QueueArn, name }
}

/** The RedrivePolicy attribute value pointing at `dlq`. */
export function redrivePolicy(dlq: TestQueue, maxReceiveCount: number | string): string {
  return JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount })
}

/** ApproximateNumberOfMessages{,NotVisible,Delayed} as numbers. */
export async function messageCounts(sqs: SqsTestClient, url: string): Promise<{ visible: number; notVisible: number; delayed: number }> {
  const { Attributes } = await sqs.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    notVisible: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
  }
}

/** Receives up to 10 messages with every system and message attribute; [] when none. */
export async function receiveAll(sqs: SqsTestClient, url: string,
  extra: Record<string, unknown> = {}): Promise<Record<string, any>[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { Messages } = await sqs.call('ReceiveMessage', {
    QueueUrl: url, MaxNumberOfMessages: 10, AttributeNames: ['All'], MessageAttributeNames: ['All'], ...extra,
  })
  return Messages ?? []
}
