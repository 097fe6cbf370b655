// AWS's errors for bad Firehose input, exactly: Coral validation messages, prefix rules,
// unsupported destinations, records too large, and malformed bodies that never crash Nimbus.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateDeliveryStreamCommand, PutRecordBatchCommand, PutRecordCommand } from '@aws-sdk/client-firehose'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { clients, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/firehose'
const create = (input: Record<string, unknown>) =>
  clients(nimbus.current).firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: uniqueName('err'), ...input }))
const extended = (extra: Record<string, unknown> = {}) => ({ ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: 'arn:aws:s3:::b', ...extra } })

describe('Firehose errors', () => {
  it('validates names and buffering hints with Coral messages', async () => {
    const bad = await sdkError(clients(nimbus.current).firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'no spaces', ...extended() })))
    assert.deepEqual(bad, {
      name: 'ValidationException', status: 400,
      message: "1 validation error detected: Value 'no spaces' at 'deliveryStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    })
    const size = await sdkError(create(extended({ BufferingHints: { SizeInMBs: 129, IntervalInSeconds: 60 } })))
    assert.equal(size.message, "1 validation error detected: Value '129' at 'extendedS3DestinationConfiguration.bufferingHints.sizeInMBs' failed to satisfy constraint: Member must have value less than or equal to 128")
    const interval = await sdkError(create(extended({ BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 901 } })))
    assert.equal(interval.name, 'ValidationException')
    const bucket = await sdkError(create(extended({ BucketARN: 'not-an-arn' })))
    assert.match(bucket.message, /at 'extendedS3DestinationConfiguration\.bucketARN' failed to satisfy constraint: Member must satisfy regular expression pattern/)
  })

  it("applies AWS's prefix rules", async () => {
    const noError = await sdkError(create(extended({ Prefix: 'a/!{timestamp:yyyy}/' })))
    assert.deepEqual(noError, {
      name: 'InvalidArgumentException', status: 400,
      message: 'Ths supplied prefix(es) do not satisfy the following constraint: ErrorOutputPrefix cannot be null or empty when Prefix contains expressions',
    })
    const typeInPrefix = await sdkError(create(extended({ Prefix: 'a/!{firehose:error-output-type}/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}' })))
    assert.equal(typeInPrefix.name, 'InvalidArgumentException')
    const noType = await sdkError(create(extended({ Prefix: 'a/', ErrorOutputPrefix: 'e/!{timestamp:yyyy}/' })))
    assert.equal(noType.name, 'InvalidArgumentException')
    const badPattern = await sdkError(create(extended({ Prefix: "a/!{timestamp:yyyy'}/", ErrorOutputPrefix: 'e/!{firehose:error-output-type}' })))
    assert.equal(badPattern.name, 'InvalidArgumentException')
    const dynamic = await sdkError(create(extended({ Prefix: 'a/!{partitionKeyFromQuery:id}/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}' })))
    assert.equal(dynamic.message, 'Dynamic Partitioning Namespaces can only be part of a prefix expression when Dynamic Partitioning is enabled.')
    // No expressions at all needs no ErrorOutputPrefix.
    await create(extended({ Prefix: 'plain/' }))
  })

  it('answers a clear InvalidArgumentException for destinations and features Nimbus does not deliver to', async () => {
    const splunk = await sdkError(create({ SplunkDestinationConfiguration: { HECEndpoint: 'https://x', HECEndpointType: 'Raw', HECToken: 't',
      S3Configuration: extended().ExtendedS3DestinationConfiguration } }))
    assert.equal(splunk.name, 'InvalidArgumentException')
    assert.match(splunk.message, /Nimbus does not support Splunk destinations yet/)
    const none = await sdkError(create({}))
    assert.equal(none.name, 'InvalidArgumentException')
    const conversion = await sdkError(create(extended({ DataFormatConversionConfiguration: { Enabled: true } })))
    assert.equal(conversion.name, 'InvalidArgumentException')
    assert.match(conversion.message, /Nimbus does not support record format conversion/)
    const noArn = await sdkError(create(extended({ ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda' }] } })))
    assert.equal(noArn.name, 'InvalidArgumentException')
  })

  it('rejects records over 1,000 KiB, batches over 500 records or 4 MiB, and puts to a missing stream', async () => {
    const { firehose, name } = await streamToBucket(nimbus.current)
    const big = new Uint8Array(1_024_001)
    const one = await sdkError(firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: big } })))
    assert.deepEqual(one, {
      name: 'ValidationException', status: 400,
      message: "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'record.data' failed to satisfy constraint: Member must have length less than or equal to 1024000",
    })
    const two = await sdkError(firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: new Uint8Array(1) }, { Data: big }, { Data: big }] })))
    assert.match(two.message, /^2 validation errors detected: Value 'java\.nio\.HeapByteBuffer\[pos=0 lim=1024001 cap=1024001\]' at 'records\.2\.member\.data' .*; Value .* at 'records\.3\.member\.data'/)
    const many = await sdkError(firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: Array.from({ length: 501 }, () => ({ Data: new Uint8Array(1) })) })))
    assert.equal(many.name, 'ValidationException')
    assert.match(many.message, /at 'records' failed to satisfy constraint: Member must have length less than or equal to 500/)
    const heavy = await sdkError(firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: Array.from({ length: 5 }, () => ({ Data: new Uint8Array(1_000_000) })) })))
    assert.equal(heavy.name, 'InvalidArgumentException')
    const missing = await sdkError(firehose.send(new PutRecordCommand({ DeliveryStreamName: 'nope', Record: { Data: new Uint8Array(1) } })))
    assert.deepEqual(missing, { name: 'ResourceNotFoundException', message: 'Firehose nope under account 000000000000 not found.', status: 400 })
  })

  it('refuses PutRecord on a KinesisStreamAsSource stream', async () => {
    const { firehose } = clients(nimbus.current)
    const name = uniqueName('from-kinesis')
    const source = uniqueName('s')
    await new KinesisClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials }).send(new CreateStreamCommand({ StreamName: source, ShardCount: 1 }))
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name, DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${source}`, RoleARN: role },
      ...extended(),
    }))
    await advance(nimbus.current, 5_000)
    const put = await sdkError(firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: new Uint8Array(1) } })))
    assert.deepEqual(put, { name: 'InvalidArgumentException', status: 400, message: 'This operation is not permitted on KinesisStreamAsSource delivery stream type.' })
  })

  it('answers malformed and incomplete bodies with JSON errors and keeps serving', async () => {
    const headers = { ...signedBy('firehose'), 'content-type': 'application/x-amz-json-1.1' }
    const call = (target: string, body: string) => rawRequest(nimbus.current.endpoint, { headers: { ...headers, 'x-amz-target': `Firehose_20150804.${target}` }, body })
    const broken = await call('PutRecord', '{"DeliveryStreamName": ')
    assert.equal(broken.status, 400)
    assert.match(JSON.parse(broken.body).__type, /SerializationException/)
    const wrongType = await call('PutRecordBatch', '{"DeliveryStreamName":"x","Records":"nope"}')
    assert.equal(wrongType.status, 400)
    const missing = await call('PutRecord', '{"DeliveryStreamName":"x"}')
    assert.equal(missing.status, 400)
    assert.match(missing.body, /Member must not be null/)
    const nullRecord = await call('PutRecordBatch', '{"DeliveryStreamName":"x","Records":[null]}')
    assert.equal(nullRecord.status, 400)
    const badBase64 = await call('PutRecord', '{"DeliveryStreamName":"x","Record":{"Data":5}}')
    assert.equal(badBase64.status, 400)
    const after = await call('ListDeliveryStreams', '{}')
    assert.equal(after.status, 200)
  })
})
