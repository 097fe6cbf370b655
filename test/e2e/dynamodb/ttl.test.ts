// TTL expiry on the clock: an item whose TTL attribute (epoch seconds) has passed is still read until
// the sweep deletes it `ttlDeletionDelayMs` later; the deletion is a REMOVE stream record by the
// DynamoDB service. Items without a Number TTL, rewritten items and disabled TTL are left alone.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeTableCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { allRecords, streamsClient } from '../../helpers/dynamodb-streams.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
/** src/services/dynamodb/limits.ts: ttlDeletionDelayMs. */
const delayMs = 10 * 60_000

describe('DynamoDB TTL expiry', () => {
  it('deletes expired items after the documented delay, with a REMOVE record by the service', async () => {
    const db = dynamoClient(nimbus.current)
    const streams = streamsClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } })
    const now = Math.floor(nimbus.current.clock.now() / 1000)
    // Written before TTL is enabled: enabling arms it.
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'early' }, sk: { N: '1' }, exp: { N: String(now + 60) } } }))
    await db.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }))
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'late' }, sk: { N: '1' }, exp: { N: String(now + 3600) } } }))
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'text' }, sk: { N: '1' }, exp: { S: String(now) } } }))
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'moved' }, sk: { N: '1' }, exp: { N: String(now + 60) } } }))
    // Rewritten with a later expiry before the first sweep: the earlier entry no longer applies.
    await db.send(new UpdateItemCommand({ TableName, Key: { pk: { S: 'moved' }, sk: { N: '1' } }, UpdateExpression: 'SET exp = :e',
      ExpressionAttributeValues: { ':e': { N: String(now + 7200) } } }))
    const get = async (pk: string) => (await db.send(new GetItemCommand({ TableName, Key: { pk: { S: pk }, sk: { N: '1' } } }))).Item

    // Expired but not yet swept: still read, as on AWS.
    await advance(nimbus.current, 120_000)
    assert.ok(await get('early'))
    await advance(nimbus.current, delayMs)
    assert.equal(await get('early'), undefined)
    assert.ok(await get('late'))
    assert.ok(await get('text'), 'a TTL attribute that is not a Number never expires')
    assert.ok(await get('moved'))
    assert.equal((await db.send(new DescribeTableCommand({ TableName }))).Table?.ItemCount, 3)

    const arn = (await db.send(new DescribeTableCommand({ TableName }))).Table!.LatestStreamArn!
    const remove = (await allRecords(streams, arn)).find((r) => r.eventName === 'REMOVE')!
    assert.deepEqual(remove.userIdentity, { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' })
    assert.deepEqual(remove.dynamodb!.OldImage, { pk: { S: 'early' }, sk: { N: '1' }, exp: { N: String(now + 60) } })
    assert.equal(remove.dynamodb!.NewImage, undefined)

    await advance(nimbus.current, 3600_000)
    assert.equal(await get('late'), undefined)
    // Disabled: nothing more expires.
    await db.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: 'exp', Enabled: false } }))
    await advance(nimbus.current, 24 * 3600_000)
    assert.ok(await get('moved'))
    db.destroy()
    streams.destroy()
  })
})
