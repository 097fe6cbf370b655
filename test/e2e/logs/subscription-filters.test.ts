// CloudWatch Logs subscription filters end to end: PutSubscriptionFilter/Describe/Delete with AWS's
// checks (2 per group, destinations that must take the test message), and matching events delivered
// as AWS does — gzip-compressed JSON records to Kinesis and Firehose (after a CONTROL_MESSAGE), and
// `{"awslogs":{"data":…}}` to a Lambda function invoked asynchronously.
import assert from 'node:assert/strict'
import { gunzipSync } from 'node:zlib'
import { describe, it } from 'node:test'
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteSubscriptionFilterCommand, DescribeSubscriptionFiltersCommand,
  PutLogEventsCommand, PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import { CreateDeliveryStreamCommand } from '@aws-sdk/client-firehose'
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis'
import { AddPermissionCommand } from '@aws-sdk/client-lambda'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, watchFunctionLog } from '../../helpers/function-log.ts'
import { clients as firehoseClients, deliveriesSettled, listKeys, objectBytes } from '../firehose/firehose-helpers.ts'

const nimbus = useNimbus()
const options = () => ({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
const role = 'arn:aws:iam::000000000000:role/cwl-to-destination'
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`

interface Message { messageType: string; owner: string; logGroup: string; logStream: string; subscriptionFilters: string[]; logEvents: Array<{ id: string; timestamp: number; message: string }> }

async function kinesisMessages(kinesis: KinesisClient, stream: string): Promise<Message[]> {
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
  const out = await kinesis.send(new GetRecordsCommand({ ShardIterator }))
  return (out.Records ?? []).map((r) => JSON.parse(gunzipSync(r.Data!).toString()) as Message)
}

async function groupWithStream(logs: CloudWatchLogsClient) {
  const group = uniqueName('/app/subscribed')
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }))
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'web-1' }))
  return group
}

describe('CloudWatch Logs subscription filters', () => {
  it('sends a control message, then matching events as gzip JSON to a Kinesis stream', async () => {
    const logs = new CloudWatchLogsClient(options())
    const kinesis = new KinesisClient(options())
    const stream = uniqueName('cwl')
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }))
    await advance(nimbus.current, 500)
    const group = await groupWithStream(logs)
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'errors', filterPattern: 'ERROR', destinationArn: streamArn(stream), roleArn: role }))
    const [control] = await kinesisMessages(kinesis, stream)
    assert.equal(control!.messageType, 'CONTROL_MESSAGE')
    assert.equal(control!.owner, 'CloudwatchLogs')
    assert.match(control!.logEvents[0]!.message, /^CWL CONTROL MESSAGE: Checking health of destination Kinesis stream\./)

    const now = nimbus.current.clock.now()
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'web-1', logEvents: [
      { timestamp: now, message: 'INFO started' }, { timestamp: now + 1, message: 'ERROR disk full' }, { timestamp: now + 2, message: 'ERROR again' },
    ] }))
    await settle()
    const [, data, ...rest] = await kinesisMessages(kinesis, stream)
    assert.deepEqual(rest, [])
    assert.equal(data!.messageType, 'DATA_MESSAGE')
    assert.equal(data!.owner, '000000000000')
    assert.equal(data!.logGroup, group)
    assert.equal(data!.logStream, 'web-1')
    assert.deepEqual(data!.subscriptionFilters, ['errors'])
    assert.deepEqual(data!.logEvents.map((e) => [e.timestamp, e.message]), [[now + 1, 'ERROR disk full'], [now + 2, 'ERROR again']])
    assert.match(data!.logEvents[0]!.id, /^\d{56}$/)
    assert.deepEqual(Object.keys(data!), ['messageType', 'owner', 'logGroup', 'logStream', 'subscriptionFilters', 'logEvents'])
  })

  it('keeps two filters at most, describes and deletes them, and refuses what AWS refuses', async () => {
    const logs = new CloudWatchLogsClient(options())
    const kinesis = new KinesisClient(options())
    const stream = uniqueName('cwl')
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }))
    await advance(nimbus.current, 500)
    const group = await groupWithStream(logs)
    const put = (filterName: string, destinationArn = streamArn(stream), filterPattern = '') =>
      logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName, filterPattern, destinationArn, roleArn: role }))
    await put('a')
    await put('b', streamArn(stream), '{ $.level = "ERROR" }')
    await put('a', streamArn(stream), 'WARN')
    const third = await sdkError(put('c'))
    assert.equal(third.name, 'LimitExceededException')

    const described = (await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }))).subscriptionFilters!
    assert.deepEqual(described.map((f) => [f.filterName, f.filterPattern, f.destinationArn, f.roleArn, f.distribution, f.logGroupName]), [
      ['a', 'WARN', streamArn(stream), role, 'ByLogStream', group], ['b', '{ $.level = "ERROR" }', streamArn(stream), role, 'ByLogStream', group],
    ])
    assert.equal(typeof described[0]!.creationTime, 'number')
    const prefixed = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group, filterNamePrefix: 'b' }))
    assert.deepEqual(prefixed.subscriptionFilters!.map((f) => f.filterName), ['b'])

    const missingStream = await sdkError(put('a', streamArn('no-such-stream')))
    assert.equal(missingStream.name, 'InvalidParameterException')
    assert.match(missingStream.message, /Could not deliver test message to specified Kinesis stream/)
    const badPattern = await sdkError(put('a', streamArn(stream), '{ $.level = '))
    assert.equal(badPattern.name, 'InvalidParameterException')
    const badArn = await sdkError(put('a', 'arn:aws:sqs:us-east-1:000000000000:queue'))
    assert.equal(badArn.name, 'InvalidParameterException')
    const noGroup = await sdkError(logs.send(new PutSubscriptionFilterCommand({ logGroupName: 'no-such-group', filterName: 'x', filterPattern: '', destinationArn: streamArn(stream) })))
    assert.equal(noGroup.name, 'ResourceNotFoundException')
    const noRole = await sdkError(logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'x', filterPattern: '', destinationArn: streamArn(stream) })))
    assert.equal(noRole.name, 'InvalidParameterException')
    assert.equal(noRole.message, 'destinationArn for vendor kinesis cannot be used without roleArn')

    await logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: group, filterName: 'a' }))
    const gone = await sdkError(logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: group, filterName: 'a' })))
    assert.equal(gone.name, 'ResourceNotFoundException')
    await put('c')
    const after = (await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }))).subscriptionFilters!
    assert.deepEqual(after.map((f) => f.filterName), ['b', 'c'])
  })

  it('writes gzip records to a Firehose stream, delivered into S3', async () => {
    const logs = new CloudWatchLogsClient(options())
    const { firehose, s3 } = firehoseClients(nimbus.current)
    const bucket = uniqueName('cwl-fh').toLowerCase()
    const name = uniqueName('cwl-fh')
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: {
      RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } } }))
    await advance(nimbus.current, 5_000)
    const group = await groupWithStream(logs)
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'all', filterPattern: '',
      destinationArn: `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`, roleArn: role }))
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'web-1', logEvents: [{ timestamp: nimbus.current.clock.now(), message: 'hello firehose' }] }))
    await settle()
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const [key] = await listKeys(s3, bucket)
    // Two gzip members back to back (the control message, then the data): gunzip reads both.
    const text = gunzipSync(await objectBytes(s3, bucket, key!)).toString()
    const [control, data] = text.split(/(?<=\})(?=\{"messageType")/).map((t) => JSON.parse(t) as Message)
    assert.equal(control!.messageType, 'CONTROL_MESSAGE')
    assert.match(control!.logEvents[0]!.message, /destination Firehose/)
    assert.equal(data!.messageType, 'DATA_MESSAGE')
    assert.deepEqual(data!.logEvents.map((e) => e.message), ['hello firehose'])
  })

  it('refuses a Firehose stream that reads a Kinesis stream (only DirectPut streams take the test message)', async () => {
    const logs = new CloudWatchLogsClient(options())
    const kinesis = new KinesisClient(options())
    const { firehose } = firehoseClients(nimbus.current)
    const source = uniqueName('cwl-src')
    await kinesis.send(new CreateStreamCommand({ StreamName: source, ShardCount: 1 }))
    await advance(nimbus.current, 500)
    const name = uniqueName('cwl-fh-ks')
    await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn(source), RoleARN: role },
      ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: 'arn:aws:s3:::any-bucket' } }))
    await advance(nimbus.current, 5_000)
    const refused = await sdkError(logs.send(new PutSubscriptionFilterCommand({ logGroupName: await groupWithStream(logs), filterName: 'f', filterPattern: '',
      destinationArn: `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`, roleArn: role })))
    assert.equal(refused.name, 'InvalidParameterException')
    assert.match(refused.message, /Could not deliver test message to specified Firehose stream/)
  })

  it('invokes a Lambda function with {"awslogs":{"data":base64(gzip(json))}}', async () => {
    const logs = new CloudWatchLogsClient(options())
    const lambda = lambdaClient(nimbus.current)
    const fn = await createFunction(lambda, `const zlib = require('node:zlib')
exports.handler = async (event) => {
  console.log('GOT ' + zlib.gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString())
  return 'ok'
}`)
    const log = watchFunctionLog(nimbus.current, fn)
    const missing = await sdkError(logs.send(new PutSubscriptionFilterCommand({ logGroupName: await groupWithStream(logs), filterName: 'f', filterPattern: '',
      destinationArn: 'arn:aws:lambda:us-east-1:000000000000:function:no-such-function' })))
    assert.equal(missing.name, 'InvalidParameterException')
    const group = await groupWithStream(logs)
    // The guide's first step: let CloudWatch Logs invoke the function for this log group (checked under --enforce-iam:
    // subscription-lambda-permission.test.ts).
    await lambda.send(new AddPermissionCommand({ FunctionName: fn, StatementId: 'cwl', Action: 'lambda:InvokeFunction', Principal: 'logs.amazonaws.com',
      SourceArn: `arn:aws:logs:us-east-1:000000000000:log-group:${group}:*`, SourceAccount: '000000000000' }))
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'to-fn', filterPattern: '"payment failed"',
      destinationArn: `arn:aws:lambda:us-east-1:000000000000:function:${fn}` }))
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'web-1', logEvents: [
      { timestamp: nimbus.current.clock.now(), message: 'payment failed for order 7' }, { timestamp: nimbus.current.clock.now(), message: 'all good' },
    ] }))
    await log.waitFor('GOT ')
    const [got] = log.tagged<Message>('GOT')
    log.stop()
    assert.equal(got!.messageType, 'DATA_MESSAGE')
    assert.equal(got!.logGroup, group)
    assert.deepEqual(got!.subscriptionFilters, ['to-fn'])
    assert.deepEqual(got!.logEvents.map((e) => e.message), ['payment failed for order 7'])
  })
})

describe('CloudWatch Logs subscription filters across a restart', () => {
  it('keeps the filters with their log group and delivers through them after the restart', async () => {
    const durable = await durableNimbus('logs-subscriptions')
    const opts = () => ({ endpoint: durable.nimbus.endpoint, region: 'us-east-1', credentials: testCredentials })
    const stream = uniqueName('cwl-durable')
    await new KinesisClient(opts()).send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }))
    await advance(durable.nimbus, 500)
    const group = await groupWithStream(new CloudWatchLogsClient(opts()))
    await new CloudWatchLogsClient(opts()).send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'kept', filterPattern: 'ERROR',
      destinationArn: streamArn(stream), roleArn: role }))
    const before = (await new CloudWatchLogsClient(opts()).send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }))).subscriptionFilters
    await durable.restart()
    const logs = new CloudWatchLogsClient(opts())
    assert.deepEqual((await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }))).subscriptionFilters, before)
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'web-1',
      logEvents: [{ timestamp: durable.nimbus.clock.now(), message: 'ERROR after restart' }] }))
    await advance(durable.nimbus, 0)
    await settle()
    const messages = await kinesisMessages(new KinesisClient(opts()), stream)
    assert.deepEqual(messages.map((m) => m.messageType), ['CONTROL_MESSAGE', 'DATA_MESSAGE'])
    assert.deepEqual(messages[1]!.logEvents.map((e) => e.message), ['ERROR after restart'])
  })
})
