// DynamoDB survives `kill -9`: the built CLI on a data dir is killed while PutItem and UpdateItem
// calls are in flight, then started again on the same folder. Every acknowledged item is there with
// its last acknowledged value, the counter is at least every acknowledged increment, and the GSI
// answers for them.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { killTestDir } from '../../helpers/spawn-cli.ts'

const { dataDir, processes } = killTestDir('nimbus-dynamodb-kill-')

function client(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 })
}

describe('DynamoDB on a data dir, killed with SIGKILL', () => {
  it('keeps every acknowledged PutItem and UpdateItem', async () => {
    const first = await processes.start(['--data-dir', dataDir])
    let db = client(first.endpoint)
    await db.send(new CreateTableCommand({
      TableName: 'kill', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    }))
    await fetch(`${first.endpoint}/_nimbus/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 2_000 }) })
    const acknowledged = new Map<number, number>()
    let increments = 0
    let stop = false
    let cutOff = 0
    const writer = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        const sk = worker * 1_000_000 + i
        try {
          await db.send(new PutItemCommand({ TableName: 'kill', Item: { pk: { S: 'p' }, sk: { N: String(sk) }, g: { S: `g${worker}` }, v: { N: String(i) } } }))
          acknowledged.set(sk, i)
          await db.send(new UpdateItemCommand({ TableName: 'kill', Key: { pk: { S: 'counter' }, sk: { N: '0' } }, UpdateExpression: 'ADD c :one',
            ExpressionAttributeValues: { ':one': { N: '1' } } }))
          increments++
        } catch {
          cutOff++
          return
        }
      }
    }
    const writers = [0, 1, 2, 3].map(writer)
    while (acknowledged.size < 800) await new Promise((r) => setImmediate(r))
    await processes.kill(first)
    stop = true
    await Promise.all(writers)
    assert.ok(cutOff > 0, 'the kill cut off writes in flight')
    db.destroy()

    const second = await processes.start(['--data-dir', dataDir])
    db = client(second.endpoint)
    for (const [sk, v] of acknowledged) {
      const item = (await db.send(new GetItemCommand({ TableName: 'kill', Key: { pk: { S: 'p' }, sk: { N: String(sk) } } }))).Item
      assert.deepEqual(item?.v, { N: String(v) }, `item ${sk}`)
    }
    const counter = (await db.send(new GetItemCommand({ TableName: 'kill', Key: { pk: { S: 'counter' }, sk: { N: '0' } } }))).Item
    const c = Number(counter?.c?.N)
    assert.ok(c >= increments && c <= increments + 4, `counter ${c} vs ${increments} acknowledged increments`)
    const g0 = await db.send(new QueryCommand({ TableName: 'kill', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g0' } },
      Select: 'COUNT' }))
    const acknowledgedG0 = [...acknowledged.keys()].filter((sk) => sk < 1_000_000).length
    assert.ok(g0.Count! >= acknowledgedG0, 'the index was rebuilt from the stored items')
    db.destroy()
  })
})
