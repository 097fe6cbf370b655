// EventBridge test fixtures: clients, queues to route to, and reading what arrived.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import type { Nimbus } from '../../../src/index.ts'
import { testCredentials, uniqueName } from '../../helpers/nimbus.ts'

export const account = '000000000000'
export const region = 'us-east-1'

export function ebClient(nimbus: Nimbus, credentials = testCredentials): EventBridgeClient {
  return new EventBridgeClient({ endpoint: nimbus.endpoint, region, credentials, maxAttempts: 1 })
}

export function sqsClient(nimbus: Nimbus, credentials = testCredentials): SQSClient {
  return new SQSClient({ endpoint: nimbus.endpoint, region, credentials, maxAttempts: 1 })
}

export interface Queue {
  url: string
  arn: string
}

export async function createQueue(sqs: SQSClient, attributes: Record<string, string> = {}, fifo = false): Promise<Queue> {
  const name = fifo ? `${uniqueName('eb')}.fifo` : uniqueName('eb')
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: 'true', ...attributes } : attributes }))
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))
  return { url: QueueUrl!, arn: Attributes!.QueueArn! }
}

/** Every message waiting in the queue (up to 10), with their attributes. */
export async function receive(sqs: SQSClient, queue: Queue) {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({
    QueueUrl: queue.url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'],
  }))
  return Messages ?? []
}

/** The JSON bodies of every waiting message. */
export async function receiveBodies(sqs: SQSClient, queue: Queue): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (await receive(sqs, queue)).map((m) => JSON.parse(m.Body!))
}

export const busArn = (name: string) => `arn:aws:events:${region}:${account}:event-bus/${name}`
