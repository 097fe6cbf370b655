// A new user's pass over AWS's documentation: the rules the API reference states that a first
// implementation missed — no DeleteDeliveryStream while CREATING, the 25 encryption calls a day,
// and SNS's five Firehose subscriptions per topic and owner — and a JQ query that never ends, which
// stopped the whole process.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateDeliveryStreamCommand, DeleteDeliveryStreamCommand, DescribeDeliveryStreamCommand, PutRecordBatchCommand,
  StartDeliveryStreamEncryptionCommand, StopDeliveryStreamEncryptionCommand,
} from '@aws-sdk/client-firehose'
import { CreateTopicCommand, SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { clients, deliveriesSettled, listKeys, objectBytes, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/firehose'
const arnOf = (name: string) => `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`

describe("Firehose, as AWS's API reference states it", () => {
  it("DeleteDeliveryStream: \"You can't delete a Firehose stream that is in the CREATING state\"", async () => {
    const { firehose } = clients(nimbus.current)
    const name = uniqueName('creating')
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name, ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: 'arn:aws:s3:::b' },
    }))
    const refused = await sdkError(firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name })))
    assert.deepEqual(refused, {
      name: 'ResourceInUseException', status: 400,
      message: `Firehose ${name} under account 000000000000 is in CREATING state and can't be deleted.`,
    })
    const still = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
    assert.equal(still.DeliveryStreamStatus, 'CREATING')
    await advance(nimbus.current, 5_000)
    await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name }))
    const deleting = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
    assert.equal(deleting.DeliveryStreamStatus, 'DELETING')
  })

  it('Start/StopDeliveryStreamEncryption: a combined limit of 25 calls per stream per 24 hours', async () => {
    const { firehose, name } = await streamToBucket(nimbus.current)
    // AWS's example: Start 13 times and Stop 12 times reaches the limit.
    for (let i = 0; i < 25; i++) {
      const command = i % 2 === 0
        ? new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: name, DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' } })
        : new StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: name })
      await firehose.send(command)
      await advance(nimbus.current, 60_000)
    }
    for (const command of [new StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: name }), new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: name })]) {
      const over = await sdkError(firehose.send(command))
      assert.equal(over.name, 'LimitExceededException')
      assert.equal(over.status, 400)
      assert.match(over.message, /25 /)
    }
    const described = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
    assert.equal(described.DeliveryStreamEncryptionConfiguration?.Status, 'ENABLED', 'the refused Stop changed nothing')
    // The first call leaves the 24-hour window 24 h after it was made: one more call is taken, not two.
    await advance(nimbus.current, 24 * 3_600_000 - 25 * 60_000)
    await firehose.send(new StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: name }))
    assert.equal((await sdkError(firehose.send(new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: name })))).name, 'LimitExceededException')
  })

  it('SNS: "A subscription owner can subscribe up to five Firehose delivery streams to an Amazon SNS topic"', async () => {
    const sns = new SNSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('five') }))
    const subscribe = (topic: string | undefined, stream: string) => sns.send(new SubscribeCommand({
      TopicArn: topic, Protocol: 'firehose', Endpoint: arnOf(stream), Attributes: { SubscriptionRoleArn: role }, ReturnSubscriptionArn: true,
    }))
    const arns: string[] = []
    for (let i = 1; i <= 5; i++) arns.push((await subscribe(TopicArn, `s${i}`)).SubscriptionArn!)
    // Subscribing one of the five again is the same subscription, not a sixth.
    assert.equal((await subscribe(TopicArn, 's3')).SubscriptionArn, arns[2])
    const sixth = await sdkError(subscribe(TopicArn, 's6'))
    assert.equal(sixth.name, 'SubscriptionLimitExceededException')
    assert.equal(sixth.code, 'SubscriptionLimitExceeded')
    assert.equal(sixth.status, 403)
    // Another topic has its own five; an unsubscribed stream frees its place.
    const other = await sns.send(new CreateTopicCommand({ Name: uniqueName('other') }))
    await subscribe(other.TopicArn, 's6')
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: arns[0] }))
    await subscribe(TopicArn, 's6')
  })

  it('a MetadataExtractionQuery that loops fails its record (partitioning-failed) instead of stopping Nimbus', async () => {
    const query = '{k: (if .loop then last(range(1e12)) else .k end | tostring)}'
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 }, DynamicPartitioningConfiguration: { Enabled: true },
      ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'MetadataExtraction', Parameters: [
        { ParameterName: 'MetadataExtractionQuery', ParameterValue: query }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] }] },
      Prefix: 'k=!{partitionKeyFromQuery:k}/', ErrorOutputPrefix: 'err/!{firehose:error-output-type}/',
    })
    const loop = '{"loop":true}'
    const put = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from(loop) }, { Data: Buffer.from('{"k":"a"}') }] }))
    assert.equal(put.FailedPutCount, 0)
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const keys = (await listKeys(s3, bucket)).sort()
    assert.equal(keys.length, 2)
    assert.match(keys[0]!, /^err\/partitioning-failed\/\d{4}\/\d\d\/\d\d\/\d\d\//)
    assert.match(keys[1]!, /^k=a\//)
    assert.equal((await objectBytes(s3, bucket, keys[1]!)).toString(), '{"k":"a"}')
    const failed = JSON.parse((await objectBytes(s3, bucket, keys[0]!)).toString()) as Record<string, string>
    assert.equal(failed.errorCode, 'DynamicPartitioning.MetadataExtractionFailed')
    assert.equal(failed.errorMessage, `Failed to execute the metadata extraction query ${query}: the query took more than ${(1_000_000 + 16 * loop.length).toLocaleString('en-US')} steps`)
    assert.equal(Buffer.from(failed.rawData!, 'base64').toString(), loop)
  })
})
