// DynamoDB items end to end: Put/Get/Update/Delete with conditions, update expressions, projections,
// ReturnValues, ConsumedCapacity, number canonicalisation, sets, item size, and the validation
// messages in DynamoDB's words; concurrent conditional writes (exactly one wins).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const validation = (message: string) => ({ name: 'ValidationException', message, status: 400 })

describe('DynamoDB items', () => {
  it('puts, gets with a projection, replaces with ALL_OLD and deletes', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const Key = { pk: { S: 'a' }, sk: { N: '1' } }
    await db.send(new PutItemCommand({ TableName, Item: { ...Key, n: { N: '1.50' }, m: { M: { x: { L: [{ S: 'y' }] } } }, b: { B: new Uint8Array([0, 255]) } } }))
    const got = await db.send(new GetItemCommand({ TableName, Key }))
    assert.deepEqual(got.Item?.n, { N: '1.5' }, 'numbers come back canonical')
    assert.deepEqual(got.Item?.b, { B: new Uint8Array([0, 255]) })
    const projected = await db.send(new GetItemCommand({ TableName, Key, ProjectionExpression: 'm.x[0], #n', ExpressionAttributeNames: { '#n': 'n' } }))
    assert.deepEqual(projected.Item, { m: { M: { x: { L: [{ S: 'y' }] } } }, n: { N: '1.5' } })
    const replaced = await db.send(new PutItemCommand({ TableName, Item: { ...Key, v: { S: 'new' } }, ReturnValues: 'ALL_OLD' }))
    assert.deepEqual(replaced.Attributes?.n, { N: '1.5' })
    const deleted = await db.send(new DeleteItemCommand({ TableName, Key, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' }))
    assert.deepEqual(deleted.Attributes?.v, { S: 'new' })
    assert.deepEqual(deleted.ConsumedCapacity, { TableName, CapacityUnits: 1, WriteCapacityUnits: 1 })
    assert.equal((await db.send(new GetItemCommand({ TableName, Key }))).Item, undefined)
    db.destroy()
  })

  it('checks conditions and returns the item on failure when asked', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const Item = { pk: { S: 'c' }, sk: { N: '1' }, state: { S: 'open' } }
    await db.send(new PutItemCommand({ TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' }))
    const failed = await db.send(new PutItemCommand({ TableName, Item, ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })).then(() => assert.fail('the put went through'), (e: unknown) => e as { name: string; message: string; Item?: unknown })
    assert.equal(failed.name, 'ConditionalCheckFailedException')
    assert.equal(failed.message, 'The conditional request failed')
    assert.deepEqual(failed.Item, Item)
    await db.send(new DeleteItemCommand({ TableName, Key: { pk: Item.pk, sk: Item.sk }, ConditionExpression: '#s = :o',
      ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':o': { S: 'open' } } }))
    db.destroy()
  })

  it('updates with SET/REMOVE/ADD/DELETE and every ReturnValues', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const Key = { pk: { S: 'u' }, sk: { N: '1' } }
    const created = await db.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET hits = if_not_exists(hits, :z) + :one, tags = :t',
      ExpressionAttributeValues: { ':z': { N: '0' }, ':one': { N: '1' }, ':t': { SS: ['a', 'b'] } }, ReturnValues: 'ALL_NEW' }))
    assert.deepEqual(created.Attributes, { ...Key, hits: { N: '1' }, tags: { SS: ['a', 'b'] } })
    const old = await db.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'ADD hits :one DELETE tags :a',
      ExpressionAttributeValues: { ':one': { N: '1' }, ':a': { SS: ['a'] } }, ReturnValues: 'UPDATED_OLD' }))
    assert.deepEqual(old.Attributes, { hits: { N: '1' }, tags: { SS: ['a', 'b'] } })
    const fresh = await db.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET l = list_append(if_not_exists(l, :e), :x) REMOVE tags',
      ExpressionAttributeValues: { ':e': { L: [] }, ':x': { L: [{ N: '3' }] } }, ReturnValues: 'UPDATED_NEW' }))
    assert.deepEqual(fresh.Attributes, { l: { L: [{ N: '3' }] } })
    const all = await db.send(new GetItemCommand({ TableName, Key, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }))
    assert.deepEqual(all.Item, { ...Key, hits: { N: '2' }, l: { L: [{ N: '3' }] } })
    assert.equal(all.ConsumedCapacity?.CapacityUnits, 1)
    assert.deepEqual(await sdkError(db.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET sk = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }))),
      validation('One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key'))
    db.destroy()
  })

  it('answers DynamoDB\'s validation messages', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const Key = { pk: { S: 'v' }, sk: { N: '1' } }
    const cases: [Promise<unknown>, string][] = [
      [db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'v' } } })), 'One or more parameter values were invalid: Missing the key sk in the item'],
      [db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'v' }, sk: { S: 'x' } } })),
        'One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S'],
      [db.send(new GetItemCommand({ TableName, Key: { pk: { S: 'v' } } })), 'The provided key element does not match the schema'],
      [db.send(new PutItemCommand({ TableName, Item: { ...Key, n: { N: 'x1' } } })), 'The parameter cannot be converted to a numeric value: x1'],
      [db.send(new PutItemCommand({ TableName, Item: { ...Key, s: { SS: [] } } })), 'One or more parameter values were invalid: An string set  may not be empty'],
      [db.send(new PutItemCommand({ TableName, Item: { ...Key, s: { SS: ['a', 'a'] } } })),
        'One or more parameter values were invalid: Input collection [a, a] contains duplicates.'],
      [db.send(new PutItemCommand({ TableName, Item: { ...Key, big: { S: 'x'.repeat(400 * 1024) } } })), 'Item size has exceeded the maximum allowed size'],
      [db.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET big = :b', ExpressionAttributeValues: { ':b': { S: 'x'.repeat(400 * 1024) } } })),
        'Item size to update has exceeded the maximum allowed size'],
      [db.send(new PutItemCommand({ TableName, Item: { pk: { S: '' }, sk: { N: '1' } } })),
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk'],
      [db.send(new PutItemCommand({ TableName, Item: Key, ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':u': { S: 'x' } } })),
        'Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}'],
      [db.send(new PutItemCommand({ TableName, Item: Key, ConditionExpression: 'attribute_exists(#p)', ExpressionAttributeNames: { '#p': 'pk', '#q': 'x' } })),
        'Value provided in ExpressionAttributeNames unused in expressions: keys: {#q}'],
      [db.send(new PutItemCommand({ TableName, Item: Key, ExpressionAttributeValues: { ':u': { S: 'x' } } })),
        'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null'],
      [db.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET a = :v' })),
        'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v'],
      [db.send(new PutItemCommand({ TableName, Item: Key, ReturnValues: 'ALL_NEW' })), 'ReturnValues can only be ALL_OLD or NONE'],
      [db.send(new PutItemCommand({ TableName, Item: Key, ConditionExpression: 'size(a)' })),
        'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size'],
    ]
    // All calls are in flight at once: a handler on each keeps a rejection that arrives before its turn
    // from counting as unhandled (which fails the test under load).
    for (const [call] of cases) call.catch(() => {})
    for (const [call, message] of cases) assert.deepEqual(await sdkError(call), validation(message), message)
    assert.deepEqual(await sdkError(db.send(new GetItemCommand({ TableName: 'ab', Key }))),
      validation("1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"))
    assert.deepEqual(await sdkError(db.send(new GetItemCommand({ TableName: 'no-such-table', Key }))),
      { name: 'ResourceNotFoundException', message: 'Requested resource not found', status: 400 })
    db.destroy()
  })

  it('lets exactly one of many concurrent conditional creates win', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const Key = { pk: { S: 'race' }, sk: { N: '0' } }
    const attempts = Array.from({ length: 20 }, (_, i) => db.send(new PutItemCommand({
      TableName, Item: { ...Key, owner: { N: String(i) } }, ConditionExpression: 'attribute_not_exists(pk)',
    })).then(() => 'won', (e: Error) => e.name))
    const results = await Promise.all(attempts)
    assert.equal(results.filter((r) => r === 'won').length, 1)
    assert.equal(results.filter((r) => r === 'ConditionalCheckFailedException').length, 19)
    // Counters under concurrency: every ADD counts.
    await Promise.all(Array.from({ length: 25 }, () => db.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'ADD c :one',
      ExpressionAttributeValues: { ':one': { N: '1' } } }))))
    assert.deepEqual((await db.send(new GetItemCommand({ TableName, Key }))).Item?.c, { N: '25' })
    db.destroy()
  })
})
