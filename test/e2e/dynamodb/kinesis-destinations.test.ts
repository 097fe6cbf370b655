// Kinesis streaming destinations: item changes reach the Kinesis data stream in AWS's record shape
// while the destination is ACTIVE (ENABLING/DISABLING on the clock), read back with client-kinesis.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DeleteItemCommand, DescribeKinesisStreamingDestinationCommand, DisableKinesisStreamingDestinationCommand,
  EnableKinesisStreamingDestinationCommand, PutItemCommand, UpdateItemCommand, UpdateKinesisStreamingDestinationCommand, UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis'
import { activeTable, dynamoClient, transitionMs } from '../../helpers/dynamodb.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

async function records(kinesis: KinesisClient, StreamName: string): Promise<Record<string, unknown>[]> {
  const shard = (await kinesis.send(new DescribeStreamCommand({ StreamName }))).StreamDescription!.Shards![0]!.ShardId!
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }))
  const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }))
  return Records!.map((r) => JSON.parse(Buffer.from(r.Data!).toString()) as Record<string, unknown>)
}

describe('DynamoDB Kinesis streaming destinations', () => {
  it('puts every item change on the stream in AWS record shape while ACTIVE', async () => {
    const db = dynamoClient(nimbus.current)
    const kinesis = kinesisClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const StreamName = await activeStream(nimbus.current, kinesis)
    const StreamArn = streamArn(StreamName)

    const missing = await sdkError(db.send(new EnableKinesisStreamingDestinationCommand({ TableName, StreamArn: streamArn('no-such-stream') })))
    assert.equal(missing.name, 'ResourceNotFoundException')
    const enabled = await db.send(new EnableKinesisStreamingDestinationCommand({ TableName, StreamArn }))
    assert.equal(enabled.DestinationStatus, 'ENABLING')
    assert.equal(enabled.EnableKinesisStreamingConfiguration?.ApproximateCreationDateTimePrecision, 'MILLISECOND')
    assert.equal((await sdkError(db.send(new EnableKinesisStreamingDestinationCommand({ TableName, StreamArn })))).name, 'ResourceInUseException')
    // One Kinesis stream per table; and only one in the table's own region.
    const other = streamArn(await activeStream(nimbus.current, kinesis))
    assert.equal((await sdkError(db.send(new EnableKinesisStreamingDestinationCommand({ TableName, StreamArn: other })))).name, 'ResourceInUseException')
    const elsewhere = await sdkError(db.send(new EnableKinesisStreamingDestinationCommand({ TableName, StreamArn: streamArn(StreamName, 'eu-west-1') })))
    assert.equal(elsewhere.name, 'ResourceNotFoundException')
    await advance(nimbus.current, transitionMs)
    const described = await db.send(new DescribeKinesisStreamingDestinationCommand({ TableName }))
    assert.deepEqual(described.KinesisDataStreamDestinations, [{ StreamArn, DestinationStatus: 'ACTIVE', ApproximateCreationDateTimePrecision: 'MILLISECOND' }])

    const Key = { pk: { S: 'a' }, sk: { N: '1' } }
    await db.send(new PutItemCommand({ TableName, Item: { ...Key, v: { S: 'one' } } }))
    await db.send(new PutItemCommand({ TableName, Item: { ...Key, v: { S: 'one' } } })) // changes nothing: no record
    await db.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'two' } } }))
    await db.send(new DeleteItemCommand({ TableName, Key }))
    const got = await records(kinesis, StreamName)
    assert.deepEqual(got.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE'])
    const modify = got[1] as { dynamodb: Record<string, unknown> } & Record<string, unknown>
    assert.equal(modify.awsRegion, 'us-east-1')
    assert.equal(modify.eventSource, 'aws:dynamodb')
    assert.equal(modify.recordFormat, 'application/json')
    assert.equal(modify.tableName, TableName)
    assert.equal(modify.userIdentity, null)
    assert.match(modify.eventID as string, /^[0-9a-f-]{36}$/)
    assert.deepEqual(modify.dynamodb.Keys, Key)
    assert.deepEqual(modify.dynamodb.NewImage, { ...Key, v: { S: 'two' } })
    assert.deepEqual(modify.dynamodb.OldImage, { ...Key, v: { S: 'one' } })
    assert.equal(modify.dynamodb.ApproximateCreationDateTime, nimbus.current.clock.now())
    assert.equal(typeof modify.dynamodb.SizeBytes, 'number')
    assert.equal((got[2] as { dynamodb: Record<string, unknown> }).dynamodb.NewImage, undefined)

    await db.send(new UpdateKinesisStreamingDestinationCommand({ TableName, StreamArn,
      UpdateKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: 'MICROSECOND' } }))
    await db.send(new PutItemCommand({ TableName, Item: { ...Key, v: { S: 'three' } } }))
    const micro = (await records(kinesis, StreamName))[3] as { dynamodb: { ApproximateCreationDateTime: number } }
    assert.equal(micro.dynamodb.ApproximateCreationDateTime, nimbus.current.clock.now() * 1000)

    const disabled = await db.send(new DisableKinesisStreamingDestinationCommand({ TableName, StreamArn }))
    assert.equal(disabled.DestinationStatus, 'DISABLING')
    await advance(nimbus.current, transitionMs)
    await db.send(new PutItemCommand({ TableName, Item: { ...Key, v: { S: 'four' } } }))
    assert.equal((await records(kinesis, StreamName)).length, 4)
    assert.equal((await db.send(new DescribeKinesisStreamingDestinationCommand({ TableName }))).KinesisDataStreamDestinations?.[0]?.DestinationStatus, 'DISABLED')
    assert.equal((await sdkError(db.send(new DisableKinesisStreamingDestinationCommand({ TableName, StreamArn })))).name, 'ValidationException')
    db.destroy()
    kinesis.destroy()
  })

  it('writes TTL deletions with the DynamoDB service as userIdentity', async () => {
    const db = dynamoClient(nimbus.current)
    const kinesis = kinesisClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const StreamName = await activeStream(nimbus.current, kinesis)
    await db.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }))
    await db.send(new EnableKinesisStreamingDestinationCommand({ TableName, StreamArn: streamArn(StreamName) }))
    await advance(nimbus.current, transitionMs)
    const exp = Math.floor(nimbus.current.clock.now() / 1000) + 60
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 't' }, sk: { N: '1' }, exp: { N: String(exp) } } }))
    await advance(nimbus.current, 11 * 60_000 + 60_000)
    const got = await records(kinesis, StreamName)
    assert.deepEqual(got.map((r) => [r.eventName, r.userIdentity]), [['INSERT', null], ['REMOVE', { type: 'Service', principalId: 'dynamodb.amazonaws.com' }]])
    db.destroy()
    kinesis.destroy()
  })

  it('keeps the destination across a restart', async () => {
    const n = await durableNimbus('dynamodb-kinesis')
    let db = dynamoClient(n.nimbus)
    let kinesis = kinesisClient(n.nimbus)
    const TableName = await activeTable(n.nimbus, db)
    const StreamName = await activeStream(n.nimbus, kinesis)
    await db.send(new EnableKinesisStreamingDestinationCommand({ TableName, StreamArn: streamArn(StreamName) }))
    db.destroy()
    kinesis.destroy()
    await n.restart()
    db = dynamoClient(n.nimbus)
    kinesis = kinesisClient(n.nimbus)
    await advance(n.nimbus, transitionMs)
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'x' }, sk: { N: '1' } } }))
    assert.deepEqual((await records(kinesis, StreamName)).map((r) => r.eventName), ['INSERT'])
    db.destroy()
    kinesis.destroy()
    await n.stop()
  })
})
