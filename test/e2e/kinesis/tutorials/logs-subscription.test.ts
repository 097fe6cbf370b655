// CloudWatch Logs' "Subscription filters with Kinesis Data Streams" and "… with Amazon Data Firehose"
// examples, walked with the SDKs on the manual clock: the RootAccess filter `{$.userIdentity.type =
// Root}` on CloudTrail/logs, get-records on the stream and each record's data gunzipped to the
// documented payload (a CONTROL_MESSAGE first, then DATA_MESSAGE with owner, logGroup, logStream,
// subscriptionFilters and the matching logEvents only); to Firehose, the S3 object gunzips to it.
import assert from 'node:assert/strict'
import { gunzipSync } from 'node:zlib'
import { describe, it } from 'node:test'
import { PutSubscriptionFilterCommand } from '@aws-sdk/client-cloudwatch-logs'
import { CreateDeliveryStreamCommand } from '@aws-sdk/client-firehose'
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { activeStream, kinesisClient, streamArn } from '../../../helpers/kinesis.ts'
import { logsClient, newStream, putMessages } from '../../../helpers/logs.ts'
import { advance, uniqueName, useNimbus } from '../../../helpers/nimbus.ts'
import { clients, deliveriesSettled, listKeys, objectBytes } from '../../firehose/firehose-helpers.ts'

const nimbus = useNimbus()
const root = '{"eventVersion":"1.03","userIdentity":{"type":"Root"}}'
const user = '{"eventVersion":"1.03","userIdentity":{"type":"IAMUser"}}'

describe('Logs subscription filter tutorials', () => {
  it('delivers gzip-compressed CloudWatch Logs payloads to a Kinesis stream', async () => {
    const k = kinesisClient(nimbus.current)
    const logs = logsClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k, 1, uniqueName('RootAccess'))
    const { group, stream: logStream } = await newStream(logs, 'CloudTrail/logs')
    await logs.send(new PutSubscriptionFilterCommand({
      logGroupName: group, filterName: 'RootAccess', filterPattern: '{$.userIdentity.type = Root}',
      destinationArn: streamArn(stream), roleArn: 'arn:aws:iam::000000000000:role/CWLtoKinesisRole',
    }))
    const [at] = await putMessages(nimbus.current, logs, group, logStream, [root, user])
    await advance(nimbus.current, 1_000)
    const { ShardIterator } = await k.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    const { Records } = await k.send(new GetRecordsCommand({ ShardIterator }))
    const payloads = Records!.map((r) => JSON.parse(gunzipSync(r.Data!).toString()) as Record<string, unknown>)
    assert.equal(payloads.length, 2)
    assert.deepEqual(payloads[0], {
      messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [],
      logEvents: [{ id: '', timestamp: (payloads[0]!.logEvents as Array<{ timestamp: number }>)[0]!.timestamp,
        message: 'CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.' }],
    })
    const data = payloads[1]!
    assert.deepEqual(Object.keys(data).sort(), ['logEvents', 'logGroup', 'logStream', 'messageType', 'owner', 'subscriptionFilters'])
    assert.equal(data.messageType, 'DATA_MESSAGE')
    assert.equal(data.owner, '000000000000')
    assert.equal(data.logGroup, group)
    assert.equal(data.logStream, logStream)
    assert.deepEqual(data.subscriptionFilters, ['RootAccess'])
    const events = data.logEvents as Array<{ id: string; timestamp: number; message: string }>
    assert.equal(events.length, 1)
    assert.match(events[0]!.id, /^\d{56}$/)
    assert.deepEqual([events[0]!.timestamp, events[0]!.message], [at, root])
  })

  it('delivers them to Firehose, whose S3 object gunzips to the same payload', async () => {
    const logs = logsClient(nimbus.current)
    const { firehose, s3 } = clients(nimbus.current)
    const bucket = uniqueName('cwl').toLowerCase()
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    const name = uniqueName('my-delivery-stream')
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: {
        RoleARN: 'arn:aws:iam::000000000000:role/FirehosetoS3Role', BucketARN: `arn:aws:s3:::${bucket}`,
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      },
    }))
    await advance(nimbus.current, 5_000)
    const { group, stream: logStream } = await newStream(logs, 'CloudTrail/logs')
    await logs.send(new PutSubscriptionFilterCommand({
      logGroupName: group, filterName: 'Destination', filterPattern: '{$.userIdentity.type = Root}',
      destinationArn: `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`, roleArn: 'arn:aws:iam::000000000000:role/CWLtoKinesisFirehoseRole',
    }))
    await putMessages(nimbus.current, logs, group, logStream, [root, user, root])
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    // The object holds the records as Logs sent them: gzip members one after another.
    const text = gunzipSync(await objectBytes(s3, bucket, keys[0]!)).toString()
    const payloads = text.split(/(?<=\})(?=\{"messageType")/).map((p) => JSON.parse(p) as { messageType: string; logEvents: Array<{ message: string }> })
    const data = payloads.filter((p) => p.messageType === 'DATA_MESSAGE')
    assert.equal(data.length, 1)
    assert.deepEqual(data[0]!.logEvents.map((e) => e.message), [root, root])
  })
})
