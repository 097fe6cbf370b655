// Firehose's front-end validation is driven by its model (src/protocol/coral-validation.ts, shared with
// Kinesis): required members, lengths, ranges, patterns and enums answer Coral's "N validation error(s)
// detected: Value … at '<lowerCamel path>' failed to satisfy constraint: …", every violation in one
// message, before the delivery stream is looked up; Firehose's business rules stay InvalidArgumentException.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, ListDeliveryStreamsCommand, ListTagsForDeliveryStreamCommand,
  PutRecordBatchCommand, PutRecordCommand, TagDeliveryStreamCommand, UpdateDestinationCommand,
} from '@aws-sdk/client-firehose'
import { runBoto3 } from '../../helpers/boto3.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { clients } from './firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/firehose'
const bucket = 'arn:aws:s3:::some-bucket'
const missing = 'no-such-stream'
const s3 = (extra: Record<string, unknown> = {}) => ({ RoleARN: role, BucketARN: bucket, ...extra })
const v = (value: string, at: string, constraint: string) => `Value ${value} at '${at}' failed to satisfy constraint: Member must ${constraint}`
const detected = (...problems: string[]) => `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`

// [what, the command, the ValidationException message]
const table: Array<[string, () => object, string]> = [
  ['a stream name with a space', () => new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'a b' }),
    detected(v("'a b'", 'deliveryStreamName', 'satisfy regular expression pattern: [a-zA-Z0-9_.-]+'))],
  ['a stream name of 65 characters', () => new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'n'.repeat(65) }),
    detected(v(`'${'n'.repeat(65)}'`, 'deliveryStreamName', 'have length less than or equal to 64'))],
  ['an unknown stream type', () => new CreateDeliveryStreamCommand({ DeliveryStreamName: 'ok', DeliveryStreamType: 'Bogus' as never }),
    detected(v("'Bogus'", 'deliveryStreamType', 'satisfy enum value set: [DirectPut, KinesisStreamAsSource, MSKAsSource, DatabaseAsSource]'))],
  ['a role that is no role ARN', () => new CreateDeliveryStreamCommand({ DeliveryStreamName: 'ok',
    ExtendedS3DestinationConfiguration: s3({ RoleARN: 'not-an-arn' }) }),
  detected(v("'not-an-arn'", 'extendedS3DestinationConfiguration.roleARN', 'satisfy regular expression pattern: arn:.*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+'))],
  ['buffering hints out of range, both reported', () => new CreateDeliveryStreamCommand({ DeliveryStreamName: 'ok',
    ExtendedS3DestinationConfiguration: s3({ BufferingHints: { SizeInMBs: 0, IntervalInSeconds: 901 } }) }),
  detected(v("'0'", 'extendedS3DestinationConfiguration.bufferingHints.sizeInMBs', 'have value greater than or equal to 1'),
    v("'901'", 'extendedS3DestinationConfiguration.bufferingHints.intervalInSeconds', 'have value less than or equal to 900'))],
  ['an unknown compression format', () => new CreateDeliveryStreamCommand({ DeliveryStreamName: 'ok',
    ExtendedS3DestinationConfiguration: s3({ CompressionFormat: 'LZ4' }) }),
  detected(v("'LZ4'", 'extendedS3DestinationConfiguration.compressionFormat', 'satisfy enum value set: [UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY]'))],
  ['a bad name and a bad type in one request', () => new CreateDeliveryStreamCommand({ DeliveryStreamName: 'a/b', DeliveryStreamType: 'x' as never }),
    detected(v("'a/b'", 'deliveryStreamName', 'satisfy regular expression pattern: [a-zA-Z0-9_.-]+'),
      v("'x'", 'deliveryStreamType', 'satisfy enum value set: [DirectPut, KinesisStreamAsSource, MSKAsSource, DatabaseAsSource]'))],
  ['ListDeliveryStreams with Limit 0', () => new ListDeliveryStreamsCommand({ Limit: 0 }),
    detected(v("'0'", 'limit', 'have value greater than or equal to 1'))],
  ['ListTagsForDeliveryStream with Limit 51', () => new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: missing, Limit: 51 }),
    detected(v("'51'", 'limit', 'have value less than or equal to 50'))],
  ['PutRecordBatch with no records', () => new PutRecordBatchCommand({ DeliveryStreamName: missing, Records: [] }),
    detected(v("'[]'", 'records', 'have length greater than or equal to 1'))],
  ['PutRecord of more than 1,000 KiB', () => new PutRecordCommand({ DeliveryStreamName: missing, Record: { Data: Buffer.alloc(1_024_001) } }),
    detected(v("'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]'", 'record.data', 'have length less than or equal to 1024000'))],
  ['a tag key starting aws:', () => new TagDeliveryStreamCommand({ DeliveryStreamName: missing, Tags: [{ Key: 'aws:x', Value: 'v' }] }),
    detected(v("'aws:x'", 'tags.1.member.key', 'satisfy regular expression pattern: ^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$'))],
  ['a version id that is no number', () => new UpdateDestinationCommand({ DeliveryStreamName: missing, CurrentDeliveryStreamVersionId: 'v1',
    DestinationId: 'destinationId-000000000001' }),
  detected(v("'v1'", 'currentDeliveryStreamVersionId', 'satisfy regular expression pattern: [0-9]+'))],
  ['a missing required member', () => new CreateDeliveryStreamCommand({} as never),
    detected(v('null', 'deliveryStreamName', 'not be null'))],
]

