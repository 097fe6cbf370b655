// DynamoDB state across restarts on one data dir (in process): tables with their settings, indexes and
// status instants, every item (indexes rebuilt), deletions staying deleted, transaction tokens, and
// a reset that empties it.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, type DynamoDBClient, GetItemCommand, ListTablesCommand,
  PutItemCommand, QueryCommand, TransactWriteItemsCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { dynamoClient } from '../../helpers/dynamodb.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

async function durableNimbus() {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-dynamodb-durable-'))
  dirs.push(dataDir)
  const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
  const state = { nimbus: await open() }
  const db = { current: dynamoClient(state.nimbus) }
  return {
    get nimbus(): Nimbus {
      return state.nimbus
    },
    get db(): DynamoDBClient {
      return db.current
    },
    restart: async () => {
      db.current.destroy()
      await state.nimbus.stop()
      state.nimbus = await open()
      db.current = dynamoClient(state.nimbus)
    },
    stop: async () => {
      db.current.destroy()
      await state.nimbus.stop()
    },
  }
}

describe('DynamoDB on a data dir', () => {
  it('keeps tables, items, indexes and tokens across a restart', async () => {
    const n = await durableNimbus()
    await n.db.send(new CreateTableCommand({
      TableName: 'durable', BillingMode: 'PAY_PER_REQUEST', DeletionProtectionEnabled: true, Tags: [{ Key: 'k', Value: 'v' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }))
    await n.db.send(new CreateTableCommand({ TableName: 'doomed', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }))
    await n.restart()
    assert.equal((await n.db.send(new DescribeTableCommand({ TableName: 'durable' }))).Table?.TableStatus, 'CREATING', 'the status instant survives')
    n.nimbus.clock.advance(1_000)
    for (let i = 0; i < 5; i++) {
      await n.db.send(new PutItemCommand({ TableName: 'durable', Item: { pk: { S: 'p' }, sk: { N: String(i) }, g: { S: i % 2 === 0 ? 'even' : 'odd' },
        b: { B: new Uint8Array([i]) }, m: { M: { l: { L: [{ N: String(i) }] } } } } }))
    }
    await n.db.send(new DeleteItemCommand({ TableName: 'durable', Key: { pk: { S: 'p' }, sk: { N: '4' } } }))
    await n.db.send(new UpdateItemCommand({ TableName: 'durable', Key: { pk: { S: 'p' }, sk: { N: '1' } }, UpdateExpression: 'SET g = :e',
      ExpressionAttributeValues: { ':e': { S: 'even' } } }))
    const transact = () => n.db.send(new TransactWriteItemsCommand({ ClientRequestToken: 'tok', TransactItems: [
      { Update: { TableName: 'durable', Key: { pk: { S: 'p' }, sk: { N: '0' } }, UpdateExpression: 'ADD c :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
    ] }))
    await transact()
    await n.db.send(new DeleteTableCommand({ TableName: 'doomed' }))
    await n.restart()

    const table = (await n.db.send(new DescribeTableCommand({ TableName: 'durable' }))).Table!
    assert.equal(table.TableStatus, 'ACTIVE')
    assert.equal(table.ItemCount, 4)
    assert.equal(table.DeletionProtectionEnabled, true)
    assert.equal(table.GlobalSecondaryIndexes?.[0]?.ItemCount, 4)
    const item = (await n.db.send(new GetItemCommand({ TableName: 'durable', Key: { pk: { S: 'p' }, sk: { N: '3' } } }))).Item
    assert.deepEqual(item, { pk: { S: 'p' }, sk: { N: '3' }, g: { S: 'odd' }, b: { B: new Uint8Array([3]) }, m: { M: { l: { L: [{ N: '3' }] } } } })
    const even = await n.db.send(new QueryCommand({ TableName: 'durable', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'even' } } }))
    assert.deepEqual(even.Items?.map((i) => i.sk!.N).sort(), ['0', '1', '2'])
    await transact()
    assert.deepEqual((await n.db.send(new GetItemCommand({ TableName: 'durable', Key: { pk: { S: 'p' }, sk: { N: '0' } } }))).Item?.c, { N: '1' },
      'the remembered token replays instead of writing again')
    n.nimbus.clock.advance(1_000)
    assert.deepEqual((await n.db.send(new ListTablesCommand({}))).TableNames, ['durable'], 'the deleted table is gone')

    await fetch(`${n.nimbus.endpoint}/_nimbus/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    await n.restart()
    assert.equal((await sdkError(n.db.send(new DescribeTableCommand({ TableName: 'durable' })))).name, 'ResourceNotFoundException')
    await n.stop()
  })
})
