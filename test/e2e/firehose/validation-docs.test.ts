// Amazon Data Firehose's bad inputs as the API reference and the developer guide document them, walked
// with @aws-sdk/client-firehose and boto3: the model's ranges, patterns and enums (ValidationException),
// the custom-prefix rules, dynamic partitioning, ProcessingConfiguration parameters, HTTP endpoint
// configuration, encryption and UpdateDestination (InvalidArgumentException) — all HTTP 400, and a
// refused create leaves no stream behind.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateDeliveryStreamCommand, type CreateDeliveryStreamCommandInput, DescribeDeliveryStreamCommand, type ExtendedS3DestinationConfiguration,
  type HttpEndpointDestinationConfiguration, ListDeliveryStreamsCommand, type Processor, PutRecordBatchCommand, UpdateDestinationCommand,
} from '@aws-sdk/client-firehose'
import { runBoto3 } from '../../helpers/boto3.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { clients, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus()
const firehose = () => clients(nimbus.current).firehose
const role = 'arn:aws:iam::000000000000:role/firehose'
const bucket = 'arn:aws:s3:::validation-docs'
const one = (value: string, at: string, constraint: string) => `1 validation error detected: Value ${value} at '${at}' failed to satisfy constraint: Member must ${constraint}`
const prefixRule = (constraint: string) => `Ths supplied prefix(es) do not satisfy the following constraint: ${constraint}`
const ext = (extra: Partial<ExtendedS3DestinationConfiguration> = {}) => ({ RoleARN: role, BucketARN: bucket, ...extra })
const http = (extra: Partial<HttpEndpointDestinationConfiguration> = {}): HttpEndpointDestinationConfiguration =>
  ({ EndpointConfiguration: { Url: 'https://example.com/in' }, S3Configuration: { RoleARN: role, BucketARN: bucket }, ...extra })
const lambdaArn = 'arn:aws:lambda:us-east-1:000000000000:function:transform'
const lambdaProcessor = (...parameters: Array<[string, string]>): Processor => ({ Type: 'Lambda',
  Parameters: [['LambdaArn', lambdaArn] as [string, string], ...parameters].map(([ParameterName, ParameterValue]) => ({ ParameterName: ParameterName as never, ParameterValue })) })
const extraction: Processor = { Type: 'MetadataExtraction', Parameters: [
  { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{id: .id}' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] }
/** Dynamic partitioning set up right: each case breaks one thing of it. */
const partitioned = (extra: Partial<ExtendedS3DestinationConfiguration> = {}) => ext({
  DynamicPartitioningConfiguration: { Enabled: true }, BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
  Prefix: 'data/!{partitionKeyFromQuery:id}/', ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
  ProcessingConfiguration: { Enabled: true, Processors: [extraction] }, ...extra })

/** Creates a stream from `input` and expects exactly this error, and no stream by that name afterwards. */
async function refusedCreate(input: Omit<CreateDeliveryStreamCommandInput, 'DeliveryStreamName'>, name: string, message: string): Promise<void> {
  const stream = uniqueName('vd')
  const error = await sdkError(firehose().send(new CreateDeliveryStreamCommand({ DeliveryStreamName: stream, ...input })))
  assert.deepEqual(error, { name, status: 400, message }, JSON.stringify(input))
  assert.ok(!(await firehose().send(new ListDeliveryStreamsCommand({}))).DeliveryStreamNames?.includes(stream))
}

describe('CreateDeliveryStream: destinations, sources and buffering hints', () => {
  it('wants exactly one destination and the source configuration its type needs', async () => {
    const one = 'Exactly one destination configuration is supported for a Firehose stream.'
    await refusedCreate({}, 'InvalidArgumentException', one)
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext(), HttpEndpointDestinationConfiguration: http() }, 'InvalidArgumentException', one)
    await refusedCreate({ DeliveryStreamType: 'KinesisStreamAsSource', ExtendedS3DestinationConfiguration: ext() }, 'InvalidArgumentException',
      'KinesisStreamSourceConfiguration is required for KinesisStreamAsSource delivery streams.')
    await refusedCreate({ KinesisStreamSourceConfiguration: { KinesisStreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', RoleARN: role },
      ExtendedS3DestinationConfiguration: ext() }, 'InvalidArgumentException', 'KinesisStreamSourceConfiguration is only allowed for KinesisStreamAsSource delivery streams.')
  })

  it("refuses buffering hints outside the model's ranges: 1–128 MiB and 0–900 s to S3, 1–64 MiB to an HTTP endpoint", async () => {
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext({ BufferingHints: { SizeInMBs: 129 } }) }, 'ValidationException',
      one("'129'", 'extendedS3DestinationConfiguration.bufferingHints.sizeInMBs', 'have value less than or equal to 128'))
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext({ BufferingHints: { IntervalInSeconds: 901 } }) }, 'ValidationException',
      one("'901'", 'extendedS3DestinationConfiguration.bufferingHints.intervalInSeconds', 'have value less than or equal to 900'))
    await refusedCreate({ HttpEndpointDestinationConfiguration: http({ BufferingHints: { SizeInMBs: 65 } }) }, 'ValidationException',
      one("'65'", 'httpEndpointDestinationConfiguration.bufferingHints.sizeInMBs', 'have value less than or equal to 64'))
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext({ CompressionFormat: 'BZIP2' as never }) }, 'ValidationException',
      one("'BZIP2'", 'extendedS3DestinationConfiguration.compressionFormat', 'satisfy enum value set: [UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY]'))
    await refusedCreate({ ExtendedS3DestinationConfiguration: { RoleARN: role } as never }, 'ValidationException',
      one('null', 'extendedS3DestinationConfiguration.bucketARN', 'not be null'))
  })
})

