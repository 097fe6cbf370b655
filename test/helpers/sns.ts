// SNS test helpers: a client, topics with unique names, queues subscribed to them.
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import type { Nimbus } from '../../src/index.ts'
import { testCredentials, uniqueName } from './nimbus.ts'

export function snsClient(nimbus: Nimbus, region = 'us-east-1'): SNSClient {
  return new SNSClient({ endpoint: nimbus.endpoint, region, credentials: testCredentials, maxAttempts: 1 })
}

/** A topic with a unique name (FIFO when `fifo`), returning its ARN. */
export async function createTopic(sns: SNSClient, attributes: Record<string, string> = {}, fifo = false): Promise<string> {
  const name = fifo ? `${uniqueName('t')}.fifo` : uniqueName('t')
  const { TopicArn } = await sns.send(new CreateTopicCommand({
    Name: name, Attributes: fifo ? { FifoTopic: 'true', ...attributes } : attributes,
  }))
  return TopicArn!
}

/** Subscribes an SQS queue (by ARN) with the given subscription attributes; returns the subscription ARN. */
export async function subscribeQueue(sns: SNSClient, topicArn: string, queueArn: string,
  attributes: Record<string, string> = {}): Promise<string> {
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({
    TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: attributes, ReturnSubscriptionArn: true,
  }))
  return SubscriptionArn!
}

export type { SdkError as SnsCallError } from './sdk-error.ts'

/** Runs `call`, expecting it to fail; returns the SDK error normalised (see sdk-error.ts). */
export { sdkError as snsError } from './sdk-error.ts'
