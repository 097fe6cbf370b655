// EventBridge rules targeting a Firehose delivery stream: each matched event is one record, as AWS
// writes it — the event JSON itself, or what InputPath/InputTransformer make of it — with no
// delimiter added, delivered into S3 once the stream's buffer interval passes on the manual clock.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { deliveriesSettled, listKeys, objectBytes, streamToBucket } from '../firehose/firehose-helpers.ts'

const nimbus = useNimbus()
const options = () => ({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
const role = 'arn:aws:iam::000000000000:role/events-firehose'

describe('EventBridge → Firehose targets', () => {
  it('writes the event, its InputPath and its InputTransformer output as records, no delimiter added', async () => {
    const events = new EventBridgeClient(options())
    const { s3, bucket, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    const arn = `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`
    const rule = uniqueName('to-firehose')
    await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['app.orders'] }) }))
    await events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'whole', Arn: arn, RoleArn: role }] }))
    const put = await events.send(new PutEventsCommand({ Entries: [{ Source: 'app.orders', DetailType: 'Order', Detail: '{"customer":"c-42","n":1}' }] }))
    const eventId = put.Entries![0]!.EventId!
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const [key] = await listKeys(s3, bucket)
    const event = JSON.parse((await objectBytes(s3, bucket, key!)).toString()) as Record<string, unknown>
    assert.deepEqual(Object.keys(event), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'])
    assert.equal(event.id, eventId)
    assert.equal(event['detail-type'], 'Order')
    assert.deepEqual(event.detail, { customer: 'c-42', n: 1 })

    // InputPath and InputTransformer shape the record; records are concatenated as they came.
    await events.send(new PutTargetsCommand({ Rule: rule, Targets: [
      { Id: 'whole', Arn: arn, RoleArn: role, InputPath: '$.detail' },
      { Id: 'shaped', Arn: arn, RoleArn: role, InputTransformer: {
        InputPathsMap: { customer: '$.detail.customer', n: '$.detail.n' }, InputTemplate: '{"who":<customer>,"count":<n>}' } },
    ] }))
    await events.send(new PutEventsCommand({ Entries: [{ Source: 'app.orders', DetailType: 'Order', Detail: '{"customer":"c-7","n":3}' }] }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 2)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 2)
    const second = (await objectBytes(s3, bucket, keys.find((k) => k !== key)!)).toString()
    const parts = second.split(/(?<=\})(?=\{)/).map((p) => JSON.parse(p) as unknown).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
    assert.deepEqual(parts, [{ customer: 'c-7', n: 3 }, { who: 'c-7', count: 3 }])
    assert.ok(!second.includes('\n'), 'no delimiter between records')
  })
})
