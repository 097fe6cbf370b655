// DynamoDB streams and TTL across a restart on one data dir (in process): the stream's settings and
// records (same sequence numbers, new ones after them), a disabled stream staying disabled, and TTL
// expiry re-armed from the stored items.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { dynamoClient } from '../../helpers/dynamodb.ts'
import { allRecords, streamsClient } from '../../helpers/dynamodb-streams.ts'

describe('DynamoDB streams and TTL on a data dir', () => {
  it('keep stream records, settings and TTL expiry across a restart', async () => {
    const durable = await durableNimbus('ddbstreams')
    let nimbus = durable.nimbus
    let db = dynamoClient(nimbus)
    let streams = streamsClient(nimbus)
    const key = { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }] }
    await db.send(new CreateTableCommand({ TableName: 'live', BillingMode: 'PAY_PER_REQUEST', ...key,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }))
    await db.send(new CreateTableCommand({ TableName: 'off', BillingMode: 'PAY_PER_REQUEST', ...key,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }))
    nimbus.clock.advance(1_000)
    await db.send(new UpdateTimeToLiveCommand({ TableName: 'live', TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }))
    const now = Math.floor(nimbus.clock.now() / 1000)
    await db.send(new PutItemCommand({ TableName: 'live', Item: { id: { S: 'a' }, exp: { N: String(now + 60) } } }))
    await db.send(new PutItemCommand({ TableName: 'live', Item: { id: { S: 'b' } } }))
    await db.send(new UpdateTableCommand({ TableName: 'off', StreamSpecification: { StreamEnabled: false } }))
    const liveArn = (await db.send(new DescribeTableCommand({ TableName: 'live' }))).Table!.LatestStreamArn!
    const offArn = (await db.send(new DescribeTableCommand({ TableName: 'off' }))).Table!.LatestStreamArn!
    const before = (await allRecords(streams, liveArn)).map((r) => r.dynamodb!.SequenceNumber)
    assert.equal(before.length, 2)

    db.destroy()
    streams.destroy()
    await durable.restart()
    nimbus = durable.nimbus
    db = dynamoClient(nimbus)
    streams = streamsClient(nimbus)

    const table = (await db.send(new DescribeTableCommand({ TableName: 'live' }))).Table!
    assert.deepEqual(table.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' })
    assert.equal(table.LatestStreamArn, liveArn)
    assert.equal((await streams.send(new DescribeStreamCommand({ StreamArn: offArn }))).StreamDescription?.StreamStatus, 'DISABLED')
    assert.deepEqual((await allRecords(streams, liveArn)).map((r) => r.dynamodb!.SequenceNumber), before)
    await db.send(new PutItemCommand({ TableName: 'live', Item: { id: { S: 'c' } } }))
    // The TTL sweep was re-armed from the stored item: 'a' goes after its expiry plus the delay.
    nimbus.clock.advance(11 * 60_000 + 60_000)
    assert.equal((await db.send(new GetItemCommand({ TableName: 'live', Key: { id: { S: 'a' } } }))).Item, undefined)
    const records = await allRecords(streams, liveArn)
    assert.deepEqual(records.map((r) => r.eventName), ['INSERT', 'INSERT', 'INSERT', 'REMOVE'])
    const seqs = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!))
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, 'sequence numbers keep increasing after a restart')
    assert.equal(records[3]!.userIdentity?.Type, 'Service')
    db.destroy()
    streams.destroy()
  })
})
