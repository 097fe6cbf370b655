// DynamoDB Streams end to end: StreamSpecification on CreateTable/UpdateTable, a record per item change
// in GetRecords' shape per view type (none for a write that changes nothing), ListStreams,
// DescribeStream, the four iterator types, 24 h retention and 15-minute iterators on the clock.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, PutItemCommand, TransactWriteItemsCommand,
  UpdateItemCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams'
import { activeTable, dynamoClient, transitionMs } from '../../helpers/dynamodb.ts'
import { allRecords, streamsClient } from '../../helpers/dynamodb-streams.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

describe('DynamoDB Streams', () => {
  it('CreateTable with a stream: LatestStreamArn, ENABLING → ENABLED, ListStreams and DescribeStream', async () => {
    const db = dynamoClient(nimbus.current)
    const streams = streamsClient(nimbus.current)
    const created = nimbus.current.clock.now()
    const TableName = await activeTable(nimbus.current, db, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } })
    const table = (await db.send(new DescribeTableCommand({ TableName }))).Table!
    assert.deepEqual(table.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' })
    const label = new Date(created).toISOString().replace('Z', '')
    assert.equal(table.LatestStreamLabel, label)
    assert.equal(table.LatestStreamArn, `arn:aws:dynamodb:us-east-1:000000000000:table/${TableName}/stream/${label}`)

    const listed = await streams.send(new ListStreamsCommand({ TableName }))
    assert.deepEqual(listed.Streams, [{ StreamArn: table.LatestStreamArn, TableName, StreamLabel: label }])
    const described = (await streams.send(new DescribeStreamCommand({ StreamArn: table.LatestStreamArn! }))).StreamDescription!
    assert.equal(described.StreamStatus, 'ENABLED')
    assert.equal(described.StreamViewType, 'NEW_AND_OLD_IMAGES')
    assert.equal(described.TableName, TableName)
    assert.deepEqual(described.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }])
    assert.equal(described.Shards?.length, 1)
    assert.match(described.Shards![0]!.ShardId!, /^shardId-\d{20}-[0-9a-f]{8}$/)
    assert.match(described.Shards![0]!.SequenceNumberRange!.StartingSequenceNumber!, /^\d{21,}$/)
    assert.equal(described.Shards![0]!.SequenceNumberRange!.EndingSequenceNumber, undefined)
    assert.equal(described.Shards![0]!.ParentShardId, undefined)

    // A second table's stream in the same account: ListStreams without a filter, with pages.
    const other = await activeTable(nimbus.current, db, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })
    const page = await streams.send(new ListStreamsCommand({ Limit: 1 }))
    assert.equal(page.Streams?.length, 1)
    assert.ok(page.LastEvaluatedStreamArn)
    const rest = await streams.send(new ListStreamsCommand({ ExclusiveStartStreamArn: page.LastEvaluatedStreamArn }))
    const names = [...page.Streams!, ...rest.Streams!].map((s) => s.TableName)
    assert.ok(names.includes(TableName) && names.includes(other))
    db.destroy()
    streams.destroy()
  })

  it('one record per change, shaped as GetRecords returns it, none when nothing changed', async () => {
    const db = dynamoClient(nimbus.current)
    const streams = streamsClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } })
    const arn = (await db.send(new DescribeTableCommand({ TableName }))).Table!.LatestStreamArn!
    const Key = { pk: { S: 'a' }, sk: { N: '1' } }
    await db.send(new PutItemCommand({ TableName, Item: { ...Key, v: { S: 'one' } } }))
    await db.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'two' } } }))
    // The same value again: no record (AWS writes none for a write that changes nothing).
    await db.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'two' } } }))
    await db.send(new PutItemCommand({ TableName, Item: { ...Key, v: { S: 'two' } } }))
    await db.send(new DeleteItemCommand({ TableName, Key }))
    // Deleting what is not there: no record either.
    await db.send(new DeleteItemCommand({ TableName, Key }))
    const records = await allRecords(streams, arn)
    assert.deepEqual(records.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE'])
    const seconds = Math.floor(nimbus.current.clock.now() / 1000)
    const [insert, modify, remove] = records
    assert.match(insert!.eventID!, /^[0-9a-f]{32}$/)
    assert.equal(insert!.eventVersion, '1.1')
    assert.equal(insert!.eventSource, 'aws:dynamodb')
    assert.equal(insert!.awsRegion, 'us-east-1')
    assert.equal(insert!.userIdentity, undefined)
    assert.deepEqual(insert!.dynamodb!.ApproximateCreationDateTime, new Date(seconds * 1000))
    assert.deepEqual(insert!.dynamodb!.Keys, Key)
    assert.deepEqual(insert!.dynamodb!.NewImage, { ...Key, v: { S: 'one' } })
    assert.equal(insert!.dynamodb!.OldImage, undefined)
    assert.equal(insert!.dynamodb!.StreamViewType, 'NEW_AND_OLD_IMAGES')
    assert.ok(insert!.dynamodb!.SizeBytes! > 0)
    assert.deepEqual(modify!.dynamodb!.OldImage, { ...Key, v: { S: 'one' } })
    assert.deepEqual(modify!.dynamodb!.NewImage, { ...Key, v: { S: 'two' } })
    assert.deepEqual(remove!.dynamodb!.OldImage, { ...Key, v: { S: 'two' } })
    assert.equal(remove!.dynamodb!.NewImage, undefined)
    const seqs = records.map((r) => r.dynamodb!.SequenceNumber!)
    for (const s of seqs) assert.match(s, /^\d{21,}$/)
    for (let i = 1; i < seqs.length; i++) assert.ok(BigInt(seqs[i]!) > BigInt(seqs[i - 1]!))

    // Batches and transactions write records too.
    await db.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: [{ PutRequest: { Item: { pk: { S: 'b' }, sk: { N: '1' } } } }] } }))
    await db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName, Item: { pk: { S: 'c' }, sk: { N: '1' } } } }] }))
    assert.equal((await allRecords(streams, arn)).length, 5)
    db.destroy()
    streams.destroy()
  })

  it('view types decide the images', async () => {
    const db = dynamoClient(nimbus.current)
    const streams = streamsClient(nimbus.current)
    const Key = { pk: { S: 'a' }, sk: { N: '1' } }
    for (const [view, newImage, oldImage] of [['KEYS_ONLY', false, false], ['NEW_IMAGE', true, false], ['OLD_IMAGE', false, true]] as const) {
      const TableName = await activeTable(nimbus.current, db, { StreamSpecification: { StreamEnabled: true, StreamViewType: view } })
      const arn = (await db.send(new DescribeTableCommand({ TableName }))).Table!.LatestStreamArn!
      await db.send(new PutItemCommand({ TableName, Item: { ...Key, v: { N: '1' } } }))
      await db.send(new PutItemCommand({ TableName, Item: { ...Key, v: { N: '2' } } }))
      const [, modify] = await allRecords(streams, arn)
      assert.deepEqual(modify!.dynamodb!.Keys, Key, view)
      assert.equal(modify!.dynamodb!.NewImage !== undefined, newImage, view)
      assert.equal(modify!.dynamodb!.OldImage !== undefined, oldImage, view)
      assert.equal(modify!.dynamodb!.StreamViewType, view)
    }
    db.destroy()
    streams.destroy()
  })

  it('UpdateTable enables and disables; the closed shard ends, records stay 24 h, then the stream is gone', async () => {
    const db = dynamoClient(nimbus.current)
    const streams = streamsClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const off = await sdkError(db.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false } })))
    assert.deepEqual(off, { name: 'ValidationException', message: `Table has no stream to disable: TableName: ${TableName}`, status: 400 })
    const noView = await sdkError(db.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true } })))
    assert.deepEqual(noView, { name: 'ValidationException', status: 400,
      message: 'One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required' })
    const withView = await sdkError(db.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' } })))
    assert.deepEqual(withView, { name: 'ValidationException', status: 400,
      message: 'One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified' })
    const created = await sdkError(db.send(new CreateTableCommand({ TableName: uniqueName('t'), BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      StreamSpecification: { StreamEnabled: true } })))
    assert.deepEqual(created, { name: 'ValidationException', status: 400,
      message: 'One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required' })
    const updated = await db.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }))
    const arn = updated.TableDescription!.LatestStreamArn!
    assert.ok(arn)
    assert.equal((await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.StreamStatus, 'ENABLING')
    await advance(nimbus.current, transitionMs)
    assert.equal((await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.StreamStatus, 'ENABLED')
    const twice = await sdkError(db.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })))
    assert.deepEqual(twice, { name: 'ValidationException', message: `Table already has an enabled stream: TableName: ${TableName}`, status: 400 })

    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'x' }, sk: { N: '1' } } }))
    await advance(nimbus.current, transitionMs)
    await db.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false } }))
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'y' }, sk: { N: '1' } } }))
    const table = (await db.send(new DescribeTableCommand({ TableName }))).Table!
    assert.equal(table.StreamSpecification, undefined)
    assert.equal(table.LatestStreamArn, arn, 'the latest stream stays named after it is disabled')
    const described = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!
    assert.equal(described.StreamStatus, 'DISABLED')
    const range = described.Shards![0]!.SequenceNumberRange!
    const records = await allRecords(streams, arn)
    assert.equal(records.length, 1, 'nothing is recorded once disabled')
    assert.equal(range.EndingSequenceNumber, records[0]!.dynamodb!.SequenceNumber)
    // Read to its end, a closed shard gives no next iterator.
    const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: described.Shards![0]!.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))
    const read = await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }))
    assert.equal(read.Records?.length, 1)
    assert.equal(read.NextShardIterator, undefined)

    await advance(nimbus.current, 24 * 3600_000)
    const gone = await sdkError(streams.send(new DescribeStreamCommand({ StreamArn: arn })))
    assert.deepEqual(gone, { name: 'ResourceNotFoundException', message: `Requested resource not found: Stream: ${arn} not found`, status: 400 })
    assert.deepEqual((await streams.send(new ListStreamsCommand({ TableName }))).Streams, [])
    db.destroy()
    streams.destroy()
  })

  it('iterators: LATEST, AT and AFTER a sequence number, Limit and NextShardIterator, 15-minute expiry, trimming after 24 h', async () => {
    const db = dynamoClient(nimbus.current)
    const streams = streamsClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })
    const StreamArn = (await db.send(new DescribeTableCommand({ TableName }))).Table!.LatestStreamArn!
    const ShardId = (await streams.send(new DescribeStreamCommand({ StreamArn }))).StreamDescription!.Shards![0]!.ShardId!
    const put = (n: number) => db.send(new PutItemCommand({ TableName, Item: { pk: { S: `k${n}` }, sk: { N: '1' } } }))
    await put(1)
    const latest = (await streams.send(new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'LATEST' }))).ShardIterator!
    await put(2)
    await put(3)
    const fromLatest = await streams.send(new GetRecordsCommand({ ShardIterator: latest, Limit: 1 }))
    assert.deepEqual(fromLatest.Records!.map((r) => r.dynamodb!.Keys!.pk!.S), ['k2'])
    const next = await streams.send(new GetRecordsCommand({ ShardIterator: fromLatest.NextShardIterator! }))
    assert.deepEqual(next.Records!.map((r) => r.dynamodb!.Keys!.pk!.S), ['k3'])
    const empty = await streams.send(new GetRecordsCommand({ ShardIterator: next.NextShardIterator! }))
    assert.deepEqual(empty.Records, [])
    assert.ok(empty.NextShardIterator, 'an open shard always has a next iterator')

    const seq2 = fromLatest.Records![0]!.dynamodb!.SequenceNumber!
    const at = (await streams.send(new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: seq2 }))).ShardIterator!
    assert.deepEqual((await streams.send(new GetRecordsCommand({ ShardIterator: at }))).Records!.map((r) => r.dynamodb!.Keys!.pk!.S), ['k2', 'k3'])
    const after = (await streams.send(new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: seq2 }))).ShardIterator!
    assert.deepEqual((await streams.send(new GetRecordsCommand({ ShardIterator: after }))).Records!.map((r) => r.dynamodb!.Keys!.pk!.S), ['k3'])

    const tooMany = await sdkError(streams.send(new GetRecordsCommand({ ShardIterator: at, Limit: 1001 })))
    assert.deepEqual(tooMany, { name: 'ValidationException', status: 400,
      message: "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000" })
    const badShard = await sdkError(streams.send(new GetShardIteratorCommand({ StreamArn, ShardId: 'shardId-nope', ShardIteratorType: 'LATEST' })))
    assert.equal(badShard.name, 'ResourceNotFoundException')
    assert.equal((await sdkError(streams.send(new GetRecordsCommand({ ShardIterator: 'garbage' })))).name, 'ValidationException')

    // 15 minutes later the iterator has expired.
    await advance(nimbus.current, 15 * 60_000 + 1)
    const expired = await sdkError(streams.send(new GetRecordsCommand({ ShardIterator: at })))
    assert.equal(expired.name, 'ExpiredIteratorException')
    assert.equal(expired.status, 400)

    // After 24 h the records are trimmed: an iterator at a trimmed sequence number is refused, TRIM_HORIZON starts after them.
    await advance(nimbus.current, 24 * 3600_000)
    await put(4)
    const trimmed = await sdkError(streams.send(new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: seq2 })))
    assert.deepEqual(trimmed, { name: 'TrimmedDataAccessException', status: 400, message: 'The operation attempted to read past the oldest stream record in a shard.' })
    const fresh = (await streams.send(new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!
    assert.deepEqual((await streams.send(new GetRecordsCommand({ ShardIterator: fresh }))).Records!.map((r) => r.dynamodb!.Keys!.pk!.S), ['k4'])
    db.destroy()
    streams.destroy()
  })

  it('DeleteTable disables the stream; unknown streams are not found', async () => {
    const db = dynamoClient(nimbus.current)
    const streams = streamsClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })
    const StreamArn = (await db.send(new DescribeTableCommand({ TableName }))).Table!.LatestStreamArn!
    await db.send(new DeleteTableCommand({ TableName }))
    assert.equal((await streams.send(new DescribeStreamCommand({ StreamArn }))).StreamDescription?.StreamStatus, 'DISABLED')
    const missing = `arn:aws:dynamodb:us-east-1:000000000000:table/${uniqueName('nope')}/stream/2026-01-01T00:00:00.000`
    assert.deepEqual(await sdkError(streams.send(new DescribeStreamCommand({ StreamArn: missing }))),
      { name: 'ResourceNotFoundException', message: `Requested resource not found: Stream: ${missing} not found`, status: 400 })
    db.destroy()
    streams.destroy()
  })
})
