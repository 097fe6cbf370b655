// The legacy (pre-expression) parameters: Expected, AttributeUpdates, AttributesToGet, KeyConditions,
// QueryFilter, ScanFilter, ConditionalOperator — and AWS's refusal to mix them with expressions.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

describe('DynamoDB legacy parameters', () => {
  it('reads Expected, AttributeUpdates and AttributesToGet as the expressions they stand for', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const Key = { pk: { S: 'l' }, sk: { N: '1' } }
    await db.send(new PutItemCommand({ TableName, Item: { ...Key, n: { N: '1' } }, Expected: { pk: { Exists: false } } }))
    assert.equal((await sdkError(db.send(new PutItemCommand({ TableName, Item: Key, Expected: { pk: { Exists: false } } })))).name,
      'ConditionalCheckFailedException')
    await db.send(new UpdateItemCommand({ TableName, Key, AttributeUpdates: { n: { Action: 'ADD', Value: { N: '2' } }, s: { Action: 'PUT', Value: { SS: ['a'] } } },
      Expected: { n: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '5' }] }, s: { ComparisonOperator: 'NULL' } }, ConditionalOperator: 'AND' }))
    const got = await db.send(new GetItemCommand({ TableName, Key, AttributesToGet: ['n', 's'] }))
    assert.deepEqual(got.Item, { n: { N: '3' }, s: { SS: ['a'] } })
    await db.send(new UpdateItemCommand({ TableName, Key, AttributeUpdates: { s: { Action: 'DELETE' } } }))
    assert.equal((await db.send(new GetItemCommand({ TableName, Key }))).Item?.s, undefined)
    assert.deepEqual(await sdkError(db.send(new PutItemCommand({ TableName, Item: Key, Expected: { pk: { Exists: false } }, ConditionExpression: 'attribute_exists(pk)' }))), {
      name: 'ValidationException', status: 400,
      message: 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
    })
    db.destroy()
  })

  it('queries by KeyConditions with a QueryFilter, and scans with a ScanFilter', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    for (let i = 0; i < 6; i++) await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'q' }, sk: { N: String(i) }, even: { BOOL: i % 2 === 0 } } }))
    const queried = await db.send(new QueryCommand({ TableName,
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'q' }] }, sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '4' }] } },
      QueryFilter: { even: { ComparisonOperator: 'EQ', AttributeValueList: [{ BOOL: true }] } }, AttributesToGet: ['sk'] }))
    assert.deepEqual(queried.Items, [{ sk: { N: '2' } }, { sk: { N: '4' } }])
    const scanned = await db.send(new ScanCommand({ TableName, ScanFilter: { sk: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '0' }, { N: '5' }] },
      even: { ComparisonOperator: 'EQ', AttributeValueList: [{ BOOL: true }] } }, ConditionalOperator: 'OR' }))
    assert.deepEqual(scanned.Items?.map((i) => i.sk!.N).sort(), ['0', '2', '4', '5'])
    assert.equal((await sdkError(db.send(new ScanCommand({ TableName, ScanFilter: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [] } } })))).message,
      'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator')
    db.destroy()
  })
})