describe('custom prefixes: the `!{namespace:value}` rules', () => {
  it('answers AWS\'s "Ths supplied prefix(es)…" for each broken rule, and its own words for partition keys without dynamic partitioning', async () => {
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext({ Prefix: 'data/!{timestamp:yyyy}/' }) }, 'InvalidArgumentException',
      prefixRule('ErrorOutputPrefix cannot be null or empty when Prefix contains expressions'))
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext({ Prefix: 'data/!{firehose:error-output-type}/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}/' }) },
      'InvalidArgumentException', prefixRule('Prefix cannot contain !{firehose:error-output-type}'))
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext({ Prefix: 'data/', ErrorOutputPrefix: 'e/!{timestamp:yyyy}/' }) }, 'InvalidArgumentException',
      prefixRule('ErrorOutputPrefix must contain !{firehose:error-output-type} when it contains expressions'))
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext({ Prefix: 'data/!{weather:today}/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}/' }) },
      'InvalidArgumentException', prefixRule('Unsupported namespace: weather'))
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext({ Prefix: 'data/!{timestamp:yyyy/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}/' }) },
      'InvalidArgumentException', prefixRule("The sequence '!{' can only appear in '!{namespace:value}' expressions."))
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext({ Prefix: 'data/!{partitionKeyFromQuery:id}/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}/' }) },
      'InvalidArgumentException', 'Dynamic Partitioning Namespaces can only be part of a prefix expression when Dynamic Partitioning is enabled.')
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext({ Prefix: 'p'.repeat(1025) }) }, 'ValidationException',
      one(`'${'p'.repeat(1025)}'`, 'extendedS3DestinationConfiguration.prefix', 'have length less than or equal to 1024'))
  })
})

