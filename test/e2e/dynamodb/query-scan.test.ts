// Query and Scan end to end: sort key conditions and order (numbers numerically), filters, Limit and
// pages through LastEvaluatedKey, Select COUNT, the 1 MB page, GSIs (sparse, projected) and LSIs,
// parallel scan segments, and key condition messages.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type AttributeValue, BatchWriteItemCommand, PutItemCommand, QueryCommand, type QueryCommandInput, ScanCommand } from '@aws-sdk/client-dynamodb'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

async function fill(db: ReturnType<typeof dynamoClient>, TableName: string, items: Record<string, AttributeValue>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    await db.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }))
  }
}

const sks = (items: Record<string, AttributeValue>[] | undefined) => (items ?? []).map((i) => Number(i.sk!.N))

describe('DynamoDB Query and Scan', () => {
  it('queries a partition by sort key conditions, in both directions', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    await fill(db, TableName, [2, 10, 1, 33, 7, -4, 0.5].map((n) => ({ pk: { S: 'p' }, sk: { N: String(n) }, odd: { BOOL: n % 2 === 1 } })))
    await fill(db, TableName, [{ pk: { S: 'other' }, sk: { N: '5' } }])
    const q = (input: Partial<QueryCommandInput>) => db.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ...input,
      ExpressionAttributeValues: { ':p': { S: 'p' }, ...input.ExpressionAttributeValues } }))
    assert.deepEqual(sks((await q({})).Items), [-4, 0.5, 1, 2, 7, 10, 33])
    assert.deepEqual(sks((await q({ ScanIndexForward: false })).Items), [33, 10, 7, 2, 1, 0.5, -4])
    const between = { KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':a': { N: '1' }, ':b': { N: '10' } } }
    assert.deepEqual(sks((await q(between)).Items), [1, 2, 7, 10])
    assert.deepEqual(sks((await q({ KeyConditionExpression: 'sk > :a AND pk = :p', ExpressionAttributeValues: { ':a': { N: '2' } } })).Items), [7, 10, 33])
    assert.deepEqual(sks((await q({ KeyConditionExpression: 'pk = :p AND sk <= :a', ExpressionAttributeValues: { ':a': { N: '1' } } })).Items), [-4, 0.5, 1])
    const filtered = await q({ FilterExpression: 'odd = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } })
    assert.deepEqual(sks(filtered.Items), [1, 7, 33])
    assert.deepEqual([filtered.Count, filtered.ScannedCount], [3, 7])
    const counted = await q({ Select: 'COUNT' })
    assert.deepEqual([counted.Items, counted.Count], [undefined, 7])
    db.destroy()
  })

  it('pages with Limit and ExclusiveStartKey, forward and backward', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    await fill(db, TableName, Array.from({ length: 10 }, (_, i) => ({ pk: { S: 'p' }, sk: { N: String(i) } })))
    for (const forward of [true, false]) {
      const seen: number[] = []
      let start: Record<string, AttributeValue> | undefined
      let pages = 0
      do {
        const page = await db.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } },
          Limit: 3, ExclusiveStartKey: start, ScanIndexForward: forward }))
        seen.push(...sks(page.Items))
        start = page.LastEvaluatedKey
        pages++
      } while (start !== undefined)
      const expected = Array.from({ length: 10 }, (_, i) => i)
      assert.deepEqual(seen, forward ? expected : expected.reverse())
      assert.equal(pages, 4)
    }
    db.destroy()
  })

  it('queries begins_with on string sort keys, by UTF-8 order', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db, {
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    })
    await fill(db, TableName, ['order#2', 'order#10', 'item#1', 'order#1', 'other', '\u{1f600}', '\uff21'].map((s) => ({ pk: { S: 'c' }, sk: { S: s } })))
    const q = (expr: string, v: string, forward = true) => db.send(new QueryCommand({ TableName, KeyConditionExpression: `pk = :p AND ${expr}`,
      ExpressionAttributeValues: { ':p': { S: 'c' }, ':v': { S: v } }, ScanIndexForward: forward }))
    assert.deepEqual((await q('begins_with(sk, :v)', 'order#')).Items?.map((i) => i.sk!.S), ['order#1', 'order#10', 'order#2'])
    assert.deepEqual((await q('begins_with(sk, :v)', 'order#', false)).Items?.map((i) => i.sk!.S), ['order#2', 'order#10', 'order#1'])
    assert.deepEqual((await q('sk > :v', 'p')).Items?.map((i) => i.sk!.S), ['\uff21', '\u{1f600}'])
    db.destroy()
  })

  it('stops a page at 1 MB of items read', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const big = 'x'.repeat(300 * 1024)
    for (let i = 0; i < 5; i++) await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'big' }, sk: { N: String(i) }, v: { S: big } } }))
    const page = await db.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'big' } },
      ReturnConsumedCapacity: 'TOTAL' }))
    assert.equal(page.Count, 4, '4 × 300 KB crosses 1 MB')
    assert.deepEqual(page.LastEvaluatedKey, { pk: { S: 'big' }, sk: { N: '3' } })
    assert.equal(page.ConsumedCapacity?.CapacityUnits, Math.ceil((4 * (300 * 1024 + 1 + 2 + 2 + 1 + 1)) / 4096) / 2)
    db.destroy()
  })

  it('queries GSIs (sparse, projected) and LSIs', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db, {
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'email', AttributeType: 'S' }, { AttributeName: 'score', AttributeType: 'N' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byEmail', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      LocalSecondaryIndexes: [{ IndexName: 'byScore', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'score', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' } }],
    })
    await fill(db, TableName, [
      { pk: { S: 'u' }, sk: { N: '1' }, email: { S: 'a@x' }, score: { N: '30' }, extra: { S: 'e1' } },
      { pk: { S: 'u' }, sk: { N: '2' }, score: { N: '10' } },
      { pk: { S: 'u' }, sk: { N: '3' }, email: { S: 'a@x' } },
    ])
    const put = await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'u' }, sk: { N: '9' } }, ReturnItemCollectionMetrics: 'SIZE' }))
    assert.deepEqual(put.ItemCollectionMetrics, { ItemCollectionKey: { pk: { S: 'u' } }, SizeEstimateRangeGB: [0, 1] })
    const byEmail = await db.send(new QueryCommand({ TableName, IndexName: 'byEmail', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': { S: 'a@x' } } }))
    assert.deepEqual(byEmail.Items?.map((i) => Object.keys(i).sort()), [['email', 'pk', 'sk'], ['email', 'pk', 'sk']])
    const byScore = await db.send(new QueryCommand({ TableName, IndexName: 'byScore', KeyConditionExpression: 'pk = :u', ExpressionAttributeValues: { ':u': { S: 'u' } } }))
    assert.deepEqual(sks(byScore.Items), [2, 1], 'ordered by score, items without a score (3, 9) left out')
    const paged = await db.send(new QueryCommand({ TableName, IndexName: 'byScore', KeyConditionExpression: 'pk = :u', ExpressionAttributeValues: { ':u': { S: 'u' } }, Limit: 1 }))
    assert.deepEqual(paged.LastEvaluatedKey, { pk: { S: 'u' }, sk: { N: '2' }, score: { N: '10' } })
    const scanned = await db.send(new ScanCommand({ TableName, IndexName: 'byEmail' }))
    assert.equal(scanned.Count, 2)
    assert.deepEqual(await sdkError(db.send(new QueryCommand({ TableName, IndexName: 'byEmail', Select: 'ALL_ATTRIBUTES', KeyConditionExpression: 'email = :e',
      ExpressionAttributeValues: { ':e': { S: 'a@x' } } }))), { name: 'ValidationException', status: 400,
      message: 'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byEmail because its projection type is not ALL' })
    assert.equal((await sdkError(db.send(new QueryCommand({ TableName, IndexName: 'nope', KeyConditionExpression: 'pk = :u',
      ExpressionAttributeValues: { ':u': { S: 'u' } } })))).message, 'The table does not have the specified index: nope')
    db.destroy()
  })

  it('scans in pages and in parallel segments that cover the table once', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    await fill(db, TableName, Array.from({ length: 60 }, (_, i) => ({ pk: { S: `p${i % 17}` }, sk: { N: String(i) } })))
    const all: number[] = []
    let start: Record<string, AttributeValue> | undefined
    do {
      const page = await db.send(new ScanCommand({ TableName, Limit: 7, ExclusiveStartKey: start }))
      all.push(...sks(page.Items))
      start = page.LastEvaluatedKey
    } while (start !== undefined)
    assert.deepEqual(all.slice().sort((a, b) => a - b), Array.from({ length: 60 }, (_, i) => i))
    const segments = await Promise.all([0, 1, 2].map((Segment) => db.send(new ScanCommand({ TableName, Segment, TotalSegments: 3 }))))
    const union = segments.flatMap((s) => sks(s.Items)).sort((a, b) => a - b)
    assert.deepEqual(union, Array.from({ length: 60 }, (_, i) => i))
    assert.equal((await sdkError(db.send(new ScanCommand({ TableName, Segment: 3, TotalSegments: 3 })))).message,
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3')
    assert.equal((await sdkError(db.send(new ScanCommand({ TableName, Segment: 1 })))).message,
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present')
    db.destroy()
  })

  it('answers key condition messages', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const q = (KeyConditionExpression: string, values: Record<string, AttributeValue>) =>
      sdkError(db.send(new QueryCommand({ TableName, KeyConditionExpression, ExpressionAttributeValues: values })))
    assert.equal((await q('sk = :v', { ':v': { N: '1' } })).message, 'Query condition missed key schema element: pk')
    assert.equal((await q('pk = :v OR sk = :w', { ':v': { S: 'a' }, ':w': { N: '1' } })).message, 'Invalid operator used in KeyConditionExpression: OR')
    assert.equal((await q('pk = :v', { ':v': { N: '1' } })).message, 'One or more parameter values were invalid: Condition parameter type does not match schema type')
    assert.equal((await q('pk = :v AND color = :w', { ':v': { S: 'a' }, ':w': { N: '1' } })).message, 'Query condition missed key schema element: sk')
    db.destroy()
  })
})
