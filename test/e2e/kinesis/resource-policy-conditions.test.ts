// Under `enforceIam`, a stream's resource policy's conditions see the request's global condition
// keys — aws:SourceIp, aws:CurrentTime (Nimbus's clock), aws:SecureTransport, aws:ResourceTag/… — as
// IAM's "AWS global condition context keys" describe them, not only the caller's own keys.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AddTagsToStreamCommand, DescribeStreamConsumerCommand, KinesisClient, PutRecordCommand, PutResourcePolicyCommand, RegisterStreamConsumerCommand,
  RemoveTagsFromStreamCommand, TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus({ enforceIam: true })
const PARTNER = '111122223333'
const partnerClient = (): KinesisClient => new KinesisClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1',
  credentials: { accessKeyId: PARTNER, secretAccessKey: 'x' }, maxAttempts: 1 })
const document = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements })
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

async function sharedStream() {
  const owner = kinesisClient(nimbus.current)
  const name = await activeStream(nimbus.current, owner)
  const arn = streamArn(name)
  const allow = (Condition: object) => owner.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: document({ Effect: 'Allow',
    Principal: { AWS: PARTNER }, Action: 'kinesis:PutRecord', Resource: arn, Condition }) }))
  const partner = partnerClient()
  const put = () => partner.send(new PutRecordCommand({ StreamARN: arn, PartitionKey: 'p', Data: Buffer.from('x') }))
  return { owner, name, arn, allow, put }
}

const refusedFor = async (call: Promise<unknown>) => {
  const error = await sdkError(call)
  assert.deepEqual([error.name, error.status], ['AccessDeniedException', 403])
  return error.message
}

describe('Kinesis resource policy conditions under enforceIam', () => {
  it('aws:SourceIp is the caller\'s address', async () => {
    const { allow, put } = await sharedStream()
    await allow({ IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } })
    assert.ok((await put()).SequenceNumber)
    await allow({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })
    assert.match(await refusedFor(put()), /because no resource-based policy allows the kinesis:PutRecord action$/)
    await allow({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })
    await put()
  })

  it('aws:CurrentTime and aws:EpochTime follow Nimbus\'s clock, call by call', async () => {
    const { allow, put } = await sharedStream()
    const until = nimbus.current.clock.now() + 3_600_000
    await allow({ DateLessThan: { 'aws:CurrentTime': iso(until) } })
    await put()
    await put()
    await advance(nimbus.current, 3_600_000)
    await refusedFor(put())
    await allow({ NumericGreaterThanEquals: { 'aws:EpochTime': String(Math.floor(until / 1000)) } })
    await put()
  })

  it('aws:SecureTransport is false on Nimbus\'s plain HTTP: the usual Deny refuses everyone, the owner too', async () => {
    const { owner, name, arn, put } = await sharedStream()
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: document(
      { Effect: 'Allow', Principal: { AWS: PARTNER }, Action: 'kinesis:PutRecord', Resource: arn },
      { Effect: 'Deny', Principal: '*', Action: 'kinesis:PutRecord*', Resource: arn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }) }))
    assert.match(await refusedFor(put()), /with an explicit deny in a resource-based policy$/)
    assert.match(await refusedFor(owner.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') }))),
      /^User: arn:aws:iam::000000000000:root is not authorized to perform: kinesis:PutRecord/)
    // An Allow on the same condition lets the partner in.
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: document(
      { Effect: 'Allow', Principal: { AWS: PARTNER }, Action: 'kinesis:PutRecord', Resource: arn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }) }))
    await put()
  })

  it('aws:ResourceTag/<key> reads the stream\'s tags as they are now', async () => {
    const { owner, name, allow, put } = await sharedStream()
    await allow({ StringEquals: { 'aws:ResourceTag/share': 'yes' } })
    await refusedFor(put())
    await owner.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { share: 'yes' } }))
    await put()
    await put()
    // No decision outlives the tag: changed or removed, the next call is judged on the tags as they are.
    await owner.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { share: 'no' } }))
    await refusedFor(put())
    await owner.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { share: 'yes' } }))
    await put()
    await owner.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: ['share'] }))
    await refusedFor(put())
  })

  it('a condition on a key no Kinesis request carries (aws:SourceVpce) never matches', async () => {
    const { allow, put } = await sharedStream()
    await allow({ StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } })
    await refusedFor(put())
  })

  it('aws:ResourceTag/<key> on a consumer\'s policy reads the consumer\'s own tags (TagResource/UntagResource)', async () => {
    const { owner, arn } = await sharedStream()
    const { Consumer } = await owner.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'tagged' }))
    await advance(nimbus.current, 500)
    const consumerArn = Consumer!.ConsumerARN!
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: consumerArn, Policy: document({ Effect: 'Allow', Principal: { AWS: PARTNER },
      Action: 'kinesis:DescribeStreamConsumer', Resource: consumerArn, Condition: { StringEquals: { 'aws:ResourceTag/share': 'yes' } } }) }))
    const describe = () => partnerClient().send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }))
    await refusedFor(describe())
    // The stream's tags are not the consumer's.
    await owner.send(new AddTagsToStreamCommand({ StreamARN: arn, Tags: { share: 'yes' } }))
    await refusedFor(describe())
    await owner.send(new TagResourceCommand({ ResourceARN: consumerArn, Tags: { share: 'yes' } }))
    assert.equal((await describe()).ConsumerDescription!.ConsumerName, 'tagged')
    await owner.send(new UntagResourceCommand({ ResourceARN: consumerArn, TagKeys: ['share'] }))
    await refusedFor(describe())
  })
})