describe('dynamic partitioning and ProcessingConfiguration', () => {
  it('wants a partition key in the prefix, 64 MiB and 60 s of buffering, the matching processor and a retry duration of 0–7,200 s', async () => {
    await refusedCreate({ ExtendedS3DestinationConfiguration: partitioned({ Prefix: 'data/' }) }, 'InvalidArgumentException',
      prefixRule('Prefix must contain at least one partitionKeyFromQuery or partitionKeyFromLambda expression when dynamic partitioning is enabled'))
    await refusedCreate({ ExtendedS3DestinationConfiguration: partitioned({ BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 60 } }) }, 'InvalidArgumentException',
      'BufferingHints.SizeInMBs must be at least 64 when dynamic partitioning is enabled.')
    await refusedCreate({ ExtendedS3DestinationConfiguration: partitioned({ BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 0 } }) }, 'InvalidArgumentException',
      'BufferingHints.IntervalInSeconds must be at least 60 when dynamic partitioning is enabled.')
    await refusedCreate({ ExtendedS3DestinationConfiguration: partitioned({ ErrorOutputPrefix: undefined }) }, 'InvalidArgumentException',
      prefixRule('ErrorOutputPrefix cannot be null or empty when Prefix contains expressions'))
    await refusedCreate({ ExtendedS3DestinationConfiguration: partitioned({ ProcessingConfiguration: undefined }) }, 'InvalidArgumentException',
      'partitionKeyFromQuery expressions require a MetadataExtraction processor.')
    await refusedCreate({ ExtendedS3DestinationConfiguration: partitioned({ Prefix: 'data/!{partitionKeyFromLambda:id}/' }) }, 'InvalidArgumentException',
      'partitionKeyFromLambda expressions require a Lambda processor.')
    await refusedCreate({ ExtendedS3DestinationConfiguration: partitioned({ DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 7201 } } }) },
      'ValidationException', one("'7201'", 'extendedS3DestinationConfiguration.dynamicPartitioningConfiguration.retryOptions.durationInSeconds', 'have value less than or equal to 7200'))
    await refusedCreate({ ExtendedS3DestinationConfiguration: partitioned({ ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'MetadataExtraction',
      Parameters: [{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{id: .id}' }] }] } }) }, 'InvalidArgumentException',
    'JsonParsingEngine must be JQ-1.6 for the MetadataExtraction processor; got null.')
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext({ ProcessingConfiguration: { Enabled: true, Processors: [extraction] } }) }, 'InvalidArgumentException',
      'MetadataExtraction processor is only supported when dynamic partitioning is enabled.')
  })

  it("checks the processors' types, parameter names and the Lambda processor's documented ranges", async () => {
    const processing = (...processors: Processor[]) => ({ ExtendedS3DestinationConfiguration: ext({ ProcessingConfiguration: { Enabled: true, Processors: processors } }) })
    await refusedCreate(processing({ Type: 'Compress' as never }), 'ValidationException', one("'Compress'",
      'extendedS3DestinationConfiguration.processingConfiguration.processors.1.member.type',
      'satisfy enum value set: [RecordDeAggregation, Decompression, CloudWatchLogProcessing, Lambda, MetadataExtraction, AppendDelimiterToRecord]'))
    await refusedCreate(processing(lambdaProcessor(['Timeout', '3'])), 'ValidationException', one("'Timeout'",
      'extendedS3DestinationConfiguration.processingConfiguration.processors.1.member.parameters.2.member.parameterName',
      'satisfy enum value set: [LambdaArn, NumberOfRetries, MetadataExtractionQuery, JsonParsingEngine, RoleArn, BufferSizeInMBs, ' +
      'BufferIntervalInSeconds, SubRecordType, Delimiter, CompressionFormat, DataMessageExtraction]'))
    await refusedCreate(processing({ Type: 'Lambda', Parameters: [{ ParameterName: 'NumberOfRetries', ParameterValue: '3' }] }), 'InvalidArgumentException',
      'LambdaArn is required for the Lambda processor.')
    await refusedCreate(processing(lambdaProcessor(['BufferSizeInMBs', '4'])), 'InvalidArgumentException', 'BufferSizeInMBs must be between 0.2 and 3.')
    await refusedCreate(processing(lambdaProcessor(['BufferIntervalInSeconds', '901'])), 'InvalidArgumentException', 'BufferIntervalInSeconds must be between 0 and 900.')
    await refusedCreate(processing(lambdaProcessor(['NumberOfRetries', '301'])), 'InvalidArgumentException', 'NumberOfRetries must be between 0 and 300.')
    await refusedCreate(processing(lambdaProcessor(), lambdaProcessor()), 'InvalidArgumentException', 'Only one Lambda processor is supported.')
    await refusedCreate(processing({ Type: 'Decompression', Parameters: [{ ParameterName: 'CompressionFormat', ParameterValue: 'ZIP' }] }), 'InvalidArgumentException',
      'CompressionFormat ZIP is not supported for the Decompression processor; only GZIP is.')
  })
})

