// DynamoDB stream → Lambda event source mappings on the manual clock: the event records as Lambda hands
// them over (INSERT/MODIFY/REMOVE with their images), FilterCriteria on dynamodb.NewImage, a failing
// batch bisected down to its poison record, whose DDBStreamBatchInfo goes to an SQS OnFailure
// destination, and the validation DynamoDB sources get (no AT_TIMESTAMP).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DeleteItemCommand, DescribeTableCommand, type DynamoDBClient, PutItemCommand, UpdateItemCommand, UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb'
import { CreateEventSourceMappingCommand, type CreateEventSourceMappingCommandInput } from '@aws-sdk/client-lambda'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, until, watchFunctionLog } from '../../helpers/function-log.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()
const lambda = () => lambdaClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current, 'json')
const mapping = (input: CreateEventSourceMappingCommandInput) => lambda().send(new CreateEventSourceMappingCommand(input))

/** Logs each batch's records as `BATCH [...]`; throws on a batch holding an item whose pk is "poison". */
const handler = `
  exports.handler = async (event) => {
    console.log('BATCH ' + JSON.stringify(event.Records))
    if (event.Records.some((r) => r.dynamodb.Keys.pk.S === 'poison')) throw new Error('cannot digest')
  }`

/** A hash-key table with a NEW_AND_OLD_IMAGES stream; its name and stream ARN. */
async function streamedTable(client: DynamoDBClient): Promise<{ table: string; streamArn: string }> {
  const table = await activeTable(nimbus.current, client, {
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  })
  const streamArn = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!
  return { table, streamArn }
}

