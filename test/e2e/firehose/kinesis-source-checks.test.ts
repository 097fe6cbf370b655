// A Kinesis-sourced delivery stream's checks: CreateDeliveryStream refuses a source stream that does
// not exist (AWS describes it with the source role at creation) and malformed stream or role ARNs (the
// model's patterns, in Coral's ValidationException); the stream then refuses the Direct PUT operations
// and server-side encryption, as AWS documents for non-DirectPut streams.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, PutRecordBatchCommand, PutRecordCommand, StartDeliveryStreamEncryptionCommand,
} from '@aws-sdk/client-firehose'
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { clients } from './firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/firehose'
const destination = { ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: 'arn:aws:s3:::bucket' } }

function create(name: string, KinesisStreamARN: string, RoleARN = role) {
  return clients(nimbus.current).firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: name, DeliveryStreamType: 'KinesisStreamAsSource', KinesisStreamSourceConfiguration: { KinesisStreamARN, RoleARN }, ...destination,
  }))
}

describe('Firehose Kinesis source checks', () => {
  it('refuses a source stream that does not exist, and creates nothing', async () => {
    const name = uniqueName('fh-missing-source')
    const missing = await sdkError(create(name, 'arn:aws:kinesis:us-east-1:000000000000:stream/no-such-stream'))
    assert.deepEqual(missing, { name: 'InvalidArgumentException', status: 400, message: 'Stream no-such-stream under account 000000000000 not found.' })
    // A stream of that name in another Region is not the one named.
    const kinesisWest = new KinesisClient({ endpoint: nimbus.current.endpoint, region: 'us-west-2', credentials: testCredentials })
    const west = uniqueName('west')
    await kinesisWest.send(new CreateStreamCommand({ StreamName: west, ShardCount: 1 }))
    assert.equal((await sdkError(create(name, `arn:aws:kinesis:us-east-1:000000000000:stream/${west}`)))?.name, 'InvalidArgumentException')
    const described = await sdkError(clients(nimbus.current).firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })))
    assert.equal(described?.name, 'ResourceNotFoundException')
  })

  it('refuses malformed stream and role ARNs with the model patterns', async () => {
    const name = uniqueName('fh-bad-arn')
    const badStream = await sdkError(create(name, 'arn:aws:sqs:us-east-1:000000000000:queue'))
    assert.equal(badStream?.name, 'ValidationException')
    assert.match(badStream!.message, /^1 validation error detected: Value 'arn:aws:sqs:us-east-1:000000000000:queue' at 'kinesisStreamSourceConfiguration\.kinesisStreamARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:\.\*:kinesis:/)
    const badRole = await sdkError(create(name, 'arn:aws:kinesis:us-east-1:000000000000:stream/s', 'role'))
    assert.equal(badRole?.name, 'ValidationException')
    assert.match(badRole!.message, /at 'kinesisStreamSourceConfiguration\.roleARN' failed to satisfy constraint: Member must (have length greater than or equal to 1|satisfy regular expression pattern: arn:\.\*:iam::)/)
  })

  it('refuses PutRecord, PutRecordBatch and StartDeliveryStreamEncryption on a Kinesis-sourced stream', async () => {
    const kinesis = new KinesisClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const source = uniqueName('src')
    await kinesis.send(new CreateStreamCommand({ StreamName: source, ShardCount: 1 }))
    const name = uniqueName('fh-from-kinesis')
    await create(name, `arn:aws:kinesis:us-east-1:000000000000:stream/${source}`)
    await advance(nimbus.current, 5_000)
    const { firehose } = clients(nimbus.current)
    const message = 'This operation is not permitted on KinesisStreamAsSource delivery stream type.'
    assert.deepEqual(await sdkError(firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from('x') } }))),
      { name: 'InvalidArgumentException', status: 400, message })
    assert.deepEqual(await sdkError(firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('x') }] }))),
      { name: 'InvalidArgumentException', status: 400, message })
    const encryption = await sdkError(firehose.send(new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: name,
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' } })))
    assert.equal(encryption?.name, 'InvalidArgumentException')
  })
})