describe('HTTP endpoint destinations, encryption and UpdateDestination', () => {
  it("checks the endpoint's URL, S3 configuration, request configuration and retry options against the model", async () => {
    await refusedCreate({ HttpEndpointDestinationConfiguration: http({ EndpointConfiguration: { Url: 'ftp://example.com/in' } }) }, 'ValidationException',
      one("'ftp://example.com/in'", 'httpEndpointDestinationConfiguration.endpointConfiguration.url', 'satisfy regular expression pattern: https://.*'))
    await refusedCreate({ HttpEndpointDestinationConfiguration: http({ S3Configuration: undefined }) }, 'ValidationException',
      one('null', 'httpEndpointDestinationConfiguration.s3Configuration', 'not be null'))
    await refusedCreate({ HttpEndpointDestinationConfiguration: http({ RequestConfiguration: { ContentEncoding: 'BROTLI' as never } }) }, 'ValidationException',
      one("'BROTLI'", 'httpEndpointDestinationConfiguration.requestConfiguration.contentEncoding', 'satisfy enum value set: [NONE, GZIP]'))
    await refusedCreate({ HttpEndpointDestinationConfiguration: http({ RetryOptions: { DurationInSeconds: 7201 } }) }, 'ValidationException',
      one("'7201'", 'httpEndpointDestinationConfiguration.retryOptions.durationInSeconds', 'have value less than or equal to 7200'))
    await refusedCreate({ HttpEndpointDestinationConfiguration: http({ S3BackupMode: 'Everything' as never }) }, 'ValidationException',
      one("'Everything'", 'httpEndpointDestinationConfiguration.s3BackupMode', 'satisfy enum value set: [FailedDataOnly, AllData]'))
  })

  it('pairs the encryption key type with a key ARN as documented', async () => {
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext(), DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK' } },
      'InvalidArgumentException', 'KeyARN must be specified when KeyType is CUSTOMER_MANAGED_CMK.')
    await refusedCreate({ ExtendedS3DestinationConfiguration: ext(), DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK',
      KeyARN: 'arn:aws:kms:us-east-1:000000000000:key/k' } }, 'InvalidArgumentException', 'KeyARN must not be specified when KeyType is AWS_OWNED_CMK.')
  })

  it('takes one destination update a call (ExtendedS3DestinationUpdate beside S3DestinationUpdate is two) and changes nothing when it refuses', async () => {
    const { name } = await streamToBucket(nimbus.current, { Prefix: 'kept/' })
    const update = (input: object) => firehose().send(new UpdateDestinationCommand({ DeliveryStreamName: name, CurrentDeliveryStreamVersionId: '1',
      DestinationId: 'destinationId-000000000001', ...input }))
    const exactlyOne = { name: 'InvalidArgumentException', status: 400, message: 'Exactly one destination update is required.' }
    assert.deepEqual(await sdkError(update({ ExtendedS3DestinationUpdate: { Prefix: 'a/' }, S3DestinationUpdate: { Prefix: 'b/' } })), exactlyOne)
    assert.deepEqual(await sdkError(update({})), exactlyOne)
    assert.deepEqual(await sdkError(update({ ExtendedS3DestinationUpdate: { Prefix: 'a/!{timestamp:yyyy}/' } })), { name: 'InvalidArgumentException', status: 400,
      message: prefixRule('ErrorOutputPrefix cannot be null or empty when Prefix contains expressions') })
    assert.deepEqual(await sdkError(update({ CurrentDeliveryStreamVersionId: '7', ExtendedS3DestinationUpdate: { Prefix: 'a/' } })), { name: 'ConcurrentModificationException',
      status: 400, message: 'Current delivery stream version ID 1 does not match the version ID 7 passed in the request.' })
    assert.deepEqual(await sdkError(update({ DestinationId: 'destinationId-000000000002', ExtendedS3DestinationUpdate: { Prefix: 'a/' } })),
      { name: 'InvalidArgumentException', status: 400, message: 'Destination Id destinationId-000000000002 not found.' })
    const described = (await firehose().send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription
    assert.deepEqual([described?.VersionId, described?.Destinations?.[0]?.ExtendedS3DestinationDescription?.Prefix], ['1', 'kept/'])
    // The deprecated update alone is one update.
    await update({ S3DestinationUpdate: { Prefix: 'moved/' } })
    const after = (await firehose().send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription
    assert.deepEqual([after?.VersionId, after?.Destinations?.[0]?.ExtendedS3DestinationDescription?.Prefix], ['2', 'moved/'])
    const many = await sdkError(firehose().send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: Array.from({ length: 501 }, () => ({ Data: Buffer.from('x') })) })))
    assert.equal(many.name, 'ValidationException')
    assert.match(many.message, /' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/)
  })
})

describe('the same answers through boto3', () => {
  it('gives botocore the codes, statuses and messages', async () => {
    const out = await runBoto3(`
import sys, json, boto3, botocore
from botocore.config import Config
f = boto3.client('firehose', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t',
                 config=Config(retries={'max_attempts': 1}, parameter_validation=False))
def answer(**kw):
    try:
        f.create_delivery_stream(DeliveryStreamName='boto3-validation-docs', **kw); return 'ok'
    except botocore.exceptions.ClientError as e:
        return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
d = {'RoleARN': sys.argv[2], 'BucketARN': sys.argv[3]}
print(json.dumps([
    answer(ExtendedS3DestinationConfiguration=dict(d, Prefix='!{partitionKeyFromQuery:id}/', ErrorOutputPrefix='e/!{firehose:error-output-type}/')),
    answer(ExtendedS3DestinationConfiguration=dict(d, BufferingHints={'SizeInMBs': 0})),
    answer(ExtendedS3DestinationConfiguration=dict(d, Prefix='!{timestamp:yyyy}/')),
]))`, nimbus.current.endpoint, role, bucket)
    assert.deepEqual(JSON.parse(out), [
      ['InvalidArgumentException', 400, 'Dynamic Partitioning Namespaces can only be part of a prefix expression when Dynamic Partitioning is enabled.'],
      ['ValidationException', 400, one("'0'", 'extendedS3DestinationConfiguration.bufferingHints.sizeInMBs', 'have value greater than or equal to 1')],
      ['InvalidArgumentException', 400, prefixRule('ErrorOutputPrefix cannot be null or empty when Prefix contains expressions')],
    ])
  })
})
