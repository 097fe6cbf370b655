// DynamoDB tables end to end: create → CREATING → ACTIVE on the clock, describe, list with pages,
// update billing and deletion protection, delete → DELETING → gone, tags, indexes, and the
// schema validation messages in DynamoDB's words.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateTableCommand, DeleteTableCommand, DescribeContinuousBackupsCommand, DescribeEndpointsCommand, DescribeTimeToLiveCommand,
  UpdateContinuousBackupsCommand, UpdateTimeToLiveCommand, DescribeLimitsCommand, DescribeTableCommand,
  ListTablesCommand, ListTagsOfResourceCommand, PutItemCommand, QueryCommand, TagResourceCommand, UntagResourceCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import { activeTable, dynamoClient, transitionMs } from '../../helpers/dynamodb.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

describe('DynamoDB tables', () => {
  it('goes CREATING → ACTIVE on the clock, and DELETING → gone', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = uniqueName('t')
    const created = await db.send(new CreateTableCommand({
      TableName, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
    }))
    assert.equal(created.TableDescription?.TableStatus, 'CREATING')
    assert.match(created.TableDescription!.TableArn!, new RegExp(`^arn:aws:dynamodb:us-east-1:000000000000:table/${TableName}$`))
    assert.deepEqual(created.TableDescription?.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 3 })
    await advance(nimbus.current, transitionMs)
    const described = await db.send(new DescribeTableCommand({ TableName }))
    assert.equal(described.Table?.TableStatus, 'ACTIVE')
    assert.equal(described.Table?.ItemCount, 0)
    const deleted = await db.send(new DeleteTableCommand({ TableName }))
    assert.equal(deleted.TableDescription?.TableStatus, 'DELETING')
    assert.equal((await db.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus, 'DELETING')
    await advance(nimbus.current, transitionMs)
    const gone = await sdkError(db.send(new DescribeTableCommand({ TableName })))
    assert.deepEqual(gone, { name: 'ResourceNotFoundException', message: `Requested resource not found: Table: ${TableName} not found`, status: 400 })
    db.destroy()
  })

  it('refuses a second table of the same name, and deleting one being created', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = uniqueName('t')
    const input = { TableName, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }], BillingMode: 'PAY_PER_REQUEST' as const }
    await db.send(new CreateTableCommand(input))
    assert.deepEqual(await sdkError(db.send(new CreateTableCommand(input))),
      { name: 'ResourceInUseException', message: `Table already exists: ${TableName}`, status: 400 })
    assert.equal((await sdkError(db.send(new DeleteTableCommand({ TableName })))).message,
      `Attempt to change a resource which is still in use: Table is being created: ${TableName}`)
    db.destroy()
  })

  it('lists tables in pages', async () => {
    const db = dynamoClient(nimbus.current, 'eu-west-3')
    const names = ['lt-a', 'lt-b', 'lt-c']
    for (const TableName of names) await activeTable(nimbus.current, db, { TableName })
    const first = await db.send(new ListTablesCommand({ Limit: 2 }))
    assert.deepEqual(first.TableNames, ['lt-a', 'lt-b'])
    assert.equal(first.LastEvaluatedTableName, 'lt-b')
    const second = await db.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: first.LastEvaluatedTableName }))
    assert.deepEqual(second.TableNames, ['lt-c'])
    assert.equal(second.LastEvaluatedTableName, undefined)
    db.destroy()
  })

  it('updates billing and deletion protection (UPDATING → ACTIVE)', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db, { DeletionProtectionEnabled: true })
    assert.deepEqual(await sdkError(db.send(new DeleteTableCommand({ TableName }))), {
      name: 'ValidationException', status: 400,
      message: 'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    })
    const updated = await db.send(new UpdateTableCommand({ TableName, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
      DeletionProtectionEnabled: false }))
    assert.equal(updated.TableDescription?.TableStatus, 'UPDATING')
    assert.equal(updated.TableDescription?.BillingModeSummary, undefined)
    await advance(nimbus.current, transitionMs)
    const described = (await db.send(new DescribeTableCommand({ TableName }))).Table!
    assert.equal(described.TableStatus, 'ACTIVE')
    assert.equal(described.DeletionProtectionEnabled, false)
    assert.equal(described.ProvisionedThroughput?.ReadCapacityUnits, 2)
    await db.send(new DeleteTableCommand({ TableName }))
    db.destroy()
  })

  it('describes GSIs and LSIs with their projections', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db, {
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] } }],
      LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'KEYS_ONLY' } }],
    })
    const table = (await db.send(new DescribeTableCommand({ TableName }))).Table!
    assert.equal(table.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'ACTIVE')
    assert.deepEqual(table.GlobalSecondaryIndexes?.[0]?.Projection, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] })
    assert.equal(table.GlobalSecondaryIndexes?.[0]?.IndexArn, `${table.TableArn}/index/byG`)
    assert.deepEqual(table.LocalSecondaryIndexes?.[0]?.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }])
    assert.equal(table.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST')
    db.destroy()
  })

  it('adds a GSI with UpdateTable (backfilled, CREATING on the clock) and deletes it (DELETING, then gone)', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    for (let i = 0; i < 4; i++) {
      await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'p' }, sk: { N: String(i) }, ...(i < 3 && { color: { S: i % 2 === 0 ? 'red' : 'blue' } }) } }))
    }
    const updated = await db.send(new UpdateTableCommand({ TableName, AttributeDefinitions: [{ AttributeName: 'color', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }] }))
    assert.equal(updated.TableDescription?.TableStatus, 'UPDATING')
    assert.deepEqual([updated.TableDescription?.GlobalSecondaryIndexes?.[0]?.IndexStatus, updated.TableDescription?.GlobalSecondaryIndexes?.[0]?.Backfilling],
      ['CREATING', true])
    const query = () => db.send(new QueryCommand({ TableName, IndexName: 'byColor', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } }))
    assert.equal((await sdkError(query())).message, 'Cannot read from backfilling global secondary index: byColor')
    await advance(nimbus.current, transitionMs)
    assert.deepEqual((await query()).Items?.map((i) => i.sk!.N), ['0', '2'])
    const described = (await db.send(new DescribeTableCommand({ TableName }))).Table!
    assert.deepEqual([described.TableStatus, described.GlobalSecondaryIndexes?.[0]?.IndexStatus, described.GlobalSecondaryIndexes?.[0]?.ItemCount], ['ACTIVE', 'ACTIVE', 3])
    await db.send(new UpdateTableCommand({ TableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColor' } }] }))
    assert.equal((await db.send(new DescribeTableCommand({ TableName }))).Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'DELETING')
    await advance(nimbus.current, transitionMs)
    assert.equal((await db.send(new DescribeTableCommand({ TableName }))).Table?.GlobalSecondaryIndexes, undefined)
    assert.equal((await sdkError(query())).message, 'The table does not have the specified index: byColor')
    db.destroy()
  })

  it('tags a table by ARN', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db, { Tags: [{ Key: 'team', Value: 'a' }] })
    const arn = (await db.send(new DescribeTableCommand({ TableName }))).Table!.TableArn!
    await db.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'env', Value: 'dev' }] }))
    await db.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }))
    assert.deepEqual((await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'env', Value: 'dev' }])
    const missing = arn.replace(TableName, 'nope-table')
    assert.equal((await sdkError(db.send(new ListTagsOfResourceCommand({ ResourceArn: missing })))).name, 'ResourceNotFoundException')
    db.destroy()
  })

  it('stores the TTL and point-in-time recovery settings tools read', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    assert.deepEqual((await db.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription, { TimeToLiveStatus: 'DISABLED' })
    const ttl = await db.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } }))
    assert.deepEqual(ttl.TimeToLiveSpecification, { AttributeName: 'expires', Enabled: true })
    assert.deepEqual((await db.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' })
    assert.equal((await sdkError(db.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } })))).message,
      'TimeToLive is already enabled')
    const backups = await db.send(new DescribeContinuousBackupsCommand({ TableName }))
    assert.equal(backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'DISABLED')
    await db.send(new UpdateContinuousBackupsCommand({ TableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
    assert.equal((await db.send(new DescribeContinuousBackupsCommand({ TableName }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription
      ?.PointInTimeRecoveryStatus, 'ENABLED')
    assert.equal((await sdkError(db.send(new DescribeContinuousBackupsCommand({ TableName: 'no-such-table' })))).name, 'TableNotFoundException')
    db.destroy()
  })

  it('answers DescribeEndpoints and DescribeLimits', async () => {
    const db = dynamoClient(nimbus.current)
    const limits = await db.send(new DescribeLimitsCommand({}))
    assert.equal(limits.TableMaxWriteCapacityUnits, 40_000)
    const endpoints = await db.send(new DescribeEndpointsCommand({}))
    assert.equal(endpoints.Endpoints?.[0]?.CachePeriodInMinutes, 1440)
    db.destroy()
  })

  it('validates schemas with DynamoDB\'s messages', async () => {
    const db = dynamoClient(nimbus.current)
    const base = { TableName: uniqueName('t'), BillingMode: 'PAY_PER_REQUEST' as const }
    const cases: [Record<string, unknown>, string][] = [
      [{ KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'b', AttributeType: 'S' }] },
        'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]'],
      [{ KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'S' }] },
        'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions'],
      [{ KeySchema: [{ AttributeName: 'a', KeyType: 'RANGE' }], AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }] },
        'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'],
      [{ TableName: 'ab', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }] },
        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"],
      [{ BillingMode: 'PROVISIONED', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }] },
        'No provisioned throughput specified for the table'],
      [{ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }] },
        'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST'],
      [{ KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'S' }],
        LocalSecondaryIndexes: [{ IndexName: 'i', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }] },
        'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex'],
    ]
    for (const [input, message] of cases) {
      const error = await sdkError(db.send(new CreateTableCommand({ ...base, ...input } as never)))
      assert.deepEqual(error, { name: 'ValidationException', message, status: 400 })
    }
    db.destroy()
  })
})