describe('Firehose validation from the model (SDK v3), before the stream is looked up', () => {
  for (const [what, command, message] of table) {
    it(what, async () => {
      const { firehose } = clients(nimbus.current)
      const error = await sdkError(firehose.send(command() as never))
      assert.deepEqual(error, { name: 'ValidationException', status: 400, message })
    })
  }
})

describe('business rules stay InvalidArgumentException', () => {
  it('dynamic partitioning with a buffer under 64 MiB (valid for the model) is the rule\'s own error', async () => {
    const { firehose } = clients(nimbus.current)
    const error = await sdkError(firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'dp-small',
      ExtendedS3DestinationConfiguration: s3({ BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, Prefix: '!{partitionKeyFromQuery:k}/',
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/', DynamicPartitioningConfiguration: { Enabled: true },
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'MetadataExtraction', Parameters: [
          { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{k: .k}' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] }] } }) })))
    assert.equal(error.name, 'InvalidArgumentException')
  })
})

describe('boto3 (which checks only required members and minimums itself)', () => {
  it('a pattern, a maximum and an enum reach the service and answer its message', async () => {
    const script = `import boto3, botocore, json, sys
f = boto3.client('firehose', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
out = []
def attempt(fn, **kw):
    try:
        fn(**kw); out.append('ok')
    except botocore.exceptions.ClientError as e:
        out.append([e.response['Error']['Code'], e.response['Error']['Message']])
attempt(f.describe_delivery_stream, DeliveryStreamName='a b')
attempt(f.list_delivery_streams, Limit=10001)
attempt(f.create_delivery_stream, DeliveryStreamName='ok', DeliveryStreamType='Bogus')
print(json.dumps(out))
`
    const stdout = await runBoto3(script, nimbus.current.endpoint)
    assert.deepEqual(JSON.parse(stdout), [
      ['ValidationException', detected(v("'a b'", 'deliveryStreamName', 'satisfy regular expression pattern: [a-zA-Z0-9_.-]+'))],
      ['ValidationException', detected(v("'10001'", 'limit', 'have value less than or equal to 10000'))],
      ['ValidationException', detected(v("'Bogus'", 'deliveryStreamType', 'satisfy enum value set: [DirectPut, KinesisStreamAsSource, MSKAsSource, DatabaseAsSource]'))],
    ])
  })
})
