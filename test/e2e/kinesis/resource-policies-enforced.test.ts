// Under `enforceIam` (`--enforce-iam`), a stream's and a consumer's resource-based policy decide what
// another account may do with them, and an explicit Deny in one refuses anyone, the owner's own users
// included (IAM's policy evaluation logic; Kinesis's "Share access using resource-based policies").
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam'
import {
  AddTagsToStreamCommand, DeleteResourcePolicyCommand, DeleteStreamCommand, DeregisterStreamConsumerCommand, DescribeStreamCommand,
  DescribeStreamConsumerCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, PutRecordCommand,
  PutRecordsCommand, PutResourcePolicyCommand, RegisterStreamConsumerCommand, SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis'
import { type Credentials, iamClient } from '../../helpers/iam.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus({ enforceIam: true })
const PARTNER = '111122223333'
const STRANGER = '999988887777'
/** A 12-digit access key acts as that account's root. */
const accountClient = (account: string): KinesisClient => client({ accessKeyId: account, secretAccessKey: 'x' })
const client = (credentials: Credentials): KinesisClient =>
  new KinesisClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })

const document = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements })

describe('Kinesis resource policies under enforceIam', () => {
  it('another account may do what the stream\'s policy allows it, nothing more; an explicit Deny wins', async () => {
    const owner = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, owner)
    const arn = streamArn(name)
    const partner = accountClient(PARTNER)
    const put = () => partner.send(new PutRecordCommand({ StreamARN: arn, PartitionKey: 'p', Data: Buffer.from('from partner') }))
    // No policy yet: the owner account alone.
    const before = await sdkError(put())
    assert.deepEqual(before, { name: 'AccessDeniedException', status: 403,
      message: `User: arn:aws:iam::${PARTNER}:root is not authorized to perform: kinesis:PutRecord on resource: ${arn} ` +
        'because no resource-based policy allows the kinesis:PutRecord action' })

    await owner.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: document({ Sid: 'partner-writes', Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['kinesis:PutRecord', 'kinesis:GetShardIterator', 'kinesis:GetRecords'], Resource: arn }) }))
    const written = await put()
    const { ShardIterator } = await partner.send(new GetShardIteratorCommand({ StreamARN: arn, ShardId: written.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
    const read = await partner.send(new GetRecordsCommand({ StreamARN: arn, ShardIterator }))
    assert.equal(Buffer.from(read.Records![0]!.Data!).toString(), 'from partner')
    // What the policy doesn't name, and accounts it doesn't name, stay refused.
    const batch = await sdkError(partner.send(new PutRecordsCommand({ StreamARN: arn, Records: [{ PartitionKey: 'p', Data: Buffer.from('x') }] })))
    assert.deepEqual([batch.name, batch.status], ['AccessDeniedException', 403])
    assert.match(batch.message, /kinesis:PutRecords/)
    const shards = await sdkError(partner.send(new ListShardsCommand({ StreamARN: arn })))
    assert.equal(shards.status, 403)
    const stranger = await sdkError(accountClient(STRANGER).send(new PutRecordCommand({ StreamARN: arn, PartitionKey: 'p', Data: Buffer.from('x') })))
    assert.match(stranger.message, new RegExp(`^User: arn:aws:iam::${STRANGER}:root is not authorized`))
    // A dry run is refused the same way (permissions come first).
    const dry = await sdkError(accountClient(STRANGER).send(new PutRecordCommand({ StreamARN: arn, PartitionKey: 'p', Data: Buffer.from('x'), DryRun: true })))
    assert.equal(dry.name, 'AccessDeniedException')
    // The owner's own calls are not limited by a policy that allows others.
    await owner.send(new PutRecordsCommand({ StreamName: name, Records: [{ PartitionKey: 'p', Data: Buffer.from('owner') }] }))

    // A new revision: the same Allow plus a Deny of GetRecords — the Deny wins over the Allow.
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: document(
      { Effect: 'Allow', Principal: { AWS: PARTNER }, Action: 'kinesis:*', Resource: arn },
      { Effect: 'Deny', Principal: { AWS: PARTNER }, Action: 'kinesis:GetRecords', Resource: arn }) }))
    await partner.send(new PutRecordsCommand({ StreamARN: arn, Records: [{ PartitionKey: 'p', Data: Buffer.from('now allowed') }] }))
    const iterator = (await partner.send(new GetShardIteratorCommand({ StreamARN: arn, ShardId: written.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator
    // GetRecords by its iterator alone still names the owner's stream.
    const deniedRead = await sdkError(partner.send(new GetRecordsCommand({ ShardIterator: iterator })))
    assert.deepEqual([deniedRead.name, deniedRead.status], ['AccessDeniedException', 403])
    assert.match(deniedRead.message, /with an explicit deny in a resource-based policy$/)

    // The policy is the owner account's business alone, whatever it allows.
    const takeover = await sdkError(partner.send(new DeleteResourcePolicyCommand({ ResourceARN: arn })))
    assert.deepEqual([takeover.name, takeover.status], ['AccessDeniedException', 403])
    await owner.send(new DeleteResourcePolicyCommand({ ResourceARN: arn }))
    assert.equal((await sdkError(put())).status, 403)
  })

  it('an explicit Deny refuses the owner account\'s own users too', async () => {
    const owner = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, owner)
    const arn = streamArn(name)
    const iam = iamClient(nimbus.current)
    await iam.send(new CreateUserCommand({ UserName: 'producer' }))
    await iam.send(new PutUserPolicyCommand({ UserName: 'producer', PolicyName: 'kinesis',
      PolicyDocument: document({ Effect: 'Allow', Action: 'kinesis:*', Resource: '*' }) }))
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'producer' }))).AccessKey!
    const producer = client({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! })
    await producer.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') }))
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: document({ Effect: 'Deny',
      Principal: { AWS: 'arn:aws:iam::000000000000:user/producer' }, Action: 'kinesis:PutRecord', Resource: arn }) }))
    const refused = await sdkError(producer.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') })))
    assert.deepEqual(refused, { name: 'AccessDeniedException', status: 403,
      message: `User: arn:aws:iam::000000000000:user/producer is not authorized to perform: kinesis:PutRecord on resource: ${arn} ` +
        'with an explicit deny in a resource-based policy' })
    // Other actions, and the account's root, are not named by the Deny.
    await producer.send(new PutRecordsCommand({ StreamName: name, Records: [{ PartitionKey: 'p', Data: Buffer.from('x') }] }))
    await owner.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') }))
  })

  it('a consumer\'s own policy decides SubscribeToShard for another account', async () => {
    const owner = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, owner)
    const { Consumer } = await owner.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'shared' }))
    await advance(nimbus.current, 5_000)
    const consumerArn = Consumer!.ConsumerARN!
    const partner = accountClient(PARTNER)
    const subscribe = () => partner.send(new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'LATEST' } }))
    // The stream's policy doesn't cover its consumers.
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: streamArn(name), Policy: document({ Effect: 'Allow',
      Principal: { AWS: PARTNER }, Action: 'kinesis:*', Resource: `${streamArn(name)}*` }) }))
    assert.deepEqual([(await sdkError(subscribe())).name, (await sdkError(subscribe())).status], ['AccessDeniedException', 403])
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: consumerArn, Policy: document({ Effect: 'Allow',
      Principal: { AWS: PARTNER }, Action: ['kinesis:SubscribeToShard', 'kinesis:DescribeStreamConsumer'], Resource: consumerArn }) }))
    const out = await subscribe()
    assert.ok(out.EventStream)
    await advance(nimbus.current, 300_000)
  })

  it('shares only the actions a resource policy can share, even when it allows kinesis:*', async () => {
    const owner = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, owner)
    const arn = streamArn(name)
    const { Consumer } = await owner.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'c' }))
    await advance(nimbus.current, 5_000)
    const consumerArn = Consumer!.ConsumerARN!
    for (const resource of [arn, consumerArn]) {
      await owner.send(new PutResourcePolicyCommand({ ResourceARN: resource, Policy: document({ Effect: 'Allow', Principal: { AWS: PARTNER },
        Action: 'kinesis:*', Resource: resource }) }))
    }
    const partner = accountClient(PARTNER)
    // The guide's table: stream reads and writes (and DescribeStream, which Lambda needs), a consumer's description and subscription.
    assert.equal((await partner.send(new DescribeStreamSummaryCommand({ StreamARN: arn }))).StreamDescriptionSummary!.StreamName, name)
    assert.equal((await partner.send(new DescribeStreamCommand({ StreamARN: arn }))).StreamDescription!.StreamName, name)
    await partner.send(new ListShardsCommand({ StreamARN: arn }))
    await partner.send(new PutRecordCommand({ StreamARN: arn, PartitionKey: 'p', Data: Buffer.from('x') }))
    assert.equal((await partner.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }))).ConsumerDescription!.ConsumerName, 'c')
    // Everything else stays the owner account's.
    const refusals = [
      [partner.send(new DeleteStreamCommand({ StreamARN: arn })), 'DeleteStream', arn],
      [partner.send(new AddTagsToStreamCommand({ StreamARN: arn, Tags: { team: 'partner' } })), 'AddTagsToStream', arn],
      [partner.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'theirs' })), 'RegisterStreamConsumer', arn],
      [partner.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumerArn })), 'DeregisterStreamConsumer', consumerArn],
    ] as const
    for (const [call, op, resource] of refusals) {
      assert.deepEqual(await sdkError(call), { name: 'AccessDeniedException', status: 403,
        message: `User: arn:aws:iam::${PARTNER}:root is not authorized to perform: kinesis:${op} on resource: ${resource} ` +
          `because no resource-based policy allows the kinesis:${op} action` })
    }
    // Nothing was done: the stream and its consumer are still there.
    assert.equal((await owner.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }))).ConsumerDescription!.ConsumerStatus, 'ACTIVE')
    assert.equal((await owner.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.StreamStatus, 'ACTIVE')
  })

  it('ListShards by NextToken alone is judged on the token\'s stream: the policy as it is now decides each page', async () => {
    const owner = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, owner, 3)
    const arn = streamArn(name)
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: document({ Effect: 'Allow', Principal: { AWS: PARTNER },
      Action: 'kinesis:ListShards', Resource: arn }) }))
    const partner = accountClient(PARTNER)
    const first = await partner.send(new ListShardsCommand({ StreamARN: arn, MaxResults: 1 }))
    assert.ok(first.NextToken)
    const second = await partner.send(new ListShardsCommand({ NextToken: first.NextToken, MaxResults: 1 }))
    assert.deepEqual(second.Shards!.map((s) => s.ShardId), ['shardId-000000000001'])
    // Another account with the partner's token gets nothing the policy doesn't give it.
    const stranger = await sdkError(accountClient(STRANGER).send(new ListShardsCommand({ NextToken: second.NextToken })))
    assert.deepEqual(stranger, { name: 'AccessDeniedException', status: 403,
      message: `User: arn:aws:iam::${STRANGER}:root is not authorized to perform: kinesis:ListShards on resource: ${arn} ` +
        'because no resource-based policy allows the kinesis:ListShards action' })
    // Once the owner takes the policy away, the partner's next page is refused too.
    await owner.send(new DeleteResourcePolicyCommand({ ResourceARN: arn }))
    assert.equal((await sdkError(partner.send(new ListShardsCommand({ NextToken: second.NextToken })))).name, 'AccessDeniedException')
    // The owner pages on as before.
    const own = await owner.send(new ListShardsCommand({ StreamName: name, MaxResults: 2 }))
    assert.equal((await owner.send(new ListShardsCommand({ NextToken: own.NextToken }))).Shards!.length, 1)
  })
})
