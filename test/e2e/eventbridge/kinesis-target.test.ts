// EventBridge rules targeting a Kinesis data stream (through the fabric's `kinesis` target kind):
// the event is one record, its partition key read from the event with KinesisParameters'
// PartitionKeyPath, else the event id (AWS's default); the target needs a RoleArn, as on AWS.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const options = () => ({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
const role = 'arn:aws:iam::000000000000:role/events-kinesis'
const tick = () => new Promise((resolve) => setImmediate(resolve))

async function records(kinesis: KinesisClient, stream: string) {
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
  const out = await kinesis.send(new GetRecordsCommand({ ShardIterator }))
  return (out.Records ?? []).map((r) => ({ key: r.PartitionKey, event: JSON.parse(Buffer.from(r.Data!).toString()) as Record<string, unknown> }))
}

/** A one-shard stream (ACTIVE) and a rule matching `source`: what each case starts from. */
async function streamAndRule(source: string) {
  const kinesis = new KinesisClient(options())
  const events = new EventBridgeClient(options())
  const stream = uniqueName('eb-stream')
  await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }))
  await advance(nimbus.current, 500)
  const rule = uniqueName('to-kinesis')
  await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }))
  return { kinesis, events, stream, rule, arn: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}` }
}

describe('EventBridge → Kinesis targets', () => {
  it('puts the event as a record keyed by PartitionKeyPath, or by the event id', async () => {
    const { kinesis, events, stream, rule, arn } = await streamAndRule('app.orders')

    const noRole = await sdkError(events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'k', Arn: arn }] })))
    assert.equal(noRole.name, 'ValidationException')
    assert.equal(noRole.message, `RoleArn is required for target ${arn}.`)

    await events.send(new PutTargetsCommand({ Rule: rule, Targets: [
      { Id: 'by-customer', Arn: arn, RoleArn: role, KinesisParameters: { PartitionKeyPath: '$.detail.customer' } },
      { Id: 'by-id', Arn: arn, RoleArn: role },
    ] }))
    const put = await events.send(new PutEventsCommand({ Entries: [{ Source: 'app.orders', DetailType: 'Order', Detail: '{"customer":"c-42","n":1}' }] }))
    const eventId = put.Entries![0]!.EventId!
    for (let i = 0; i < 5; i++) await tick()

    const got = await records(kinesis, stream)
    assert.equal(got.length, 2)
    assert.deepEqual(got.map((r) => r.key).sort(), ['c-42', eventId].sort())
    for (const r of got) {
      assert.equal(r.event.id, eventId)
      assert.equal(r.event.source, 'app.orders')
      assert.deepEqual(r.event.detail, { customer: 'c-42', n: 1 })
    }
  })

  it('falls back to the event id when the path finds nothing, and an event to a missing stream fails', async () => {
    const { kinesis, events, stream, rule, arn } = await streamAndRule('app.other')
    const bad = await sdkError(events.send(new PutTargetsCommand({ Rule: rule, Targets: [
      { Id: 'bad', Arn: arn, RoleArn: role, KinesisParameters: { PartitionKeyPath: 'detail' } },
    ] })))
    assert.equal(bad.name, 'ValidationException')
    await events.send(new PutTargetsCommand({ Rule: rule, Targets: [
      { Id: 'k', Arn: arn, RoleArn: role, KinesisParameters: { PartitionKeyPath: '$.detail.missing' } },
    ] }))
    const put = await events.send(new PutEventsCommand({ Entries: [{ Source: 'app.other', DetailType: 'X', Detail: '{}' }] }))
    for (let i = 0; i < 5; i++) await tick()
    const got = await records(kinesis, stream)
    assert.deepEqual(got.map((r) => r.key), [put.Entries![0]!.EventId])
  })

  it('reads PartitionKeyPath from the event while the record is what InputTransformer made of it', async () => {
    const { kinesis, events, stream, rule, arn } = await streamAndRule('app.shaped')
    await events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'k', Arn: arn, RoleArn: role,
      KinesisParameters: { PartitionKeyPath: '$.detail.customer' },
      InputTransformer: { InputPathsMap: { n: '$.detail.n' }, InputTemplate: '{"count":<n>}' } }] }))
    await events.send(new PutEventsCommand({ Entries: [{ Source: 'app.shaped', DetailType: 'X', Detail: '{"customer":"c-9","n":4}' }] }))
    for (let i = 0; i < 5; i++) await tick()
    assert.deepEqual(await records(kinesis, stream), [{ key: 'c-9', event: { count: 4 } }])
  })
})
