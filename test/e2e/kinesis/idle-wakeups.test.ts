// Review of idle pollers: no lost wake-up. A Lambda mapping caught up on a Kinesis stream idles over a
// day; records then written through PutRecords (small JSON, and a large body the streaming parse
// takes), put by Kinesis's port (DynamoDB's Kinesis streaming destination), written while the mapping
// is disabled, after it was updated, or to a namesake stream created after the first was deleted (for
// Firehose's Kinesis source too) are each read within a second, as when the pollers polled every second.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateEventSourceMappingCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { CreateStreamCommand, DeleteStreamCommand, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis'
import { EnableKinesisStreamingDestinationCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { CreateDeliveryStreamCommand } from '@aws-sdk/client-firehose'
import type { Nimbus } from '../../../src/index.ts'
import { activeTable, dynamoClient, transitionMs } from '../../helpers/dynamodb.ts'
import { clients } from '../firehose/firehose-helpers.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, watchFunctionLog } from '../../helpers/function-log.ts'
import { batches, DAY, idleFor } from '../../helpers/idle-pollers.ts'
import { advance, toNextSecond, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const handler = `
  exports.handler = async (event) => {
    console.log('BATCH ' + JSON.stringify(event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString().slice(0, 12))))
  }`

async function mapped(n: Nimbus, shards = 1) {
  const k = kinesisClient(n)
  const stream = await activeStream(n, k, shards)
  const fn = await createFunction(lambdaClient(n), handler)
  const log = watchFunctionLog(n, fn)
  await toNextSecond(n)
  const { UUID } = await lambdaClient(n).send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: streamArn(stream),
    StartingPosition: 'TRIM_HORIZON' }))
  await advance(n, 3_000)
  await settle(20)
  // Idle for a day: the mapping is caught up and polls no more.
  await idleFor(n, DAY)
  return { k, stream, fn, log, mapping: UUID! }
}

describe('idle Kinesis mapping: no lost wake-up', () => {
  it('wakes for PutRecords, small and large (streaming parse)', async () => {
    const n = nimbus.current
    const { k, stream, log } = await mapped(n)
    await k.send(new PutRecordsCommand({ StreamName: stream, Records: [{ PartitionKey: 'a', Data: Buffer.from('small') }] }))
    await advance(n, 1_000)
    await batches(log, 1)
    assert.deepEqual(log.tagged('BATCH'), [['small']])
    await advance(n, DAY)
    await settle(20)
    // 100 KiB of JSON: past the fast parse's threshold.
    const big = Buffer.alloc(80 * 1024, 'b')
    big.write('large')
    await k.send(new PutRecordsCommand({ StreamName: stream, Records: [{ PartitionKey: 'a', Data: big }] }))
    await advance(n, 1_000)
    await batches(log, 2)
    assert.deepEqual(log.tagged('BATCH'), [['small'], ['largebbbbbbb']])
    log.stop()
  })

  it('reads records put while the mapping was disabled once it is enabled again', async () => {
    const n = nimbus.current
    const { k, stream, log, mapping } = await mapped(n)
    await lambdaClient(n).send(new UpdateEventSourceMappingCommand({ UUID: mapping, Enabled: false }))
    await advance(n, 5_000)
    await settle(20)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'a', Data: Buffer.from('while-off') }))
    await advance(n, DAY)
    await settle(20)
    assert.deepEqual(log.tagged('BATCH'), [])
    await lambdaClient(n).send(new UpdateEventSourceMappingCommand({ UUID: mapping, Enabled: true }))
    await advance(n, 5_000)
    await batches(log, 1)
    assert.deepEqual(log.tagged('BATCH'), [['while-off']])
    // Updated while idle (batch size): a later record still wakes it.
    await advance(n, DAY)
    await settle(20)
    await lambdaClient(n).send(new UpdateEventSourceMappingCommand({ UUID: mapping, BatchSize: 5 }))
    await advance(n, 5_000)
    await settle(20)
    await advance(n, DAY)
    await settle(20)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'a', Data: Buffer.from('after-update') }))
    await advance(n, 1_000)
    await batches(log, 2)
    assert.deepEqual(log.tagged('BATCH'), [['while-off'], ['after-update']])
    log.stop()
  })

  it("wakes for a record the port puts (DynamoDB's Kinesis streaming destination)", async () => {
    const n = nimbus.current
    const { stream, log } = await mapped(n)
    const ddb = dynamoClient(n)
    const table = await activeTable(n, ddb, { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] })
    await ddb.send(new EnableKinesisStreamingDestinationCommand({ TableName: table, StreamArn: streamArn(stream) }))
    await advance(n, transitionMs)
    await advance(n, DAY)
    await settle(20)
    await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'via-port' } } }))
    await advance(n, 1_000)
    await batches(log, 1)
    assert.equal(log.tagged('BATCH').length, 1)
    assert.match(String(log.tagged('BATCH')[0]![0]), /^\{/)
    log.stop()
  })

  it('Firehose reads a namesake stream created while it idled', async () => {
    const n = nimbus.current
    const k = kinesisClient(n)
    const stream = await activeStream(n, k, 1)
    const { firehose } = clients(n)
    const role = 'arn:aws:iam::000000000000:role/firehose'
    const health = () => (n.health() as { firehose: { pendingRecords: number } }).firehose.pendingRecords
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: `fh-${stream}`, DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn(stream), RoleARN: role },
      ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: 'arn:aws:s3:::no-bucket-needed', BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 900 } },
    }))
    await advance(n, 5_000)
    await k.send(new DeleteStreamCommand({ StreamName: stream }))
    await advance(n, 5_000)
    await advance(n, DAY)
    await k.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }))
    await advance(n, 5_000)
    await advance(n, DAY)
    assert.equal(health(), 0)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'a', Data: Buffer.from('namesake') }))
    await advance(n, 1_000)
    assert.equal(health(), 1, 'Firehose read the namesake stream\'s record')
  })

  it('wakes for a namesake stream created after the stream was deleted', async () => {
    const n = nimbus.current
    const { k, stream, log } = await mapped(n)
    await k.send(new DeleteStreamCommand({ StreamName: stream }))
    await advance(n, 5_000)
    await settle(20)
    await advance(n, DAY)
    await settle(20)
    await k.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }))
    await advance(n, 5_000)
    await settle(20)
    await advance(n, DAY)
    await settle(20)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'a', Data: Buffer.from('namesake') }))
    await advance(n, 2_000)
    await batches(log, 1)
    assert.deepEqual(log.tagged('BATCH'), [['namesake']])
    log.stop()
  })
})
