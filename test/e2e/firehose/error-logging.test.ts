// CloudWatch Logs error logging: with a destination's CloudWatchLoggingOptions enabled, each failed S3
// write, failed HTTP endpoint attempt and failed transformation is one JSON log event in that group
// and stream — `{deliveryStreamARN, destination, deliveryStreamVersionId, message, errorCode}`, plus
// `processor` for a transformation's — read back with @aws-sdk/client-cloudwatch-logs. Nothing is
// written when logging is disabled or its group does not exist.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeLogGroupsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { CreateDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { logsClient, newStream } from '../../helpers/logs.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { clients, deliveriesSettled, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/firehose'

async function events(group: string, stream: string): Promise<Array<Record<string, unknown>>> {
  const out = await logsClient(nimbus.current).send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }))
  return (out.events ?? []).map((e) => JSON.parse(e.message!) as Record<string, unknown>)
}

/** A stream to a bucket that does not exist (every write fails with NoSuchBucket). */
async function streamToMissingBucket(logging: Record<string, unknown>) {
  const { firehose } = clients(nimbus.current)
  const name = uniqueName('fh-errlog')
  const bucket = uniqueName('missing').toLowerCase()
  await firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: name, ExtendedS3DestinationConfiguration: {
      RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, CloudWatchLoggingOptions: logging,
    },
  }))
  await advance(nimbus.current, 5_000)
  await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('x') }] }))
  return { name, bucket }
}

describe('Firehose error logging to CloudWatch Logs', () => {
  it('logs each failed S3 write as S3.NoSuchBucket, at every retry', async () => {
    const { group, stream } = await newStream(logsClient(nimbus.current), '/aws/kinesisfirehose/test')
    const { name, bucket } = await streamToMissingBucket({ Enabled: true, LogGroupName: group, LogStreamName: stream })
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current)
    const [first] = await events(group, stream)
    assert.deepEqual(first, {
      deliveryStreamARN: `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`, destination: `arn:aws:s3:::${bucket}`,
      deliveryStreamVersionId: 1, message: 'The specified bucket does not exist. Create the bucket or use a different bucket that does exist.',
      errorCode: 'S3.NoSuchBucket',
    })
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current)
    assert.equal((await events(group, stream)).length, 2, 'the retry a minute later failed and was logged too')
  })

  it('writes nothing when logging is disabled or its log group does not exist', async () => {
    const { group, stream } = await newStream(logsClient(nimbus.current), '/aws/kinesisfirehose/off')
    await streamToMissingBucket({ Enabled: false, LogGroupName: group, LogStreamName: stream })
    const missingGroup = uniqueName('/aws/kinesisfirehose/none')
    await streamToMissingBucket({ Enabled: true, LogGroupName: missingGroup, LogStreamName: 'S3Delivery' })
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current)
    assert.deepEqual(await events(group, stream), [])
    const groups = await logsClient(nimbus.current).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: missingGroup }))
    assert.deepEqual(groups.logGroups, [], 'the group is not created')
  })

  it("logs a transformation's failure with the function as processor, but not records it marked ProcessingFailed", async () => {
    const { group, stream } = await newStream(logsClient(nimbus.current), '/aws/kinesisfirehose/transform')
    const failing = await createFunction(lambdaClient(nimbus.current), 'exports.handler = async () => { throw new Error("boom") }')
    const refusing = await createFunction(lambdaClient(nimbus.current), `exports.handler = async (event) =>
      ({ records: event.records.map((r) => ({ recordId: r.recordId, result: 'ProcessingFailed', data: r.data })) })`)
    const lambdaArn = (fn: string) => `arn:aws:lambda:us-east-1:000000000000:function:${fn}`
    const logging = { Enabled: true, LogGroupName: group, LogStreamName: stream }
    const processing = (fn: string) => ({ Enabled: true, Processors: [{ Type: 'Lambda' as const, Parameters: [
      { ParameterName: 'LambdaArn' as const, ParameterValue: lambdaArn(fn) }, { ParameterName: 'NumberOfRetries' as const, ParameterValue: '0' }] }] })
    const first = await streamToBucket(nimbus.current, { CloudWatchLoggingOptions: logging, ProcessingConfiguration: processing(failing) })
    const second = await streamToBucket(nimbus.current, { CloudWatchLoggingOptions: logging, ProcessingConfiguration: processing(refusing) })
    for (const s of [first, second]) await s.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: s.name, Records: [{ Data: Buffer.from('a') }, { Data: Buffer.from('b') }] }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current)
    assert.deepEqual(await events(group, stream), [{
      deliveryStreamARN: `arn:aws:firehose:us-east-1:000000000000:deliverystream/${first.name}`, destination: `arn:aws:s3:::${first.bucket}`,
      deliveryStreamVersionId: 1, message: 'The Lambda function was successfully invoked but it returned an error result.',
      errorCode: 'Lambda.FunctionError', processor: lambdaArn(failing),
    }])
  })

  it("logs an HTTP endpoint's failed attempts with the endpoint URL as destination", async () => {
    const { group, stream } = await newStream(logsClient(nimbus.current), '/aws/kinesisfirehose/http')
    const { firehose, s3 } = clients(nimbus.current)
    const bucket = uniqueName('fh-http-log').toLowerCase()
    const name = uniqueName('fh-http-log')
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    // Port 1 on loopback refuses the connection.
    const url = 'http://127.0.0.1:1/ingest'
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name, HttpEndpointDestinationConfiguration: {
        EndpointConfiguration: { Url: url }, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, RetryOptions: { DurationInSeconds: 0 },
        CloudWatchLoggingOptions: { Enabled: true, LogGroupName: group, LogStreamName: stream }, S3Configuration: { RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}` },
      },
    }))
    await advance(nimbus.current, 5_000)
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('x') }] }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current)
    const [event] = await events(group, stream)
    assert.equal(event?.errorCode, 'HttpEndpoint.ConnectionFailed')
    assert.equal(event?.destination, url)
    assert.equal(event?.deliveryStreamARN, `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`)
    assert.match(String(event?.message), /^Unable to connect to the endpoint destination/)
  })
})
