// Kinesis resource-based policies (PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy) on a
// stream and on a consumer by ARN, as the API reference describes them: stored and read back, an
// invalid document and an unknown stream refused (stored with the stream: durable with a data dir).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DeleteResourcePolicyCommand, GetResourcePolicyCommand, KinesisClient, PutRecordCommand, PutResourcePolicyCommand, RegisterStreamConsumerCommand,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

const policy = (resource: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'cross-account-read', Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStreamSummary'],
  Resource: resource }] })

describe('Kinesis resource policies', () => {
  it('puts, reads and deletes a stream\'s and a consumer\'s policy by ARN', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    const arn = streamArn(name)
    assert.equal((await k.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, '{}')
    await k.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: policy(arn) }))
    assert.deepEqual(JSON.parse((await k.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy!), JSON.parse(policy(arn)))

    const { Consumer } = await k.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'reader' }))
    await advance(nimbus.current, 5_000)
    await k.send(new PutResourcePolicyCommand({ ResourceARN: Consumer!.ConsumerARN, Policy: policy(Consumer!.ConsumerARN!) }))
    assert.equal((await k.send(new GetResourcePolicyCommand({ ResourceARN: Consumer!.ConsumerARN }))).Policy, policy(Consumer!.ConsumerARN!))

    await k.send(new DeleteResourcePolicyCommand({ ResourceARN: arn }))
    assert.equal((await k.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, '{}')
    // The consumer's policy is its own.
    assert.equal((await k.send(new GetResourcePolicyCommand({ ResourceARN: Consumer!.ConsumerARN }))).Policy, policy(Consumer!.ConsumerARN!))
    const again = await sdkError(k.send(new DeleteResourcePolicyCommand({ ResourceARN: arn })))
    assert.deepEqual([again.name, again.status], ['ResourceNotFoundException', 400])
  })

  it('is not enforced without enforceIam: another account writes by ARN, policy or not (resource-policies-enforced.test.ts)', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    const other = new KinesisClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: { accessKeyId: '999988887777', secretAccessKey: 'x' },
      maxAttempts: 1 })
    const out = await other.send(new PutRecordCommand({ StreamARN: streamArn(name), PartitionKey: 'p', Data: Buffer.from('x') }))
    assert.match(out.SequenceNumber!, /^49/)
  })

  it('refuses a policy that is no JSON document and a stream that does not exist', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    const bad = await sdkError(k.send(new PutResourcePolicyCommand({ ResourceARN: streamArn(name), Policy: 'not json' })))
    assert.deepEqual([bad.name, bad.status], ['InvalidArgumentException', 400])
    const missing = await sdkError(k.send(new GetResourcePolicyCommand({ ResourceARN: streamArn('no-such-stream') })))
    assert.deepEqual([missing.name, missing.status, missing.message], ['ResourceNotFoundException', 400, 'Stream no-such-stream under account 000000000000 not found.'])
  })
})
