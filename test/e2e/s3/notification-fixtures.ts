// Fixtures for the S3 event-notification tests: a bucket wired to SQS queues, reading records back.
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, type NotificationConfiguration, type S3Client } from '@aws-sdk/client-s3'
import type { Nimbus } from '../../../src/index.ts'
import { advance } from '../../helpers/nimbus.ts'
import { bucketName } from '../../helpers/s3.ts'
import { sqsClient, type SqsTestClient } from '../../helpers/sqs-clients.ts'
import { receiveAll, standardQueue, type TestQueue } from '../../helpers/sqs-queues.ts'

export const account = '000000000000'

export function sqs(nimbus: Nimbus): SqsTestClient {
  return sqsClient(nimbus, 'json')
}

export async function createBucket(s3: S3Client, prefix = 'n'): Promise<string> {
  const Bucket = bucketName(prefix)
  await s3.send(new CreateBucketCommand({ Bucket }))
  return Bucket
}

export async function putNotifications(s3: S3Client, Bucket: string, config: NotificationConfiguration,
  skip = false): Promise<void> {
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket, NotificationConfiguration: config, SkipDestinationValidation: skip ? true : undefined,
  }))
}

/** Lets the next-tick deliveries run (the manual clock's due timers), then reads the queue. */
export async function delivered(nimbus: Nimbus, queue: TestQueue): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  await advance(nimbus, 0)
  const messages = await receiveAll(sqs(nimbus), queue.url)
  for (const m of messages) await sqs(nimbus).call('DeleteMessage', { QueueUrl: queue.url, ReceiptHandle: m.ReceiptHandle })
  return messages.map((m) => JSON.parse(m.Body))
}

/** Records of every delivered message, test events left out. */
export async function records(nimbus: Nimbus, queue: TestQueue): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (await delivered(nimbus, queue)).filter((m) => m.Event !== 's3:TestEvent').map((m) => {
    if (m.Records.length !== 1) throw new Error(`expected one record per message, got ${m.Records.length}`)
    return m.Records[0]
  })
}

/** A bucket whose every event (or the given ones) goes to a fresh queue; the test event already drained. */
export async function bucketToQueue(nimbus: Nimbus, s3: S3Client, events = ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
  filter?: { prefix?: string; suffix?: string }): Promise<{ Bucket: string; queue: TestQueue }> {
  const Bucket = await createBucket(s3)
  const queue = await standardQueue(sqs(nimbus))
  const rules = Object.entries(filter ?? {}).map(([Name, Value]) => ({ Name: Name as 'prefix', Value }))
  await putNotifications(s3, Bucket, {
    QueueConfigurations: [{ Id: 'to-queue', QueueArn: queue.arn, Events: events as never,
      Filter: rules.length === 0 ? undefined : { Key: { FilterRules: rules } } }],
  })
  await delivered(nimbus, queue)
  return { Bucket, queue }
}
