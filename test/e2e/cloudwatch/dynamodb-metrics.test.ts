// AWS/DynamoDB metrics on the manual clock: consumed read/write capacity per request (table and GSI),
// provisioned capacity of a provisioned table, SuccessfulRequestLatency and ReturnedItemCount per
// operation, ConditionalCheckFailedRequests and account-level UserErrors — and an alarm on them.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeAlarmsCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch'
import {
  BatchWriteItemCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, TransactWriteItemsCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const minute = 60_000
type Stat = 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount'

async function stat(metric: string, dimensions: { Name: string; Value: string }[], statistic: Stat, start: number, period = 60) {
  const out = await cloudWatchClient(nimbus.current).send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/DynamoDB', MetricName: metric, Dimensions: dimensions, StartTime: new Date(start), EndTime: new Date(start + 10 * minute),
    Period: period, Statistics: [statistic],
  }))
  return out.Datapoints!.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime()).map((d) => d[statistic])
}

describe('AWS/DynamoDB metrics', () => {
  it('counts consumed capacity per request, failed conditions, latency and returned items per table and minute', async () => {
    const ddb = dynamoClient(nimbus.current)
    const table = await activeTable(nimbus.current, ddb)
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    const big = 'x'.repeat(1500) // 2 write units, 1 read unit
    await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { S: big } } }))
    await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, sk: { N: '2' } } }))
    await ddb.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'a' }, sk: { N: '2' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }))
    await ddb.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'zz' }, sk: { N: '9' } } }))
    const failed = await sdkError(ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, sk: { N: '2' } }, ConditionExpression: 'attribute_not_exists(pk)' })))
    assert.equal(failed.name, 'ConditionalCheckFailedException')
    await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' }, sk: { N: '1' } }, ConsistentRead: true }))
    await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' }, sk: { N: '1' } } }))
    const q = await ddb.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }))
    assert.equal(q.Count, 2)
    await ddb.send(new ScanCommand({ TableName: table, FilterExpression: 'attribute_exists(n)' }))
    await ddb.send(new BatchWriteItemCommand({ RequestItems: { [table]: [1, 2, 3].map((i) => ({ PutRequest: { Item: { pk: { S: 'b' }, sk: { N: String(i) } } } })) } }))
    await ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: { pk: { S: 'c' }, sk: { N: '1' } } } }] }))
    // UserErrors: a 400 that is not a failed condition (a missing table).
    assert.equal((await sdkError(ddb.send(new GetItemCommand({ TableName: `${table}-none`, Key: { pk: { S: 'a' }, sk: { N: '1' } } })))).name, 'ResourceNotFoundException')
    await advanceTo(nimbus.current, t + 2 * minute)

    const dims = [{ Name: 'TableName', Value: table }]
    // Writes: put 2, put 1, update 1, delete of nothing 1, failed condition 1 (on a small item), batch 3, transaction 2.
    assert.deepEqual(await stat('ConsumedWriteCapacityUnits', dims, 'Sum', t), [11])
    assert.deepEqual(await stat('ConsumedWriteCapacityUnits', dims, 'SampleCount', t), [7])
    assert.deepEqual(await stat('ConsumedWriteCapacityUnits', dims, 'Maximum', t), [3])
    // Reads: strongly consistent 1, eventually 0.5, the query of both items (1.5 KB → 0.5), the scan 0.5.
    assert.deepEqual(await stat('ConsumedReadCapacityUnits', dims, 'Sum', t), [2.5])
    assert.deepEqual(await stat('ConsumedReadCapacityUnits', dims, 'SampleCount', t), [4])
    assert.deepEqual(await stat('ConditionalCheckFailedRequests', dims, 'Sum', t), [1])
    const op = (name: string) => [...dims, { Name: 'Operation', Value: name }]
    assert.deepEqual(await stat('ReturnedItemCount', op('Query'), 'Sum', t), [2])
    assert.deepEqual(await stat('ReturnedItemCount', op('Scan'), 'Sum', t), [1])
    assert.deepEqual(await stat('SuccessfulRequestLatency', op('GetItem'), 'SampleCount', t), [2])
    assert.deepEqual(await stat('SuccessfulRequestLatency', op('PutItem'), 'SampleCount', t), [2], 'the failed put is no success')
    assert.ok((await stat('SuccessfulRequestLatency', op('Query'), 'Maximum', t))[0]! >= 0)
    assert.deepEqual(await stat('UserErrors', [], 'Sum', t), [1])

    const listed = await cloudWatchClient(nimbus.current).send(new ListMetricsCommand({ Namespace: 'AWS/DynamoDB', Dimensions: [{ Name: 'TableName', Value: table }] }))
    const names = new Set(listed.Metrics!.map((m) => m.MetricName))
    for (const name of ['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits', 'ConditionalCheckFailedRequests', 'SuccessfulRequestLatency', 'ReturnedItemCount']) {
      assert.ok(names.has(name), name)
    }
    assert.ok(!names.has('ProvisionedReadCapacityUnits'), 'an on-demand table has no provisioned capacity')
  })

  it('reports a GSI’s consumption under its name, a provisioned table’s capacity every 5 minutes, and alarms on consumption', async () => {
    const ddb = dynamoClient(nimbus.current)
    const table = await activeTable(nimbus.current, ddb, {
      TableName: uniqueName('prov'), BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' },
        ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 } }],
    })
    const cw = cloudWatchClient(nimbus.current)
    const alarm = uniqueName('ddb-writes')
    await cw.send(new PutMetricAlarmCommand({
      AlarmName: alarm, Namespace: 'AWS/DynamoDB', MetricName: 'ConsumedWriteCapacityUnits', Dimensions: [{ Name: 'TableName', Value: table }],
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 3, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
    }))
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    for (let i = 0; i < 3; i++) await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'p' }, sk: { N: String(i) }, g: { S: 'x' } } }))
    await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'p' }, sk: { N: '9' } } })) // not in the index
    await ddb.send(new QueryCommand({ TableName: table, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } }))
    await advanceTo(nimbus.current, t + minute + 1000)
    const dims = [{ Name: 'TableName', Value: table }]
    const gsi = [...dims, { Name: 'GlobalSecondaryIndexName', Value: 'byG' }]
    assert.deepEqual(await stat('ConsumedWriteCapacityUnits', dims, 'Sum', t), [4])
    assert.deepEqual(await stat('ConsumedWriteCapacityUnits', gsi, 'Sum', t), [3])
    assert.deepEqual(await stat('ConsumedReadCapacityUnits', gsi, 'Sum', t), [0.5])
    assert.deepEqual(await stat('ConsumedReadCapacityUnits', dims, 'Sum', t), [], 'the index read is the index’s')
    const state = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarm] }))).MetricAlarms![0]!
    assert.equal(state.StateValue, 'ALARM')

    await advanceTo(nimbus.current, t + 12 * minute)
    const five = t - (t % (5 * minute))
    const provisioned = await stat('ProvisionedWriteCapacityUnits', dims, 'Average', five, 300)
    assert.ok(provisioned.length >= 1 && provisioned.every((v) => v === 7), String(provisioned))
    assert.ok((await stat('ProvisionedReadCapacityUnits', gsi, 'Average', five, 300)).every((v) => v === 2))
  })
})
