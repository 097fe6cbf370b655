// Firehose checks a request as AWS's front end does: the body first (SerializationException: a blob
// that isn't canonical base64), then the request's own constraints (ValidationException /
// InvalidArgumentException), then the delivery stream (ResourceNotFoundException), then its state
// (the version: ConcurrentModificationException). Each case combines faults of two stages.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateDeliveryStreamCommand, PutRecordBatchCommand, PutRecordCommand, StartDeliveryStreamEncryptionCommand, UpdateDestinationCommand,
  TagDeliveryStreamCommand, DescribeDeliveryStreamCommand,
} from '@aws-sdk/client-firehose'
import { attemptCodes, runBoto3 } from '../../helpers/boto3.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { clients, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus()
const missing = 'no-such-stream'
const role = 'arn:aws:iam::000000000000:role/firehose'

const json = (operation: string, input: unknown) => rawRequest(nimbus.current.endpoint, { headers: {
  'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Firehose_20150804.${operation}`, ...signedBy('firehose') }, body: JSON.stringify(input) })

describe('the body first', () => {
  for (const [what, operation, input, message] of [
    ['PutRecord, Data of 5 characters, missing stream', 'PutRecord', { DeliveryStreamName: missing, Record: { Data: 'abcde' } },
      "'abcde' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5"],
    ['PutRecordBatch, a record with a space in it, bad stream name', 'PutRecordBatch', { DeliveryStreamName: 'a b', Records: [{ Data: 'ab d' }] },
      "'ab d' can not be converted to a Blob: Invalid Base64 character: ' '"],
  ] as const) {
    it(`${what} → SerializationException`, async () => {
      const r = await json(operation, input)
      assert.equal(r.status, 400)
      const body = JSON.parse(r.body) as { __type: string; message: string }
      assert.equal(body.__type.split('#').at(-1), 'SerializationException')
      assert.equal(body.message, message)
    })
  }
})

describe('the request, then the stream, then its state', () => {
  const f = () => clients(nimbus.current).firehose
  const cases: Array<[string, () => Promise<unknown>, string, RegExp]> = [
    ['PutRecord: a record over 1,000 KiB', () => f().send(new PutRecordCommand({ DeliveryStreamName: missing, Record: { Data: new Uint8Array(1_024_001) } })),
      'ValidationException', /at 'record.data'/],
    ['PutRecordBatch: no records', () => f().send(new PutRecordBatchCommand({ DeliveryStreamName: missing, Records: [] })),
      'ValidationException', /at 'records'/],
    ['PutRecordBatch: over 4 MiB', () => f().send(new PutRecordBatchCommand({ DeliveryStreamName: missing,
      Records: Array.from({ length: 5 }, () => ({ Data: new Uint8Array(1_000_000) })) })), 'InvalidArgumentException', /4 MB/],
    ['StartDeliveryStreamEncryption: a customer key without its ARN', () => f().send(new StartDeliveryStreamEncryptionCommand({
      DeliveryStreamName: missing, DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK' } })),
    'InvalidArgumentException', /KeyARN/],
    ['UpdateDestination: a version that is not a number', () => f().send(new UpdateDestinationCommand({ DeliveryStreamName: missing,
      CurrentDeliveryStreamVersionId: 'v1', DestinationId: 'destinationId-000000000001', ExtendedS3DestinationUpdate: {} })),
    'ValidationException', /currentDeliveryStreamVersionId/],
    ['UpdateDestination: no destination update', () => f().send(new UpdateDestinationCommand({ DeliveryStreamName: missing,
      CurrentDeliveryStreamVersionId: '1', DestinationId: 'destinationId-000000000001' })), 'InvalidArgumentException', /destination update/],
    ['UpdateDestination: buffering of 200 MiB', () => f().send(new UpdateDestinationCommand({ DeliveryStreamName: missing,
      CurrentDeliveryStreamVersionId: '1', DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { BufferingHints: { SizeInMBs: 200 } } })), 'ValidationException', /sizeInMBs/i],
    ['TagDeliveryStream: an aws: key', () => f().send(new TagDeliveryStreamCommand({ DeliveryStreamName: missing, Tags: [{ Key: 'aws:x', Value: 'v' }] })),
      'ValidationException', /tags.1.member.key/],
    ['DescribeDeliveryStream: Limit 0', () => f().send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: missing, Limit: 0 })),
      'ValidationException', /at 'limit'/],
  ]
  for (const [what, call, code, message] of cases) {
    it(`${what}, missing stream → ${code}`, async () => {
      const e = await sdkError(call())
      assert.equal(e.name, code, e.message)
      assert.match(e.message, message)
    })
  }

  it('CreateDeliveryStream: a bad configuration under a taken name is the configuration\'s error, not ResourceInUse', async () => {
    const { name, bucket } = await streamToBucket(nimbus.current)
    const e = await sdkError(f().send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { IntervalInSeconds: 901 } } })))
    assert.match(e.name, /ValidationException|InvalidArgumentException/)
    const taken = await sdkError(f().send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}` } })))
    assert.equal(taken.name, 'ResourceInUseException')
  })

  it('UpdateDestination: a well-formed update to a stream with a stale version is ConcurrentModificationException', async () => {
    const { name } = await streamToBucket(nimbus.current)
    const e = await sdkError(f().send(new UpdateDestinationCommand({ DeliveryStreamName: name, CurrentDeliveryStreamVersionId: '7',
      DestinationId: 'destinationId-000000000001', ExtendedS3DestinationUpdate: { Prefix: 'p/' } })))
    assert.equal(e.name, 'ConcurrentModificationException')
    const missingStream = await sdkError(f().send(new UpdateDestinationCommand({ DeliveryStreamName: missing, CurrentDeliveryStreamVersionId: '7',
      DestinationId: 'destinationId-000000000001', ExtendedS3DestinationUpdate: { Prefix: 'p/' } })))
    assert.equal(missingStream.name, 'ResourceNotFoundException')
  })

  it('boto3: bad base64, then a bad key type, then the missing stream', async () => {
    const script = `import boto3, botocore, json, sys
f = boto3.client('firehose', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
f.meta.events.register('before-sign.firehose.PutRecord', lambda request, **kw: setattr(request, 'data', request.data.replace(b'"QUJD"', b'"QUJ"')))
${attemptCodes}
attempt(f.put_record, DeliveryStreamName='${missing}', Record={'Data': b'ABC'})
attempt(f.start_delivery_stream_encryption, DeliveryStreamName='${missing}', DeliveryStreamEncryptionConfigurationInput={'KeyType': 'AWS_OWNED_CMK', 'KeyARN': 'arn:aws:kms:us-east-1:000000000000:key/k'})
attempt(f.put_record, DeliveryStreamName='${missing}', Record={'Data': b'xyz'})
print(json.dumps(out))
`
    const stdout = await runBoto3(script, nimbus.current.endpoint)
    assert.deepEqual(JSON.parse(stdout), ['SerializationException', 'InvalidArgumentException', 'ResourceNotFoundException'])
  })
})
