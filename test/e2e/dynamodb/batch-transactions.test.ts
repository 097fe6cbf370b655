// BatchGetItem / BatchWriteItem limits and duplicates; TransactWriteItems all-or-nothing with
// CancellationReasons in order, conflicting transactions, ClientRequestToken idempotency on the
// clock (10 minutes), TransactGetItems.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand, PutItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const key = (pk: string, sk = 1) => ({ pk: { S: pk }, sk: { N: String(sk) } })

describe('DynamoDB batches', () => {
  it('writes and reads in batches, refusing duplicates and too many', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    await db.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: [1, 2, 3].map((i) => ({ PutRequest: { Item: { ...key('b', i), v: { N: String(i) } } } })) } }))
    const got = await db.send(new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: [key('b', 1), key('b', 3), key('b', 9)], ProjectionExpression: 'v' } } }))
    assert.deepEqual(got.Responses?.[TableName]?.map((i) => i.v?.N).sort(), ['1', '3'])
    assert.deepEqual(got.UnprocessedKeys, {})
    await db.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: [{ DeleteRequest: { Key: key('b', 1) } }] } }))
    assert.equal((await db.send(new GetItemCommand({ TableName, Key: key('b', 1) }))).Item, undefined)
    assert.deepEqual(await sdkError(db.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: [
      { PutRequest: { Item: key('d') } }, { DeleteRequest: { Key: key('d') } }] } }))),
    { name: 'ValidationException', message: 'Provided list of item keys contains duplicates', status: 400 })
    assert.equal((await sdkError(db.send(new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: [key('d'), key('d')] } } })))).message,
      'Provided list of item keys contains duplicates')
    const many = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: key('m', i) } }))
    assert.equal((await sdkError(db.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: many } })))).message,
      'Too many items requested for the BatchWriteItem call')
    const keys = Array.from({ length: 101 }, (_, i) => key('m', i))
    assert.equal((await sdkError(db.send(new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: keys } } })))).message,
      'Too many items requested for the BatchGetItem call')
    db.destroy()
  })
})

describe('DynamoDB transactions', () => {
  it('writes all or nothing, with cancellation reasons in request order', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    await db.send(new PutItemCommand({ TableName, Item: { ...key('acct-a'), balance: { N: '100' } } }))
    await db.send(new PutItemCommand({ TableName, Item: { ...key('acct-b'), balance: { N: '5' } } }))
    const transfer = (amount: number): TransactWriteItemsCommandInput => ({
      TransactItems: [
        { Update: { TableName, Key: key('acct-a'), UpdateExpression: 'SET balance = balance - :a', ConditionExpression: 'balance >= :a',
          ExpressionAttributeValues: { ':a': { N: String(amount) } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        { Update: { TableName, Key: key('acct-b'), UpdateExpression: 'SET balance = balance + :a', ExpressionAttributeValues: { ':a': { N: String(amount) } } } },
        { Put: { TableName, Item: { ...key('log', amount), amount: { N: String(amount) } }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    })
    await db.send(new TransactWriteItemsCommand(transfer(60)))
    const failed = await db.send(new TransactWriteItemsCommand(transfer(60))).then(() => assert.fail('the transaction went through'), (e: unknown) => e as {
      name: string; message: string; CancellationReasons?: { Code?: string; Message?: string; Item?: unknown }[]
    })
    assert.equal(failed.name, 'TransactionCanceledException')
    assert.equal(failed.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, ConditionalCheckFailed]')
    assert.deepEqual(failed.CancellationReasons?.map((r) => r.Code), ['ConditionalCheckFailed', 'None', 'ConditionalCheckFailed'])
    assert.deepEqual(failed.CancellationReasons?.[0]?.Item, { ...key('acct-a'), balance: { N: '40' } })
    const b = await db.send(new GetItemCommand({ TableName, Key: key('acct-b') }))
    assert.deepEqual(b.Item?.balance, { N: '65' }, 'nothing of the cancelled transaction was written')
    db.destroy()
  })

  it('lets only one of two conflicting transactions through', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    await db.send(new PutItemCommand({ TableName, Item: { ...key('seat'), free: { BOOL: true } } }))
    const claim = (who: string) => db.send(new TransactWriteItemsCommand({ TransactItems: [
      { Update: { TableName, Key: key('seat'), UpdateExpression: 'SET #free = :f, holder = :w', ConditionExpression: '#free = :t',
        ExpressionAttributeNames: { '#free': 'free' }, ExpressionAttributeValues: { ':f': { BOOL: false }, ':t': { BOOL: true }, ':w': { S: who } } } },
      { Put: { TableName, Item: { ...key(`ticket-${who}`), seat: { S: 'seat' } } } },
    ] })).then(() => who, (e: Error) => e.name)
    const results = await Promise.all([claim('x'), claim('y')])
    assert.equal(results.filter((r) => r === 'TransactionCanceledException').length, 1)
    const winner = results.find((r) => r !== 'TransactionCanceledException')!
    assert.deepEqual((await db.send(new GetItemCommand({ TableName, Key: key('seat') }))).Item?.holder, { S: winner })
    db.destroy()
  })

  it('replays a ClientRequestToken for 10 minutes on the clock, and refuses it with other parameters', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const input = (v: string): TransactWriteItemsCommandInput => ({ ClientRequestToken: 'token-1', TransactItems: [
      { Update: { TableName, Key: key('idem'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: v } } } },
    ] })
    await db.send(new TransactWriteItemsCommand(input('1')))
    await db.send(new TransactWriteItemsCommand(input('1')))
    assert.deepEqual((await db.send(new GetItemCommand({ TableName, Key: key('idem') }))).Item?.n, { N: '1' }, 'the replay wrote nothing')
    assert.equal((await sdkError(db.send(new TransactWriteItemsCommand(input('2'))))).name, 'IdempotentParameterMismatchException')
    await advance(nimbus.current, 10 * 60_000)
    await db.send(new TransactWriteItemsCommand(input('1')))
    assert.deepEqual((await db.send(new GetItemCommand({ TableName, Key: key('idem') }))).Item?.n, { N: '2' }, 'after 10 minutes the token is new')
    db.destroy()
  })

  it('refuses two operations on one item, and reads transactionally', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    assert.deepEqual(await sdkError(db.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName, Item: key('same') } }, { ConditionCheck: { TableName, Key: key('same'), ConditionExpression: 'attribute_exists(pk)' } },
    ] }))), { name: 'ValidationException', message: 'Transaction request cannot include multiple operations on one item', status: 400 })
    await db.send(new PutItemCommand({ TableName, Item: { ...key('g1'), v: { S: 'one' } } }))
    const got = await db.send(new TransactGetItemsCommand({ TransactItems: [
      { Get: { TableName, Key: key('g1') } }, { Get: { TableName, Key: key('g2') } },
    ], ReturnConsumedCapacity: 'TOTAL' }))
    assert.deepEqual(got.Responses, [{ Item: { ...key('g1'), v: { S: 'one' } } }, {}])
    assert.equal(got.ConsumedCapacity?.[0]?.CapacityUnits, 4)
    db.destroy()
  })
})
