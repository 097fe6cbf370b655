// Firehose's CloudWatch Logs processors: Decompression (gzip records unpacked, CONTROL_MESSAGEs
// dropped, non-gzip records to `decompression-failed/`) and CloudWatchLogProcessing message
// extraction (only each log event's message), end to end from a Logs subscription filter into S3.
import assert from 'node:assert/strict'
import { gzipSync } from 'node:zlib'
import { describe, it } from 'node:test'
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import { CreateDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { settle } from '../../helpers/function-log.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { clients, deliveriesSettled, listKeys, objectBytes, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/cwl'
const processors = (extract: boolean) => ({ ProcessingConfiguration: { Enabled: true, Processors: [
  { Type: 'Decompression' as const, Parameters: [{ ParameterName: 'CompressionFormat' as const, ParameterValue: 'GZIP' }] },
  ...(extract ? [{ Type: 'CloudWatchLogProcessing' as const, Parameters: [{ ParameterName: 'DataMessageExtraction' as const, ParameterValue: 'true' }] }] : []),
  { Type: 'AppendDelimiterToRecord' as const },
] }, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })

describe('Firehose CloudWatch Logs processors', () => {
  it('a Logs subscription through Decompression + message extraction delivers only the messages', async () => {
    const { s3, bucket, name } = await streamToBucket(nimbus.current, processors(true))
    const logs = new CloudWatchLogsClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const group = uniqueName('/fh/cwl')
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }))
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'web' }))
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'all', filterPattern: '',
      destinationArn: `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`, roleArn: role }))
    const now = nimbus.current.clock.now()
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'web', logEvents: [
      { timestamp: now, message: 'GET /a 200' }, { timestamp: now, message: 'GET /b 404' }] }))
    await settle()
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1, 'the CONTROL_MESSAGE is dropped, nothing fails')
    assert.equal((await objectBytes(s3, bucket, keys[0]!)).toString(), 'GET /a 200\nGET /b 404\n')
  })

  it('Decompression alone delivers the JSON envelope; a record that is not gzip goes to decompression-failed/ as it came', async () => {
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, processors(false))
    const envelope = { messageType: 'DATA_MESSAGE', owner: '000000000000', logGroup: 'g', logStream: 's', subscriptionFilters: ['f'],
      logEvents: [{ id: '1', timestamp: 1, message: 'm' }] }
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [
      { Data: gzipSync(JSON.stringify(envelope)) }, { Data: Buffer.from('plain text') },
      { Data: gzipSync(JSON.stringify({ ...envelope, messageType: 'CONTROL_MESSAGE' })) },
    ] }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const keys = (await listKeys(s3, bucket)).sort()
    assert.equal(keys.length, 2)
    const [delivered, failed] = [keys.find((k) => !k.startsWith('decompression-failed/'))!, keys.find((k) => k.startsWith('decompression-failed/'))!]
    assert.ok(failed, 'an error object under decompression-failed/')
    assert.deepEqual(JSON.parse((await objectBytes(s3, bucket, delivered)).toString()), envelope)
    const line = JSON.parse((await objectBytes(s3, bucket, failed)).toString()) as Record<string, unknown>
    assert.equal(Buffer.from(String(line.rawData), 'base64').toString(), 'plain text')
    assert.equal(line.errorCode, 'Decompression.Failed')
  })

  it('CloudWatchLogProcessing needs Decompression and DataMessageExtraction true', async () => {
    const { firehose } = clients(nimbus.current)
    const create = (procs: Array<{ Type: 'CloudWatchLogProcessing' | 'Decompression'; Parameters?: Array<{ ParameterName: 'DataMessageExtraction' | 'CompressionFormat'; ParameterValue: string }> }>) =>
      firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: uniqueName('fh-cwl'), ExtendedS3DestinationConfiguration: {
        RoleARN: role, BucketARN: 'arn:aws:s3:::b', ProcessingConfiguration: { Enabled: true, Processors: procs } } }))
    const alone = await sdkError(create([{ Type: 'CloudWatchLogProcessing', Parameters: [{ ParameterName: 'DataMessageExtraction', ParameterValue: 'true' }] }]))
    assert.equal(alone.name, 'InvalidArgumentException')
    const off = await sdkError(create([{ Type: 'Decompression' }, { Type: 'CloudWatchLogProcessing', Parameters: [{ ParameterName: 'DataMessageExtraction', ParameterValue: 'false' }] }]))
    assert.equal(off.name, 'InvalidArgumentException')
    const zip = await sdkError(create([{ Type: 'Decompression', Parameters: [{ ParameterName: 'CompressionFormat', ParameterValue: 'ZIP' }] }]))
    assert.equal(zip.name, 'InvalidArgumentException')
  })
})
