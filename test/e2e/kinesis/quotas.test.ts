// Account and stream quotas as AWS's "Quotas and limits" page states them today: a default shard quota
// of 20,000 open shards per account in US East (N. Virginia), US West (Oregon) and Europe (Ireland),
// "1,000 or 6,000" elsewhere (1,000 here); up to 50 on-demand streams an account by default; on-demand
// streams that "scale up to 10 GB/s of write" in those three Regions and 200 MB/s in the others.
// DescribeLimits reports the same numbers.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStreamCommand, DeleteStreamCommand, DescribeLimitsCommand, PutRecordsCommand, UpdateStreamModeCommand,
} from '@aws-sdk/client-kinesis'
import { kinesisClient, openShards, streamArn } from '../../helpers/kinesis.ts'
import { advance, toNextSecond, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

describe('Kinesis quotas', () => {
  it('DescribeLimits: 20,000 shards in us-east-1, us-west-2 and eu-west-1, 1,000 elsewhere; 50 on-demand streams', async () => {
    for (const [region, shards] of [['us-east-1', 20_000], ['us-west-2', 20_000], ['eu-west-1', 20_000], ['eu-central-1', 1_000]] as const) {
      const limits = await kinesisClient(nimbus.current, region).send(new DescribeLimitsCommand({}))
      assert.deepEqual([limits.ShardLimit, limits.OnDemandStreamCountLimit], [shards, 50], region)
    }
  })

  it('a provisioned stream may have more than 500 shards in us-west-2; past 20,000 the account quota refuses it', async () => {
    const k = kinesisClient(nimbus.current, 'us-west-2')
    const big = uniqueName('big')
    await k.send(new CreateStreamCommand({ StreamName: big, ShardCount: 600 }))
    await advance(nimbus.current, 500)
    assert.equal((await k.send(new DescribeLimitsCommand({}))).OpenShardCount, 600)
    const err = await sdkError(k.send(new CreateStreamCommand({ StreamName: uniqueName('huge'), ShardCount: 19_401 })))
    assert.equal(err.name, 'LimitExceededException')
    assert.equal(err.message, 'This request would exceed the shard limit for the account 000000000000 in us-west-2. Current shard ' +
      'count for the account: 600. Limit: 20000. Number of additional shards that would have resulted from this request: 19401. Refer to ' +
      'the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how ' +
      'to request higher limits.')
  })

  it('the 51st on-demand stream is refused, by CreateStream and by UpdateStreamMode; one deleted makes room', async () => {
    const region = 'ca-central-1'
    const k = kinesisClient(nimbus.current, region)
    const names: string[] = []
    for (let i = 0; i < 50; i++) {
      const name = uniqueName('od')
      await k.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
      names.push(name)
      await advance(nimbus.current, 500)
    }
    const limits = await k.send(new DescribeLimitsCommand({}))
    assert.deepEqual([limits.OnDemandStreamCount, limits.OnDemandStreamCountLimit], [50, 50])
    const message = `This request would exceed the on-demand stream count limit for the account 000000000000 in ${region}. ` +
      'Current on-demand stream count for the account: 50. Limit: 50.'
    // The CLI tutorial's `create-stream --stream-name Foo` makes an on-demand stream too.
    assert.deepEqual(await sdkError(k.send(new CreateStreamCommand({ StreamName: uniqueName('od') }))),
      { name: 'LimitExceededException', message, status: 400 })
    const provisioned = uniqueName('pv')
    await k.send(new CreateStreamCommand({ StreamName: provisioned, ShardCount: 1 }))
    await advance(nimbus.current, 500)
    assert.deepEqual(await sdkError(k.send(new UpdateStreamModeCommand({ StreamARN: streamArn(provisioned, region),
      StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))), { name: 'LimitExceededException', message, status: 400 })
    await k.send(new DeleteStreamCommand({ StreamName: names[0] }))
    await advance(nimbus.current, 500)
    await k.send(new UpdateStreamModeCommand({ StreamARN: streamArn(provisioned, region), StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    assert.equal((await k.send(new DescribeLimitsCommand({}))).OnDemandStreamCount, 50)
  })

  it('an on-demand stream in us-east-1 keeps splitting past 200 shards (its ceiling is 10 GiB/s there)', async () => {
    const k = kinesisClient(nimbus.current)
    const name = uniqueName('odx')
    await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 200 }))
    await advance(nimbus.current, 500)
    await k.send(new UpdateStreamModeCommand({ StreamARN: streamArn(name), StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    await advance(nimbus.current, 500)
    const [first] = await openShards(k, name)
    await toNextSecond(nimbus.current)
    // 600 records in a second into one shard: past the 500 that make an on-demand shard split 15 minutes later.
    for (let sent = 0; sent < 600; sent += 300) {
      const out = await k.send(new PutRecordsCommand({ StreamName: name, Records: Array.from({ length: 300 },
        () => ({ PartitionKey: 'k', ExplicitHashKey: first!.HashKeyRange!.StartingHashKey!, Data: new Uint8Array([1]) })) }))
      assert.equal(out.FailedRecordCount, 0)
    }
    await advance(nimbus.current, 16 * 60_000)
    assert.equal((await openShards(k, name)).length, 201)
  })
})