describe('DynamoDB stream event source mapping', () => {
  it('hands INSERT, MODIFY and REMOVE records with their images to the function; filters on dynamodb.NewImage', async () => {
    const ddb = dynamoClient(nimbus.current)
    const { table, streamArn } = await streamedTable(ddb)
    const name = await createFunction(lambda(), handler)
    const filtered = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    const filteredLog = watchFunctionLog(nimbus.current, filtered)
    await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, color: { S: 'red' } } }))
    await ddb.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET color = :c',
      ExpressionAttributeValues: { ':c': { S: 'blue' } } }))
    await ddb.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }))
    const created = await mapping({ FunctionName: name, EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON' })
    assert.equal(created.BatchSize, 100)
    assert.equal(created.StartingPosition, 'TRIM_HORIZON')
    await mapping({ FunctionName: filtered, EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ dynamodb: { NewImage: { color: { S: ['blue'] } } } }) }] } })
    await log.waitFor('REPORT RequestId', 1)
    await filteredLog.waitFor('REPORT RequestId', 1)
    const [records] = log.tagged('BATCH')
    assert.deepEqual(records.map((r: { eventName: string }) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE'])
    const [insert, modify, remove] = records
    assert.deepEqual(Object.keys(insert), ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN'])
    assert.deepEqual({ ...insert, eventID: 'x' }, {
      eventID: 'x', eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1',
      dynamodb: { ApproximateCreationDateTime: insert.dynamodb.ApproximateCreationDateTime, Keys: { pk: { S: 'a' } },
        NewImage: { pk: { S: 'a' }, color: { S: 'red' } }, SequenceNumber: insert.dynamodb.SequenceNumber,
        SizeBytes: insert.dynamodb.SizeBytes, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      eventSourceARN: streamArn,
    })
    assert.deepEqual(Object.keys(insert.dynamodb), ['ApproximateCreationDateTime', 'Keys', 'NewImage', 'SequenceNumber', 'SizeBytes',
      'StreamViewType'])
    assert.ok(Number.isInteger(insert.dynamodb.ApproximateCreationDateTime))
    assert.match(insert.dynamodb.SequenceNumber, /^\d+$/)
    assert.ok(insert.dynamodb.SizeBytes > 0)
    assert.deepEqual([modify.dynamodb.OldImage, modify.dynamodb.NewImage],
      [{ pk: { S: 'a' }, color: { S: 'red' } }, { pk: { S: 'a' }, color: { S: 'blue' } }])
    assert.deepEqual([remove.dynamodb.OldImage, remove.dynamodb.NewImage], [{ pk: { S: 'a' }, color: { S: 'blue' } }, undefined])
    assert.ok(BigInt(insert.dynamodb.SequenceNumber) < BigInt(modify.dynamodb.SequenceNumber))
    // The filter kept only the record whose new image is blue.
    const [kept] = filteredLog.tagged('BATCH')
    assert.deepEqual(kept.map((r: { eventName: string }) => r.eventName), ['MODIFY'])
    // A later change arrives with the next poll.
    await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'b' } } }))
    await settle(20)
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 2)
    assert.deepEqual(log.tagged('BATCH')[1].map((r: { dynamodb: { Keys: unknown } }) => r.dynamodb.Keys), [{ pk: { S: 'b' } }])
    log.stop()
    filteredLog.stop()
  })

  it('bisects a failing batch down to its poison record and sends DDBStreamBatchInfo to the SQS OnFailure destination', async () => {
    const ddb = dynamoClient(nimbus.current)
    const { table, streamArn } = await streamedTable(ddb)
    const failed = await standardQueue(sqs())
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    for (const pk of ['a', 'poison', 'c', 'd']) await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }))
    await mapping({ FunctionName: name, EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 4,
      BisectBatchOnFunctionError: true, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: failed.arn } } })
    // [a poison c d] fails → [a poison] (next poll) fails → [a] ok, [poison] fails and is given up → [c d].
    for (let n = 1; n <= 4; n++) {
      await log.waitFor('REPORT RequestId', n)
      await settle(20)
      await advance(nimbus.current, 1000)
    }
    await log.waitFor('REPORT RequestId', 5)
    const keys = log.tagged('BATCH').map((records: { dynamodb: { Keys: { pk: { S: string } } } }[]) => records.map((r) => r.dynamodb.Keys.pk.S))
    assert.deepEqual(keys, [['a', 'poison', 'c', 'd'], ['a', 'poison'], ['a'], ['poison'], ['c', 'd']])
    const poisonSeq = log.tagged('BATCH')[3][0].dynamodb.SequenceNumber
    let messages: Record<string, unknown>[] = []
    await until(async () => (messages = [...messages, ...await receiveAll(sqs(), failed.url)]).length >= 1, 'the failure record')
    const record = JSON.parse(messages[0]!.Body as string)
    assert.deepEqual(Object.keys(record), ['requestContext', 'responseContext', 'version', 'timestamp', 'DDBStreamBatchInfo'])
    assert.deepEqual(record.requestContext, { requestId: record.requestContext.requestId,
      functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 })
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' })
    const info = record.DDBStreamBatchInfo
    assert.deepEqual(Object.keys(info), ['shardId', 'startSequenceNumber', 'endSequenceNumber', 'approximateArrivalOfFirstRecord',
      'approximateArrivalOfLastRecord', 'batchSize', 'streamArn'])
    assert.match(info.shardId, /^shardId-/)
    assert.deepEqual([info.startSequenceNumber, info.endSequenceNumber, info.batchSize, info.streamArn], [poisonSeq, poisonSeq, 1, streamArn])
    assert.match(info.approximateArrivalOfFirstRecord, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    log.stop()
  })

  it('a TTL deletion reaches the function with userIdentity in lower case', async () => {
    const ddb = dynamoClient(nimbus.current)
    const { table, streamArn } = await streamedTable(ddb)
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    const now = Math.floor(nimbus.current.clock.now() / 1000)
    await ddb.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }))
    await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'old' }, exp: { N: String(now + 60) } } }))
    // Expired, then swept after the deletion delay (ttl.test.ts); the mapping starts afterwards from TRIM_HORIZON.
    await advance(nimbus.current, 120_000 + 10 * 60_000)
    await mapping({ FunctionName: name, EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON' })
    await log.waitFor('REPORT RequestId', 1)
    const [records] = log.tagged('BATCH')
    const remove = records.at(-1)
    assert.equal(remove.eventName, 'REMOVE')
    assert.deepEqual(remove.userIdentity, { type: 'Service', principalId: 'dynamodb.amazonaws.com' })
    assert.equal(records[0].userIdentity, undefined)
    log.stop()
  })

  it("answers Lambda's errors for DynamoDB sources", async () => {
    const ddb = dynamoClient(nimbus.current)
    const { table, streamArn } = await streamedTable(ddb)
    const name = await createFunction(lambda(), handler)
    const atTime = await sdkError(mapping({ FunctionName: name, EventSourceArn: streamArn, StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: new Date() }))
    assert.equal(atTime.name, 'InvalidParameterValueException')
    const big = await sdkError(mapping({ FunctionName: name, EventSourceArn: streamArn, StartingPosition: 'LATEST', BatchSize: 10_001 }))
    // Past the model's range: Coral's ValidationException, as for every stream setting.
    assert.deepEqual(big, { name: 'ValidationException', status: 400, message: "1 validation error detected: Value '10001' at 'batchSize' " +
      'failed to satisfy constraint: Member must have value less than or equal to 10000' })
    const missing = await sdkError(mapping({ FunctionName: name, EventSourceArn: `${streamArn.split('/stream/')[0]}/stream/2000-01-01T00:00:00.000`,
      StartingPosition: 'LATEST' }))
    assert.equal(missing.name, 'InvalidParameterValueException')
    const tableArn = await sdkError(mapping({ FunctionName: name, EventSourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`,
      StartingPosition: 'LATEST' }))
    assert.equal(tableArn.name, 'InvalidParameterValueException')
    const ok = await mapping({ FunctionName: name, EventSourceArn: streamArn, StartingPosition: 'LATEST', BatchSize: 10_000 })
    assert.deepEqual([ok.BatchSize, ok.StartingPosition, ok.MaximumRetryAttempts, ok.BisectBatchOnFunctionError], [10_000, 'LATEST', -1, false])
  })
})
