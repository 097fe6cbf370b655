// The port AWS services use (S3's EventBridgeConfiguration, API-call events): same rules and delivery as PutEvents.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { account, createQueue, ebClient, receiveBodies, region, sqsClient } from './fixtures.ts'

const nimbus = useNimbus()

describe('EventBridge internal port', () => {
  it('puts aws.* events on the default bus, routed by rules with numeric and prefix filters', async () => {
    const eb = ebClient(nimbus.current)
    const sqs = sqsClient(nimbus.current)
    const queue = await createQueue(sqs)
    const rule = uniqueName('s3')
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({
      source: ['aws.s3'], 'detail-type': ['Object Created'],
      detail: { object: { size: [{ numeric: ['>=', 1024] }], key: [{ prefix: 'uploads/' }] } },
    }) }))
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: queue.arn }] }))
    const port = nimbus.current.services.eventbridge
    const detail = (key: string, size: number) => ({ version: '0', bucket: { name: 'b' }, object: { key, size }, reason: 'PutObject' })
    const results = port.putEvents(account, region, [
      { source: 'aws.s3', detailType: 'Object Created', detail: detail('uploads/big.bin', 4096), resources: ['arn:aws:s3:::b'],
        time: Date.UTC(2024, 0, 1, 1, 2, 3) },
      { source: 'aws.s3', detailType: 'Object Created', detail: detail('uploads/small.txt', 10) },
      { source: 'aws.s3', detailType: 'Object Created', detail: '[not an object]' },
    ])
    assert.ok(results[0]!.eventId)
    assert.deepEqual(results[2], { eventId: undefined, errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' })
    const events = await receiveBodies(sqs, queue)
    assert.equal(events.length, 1)
    assert.equal(events[0].id, results[0]!.eventId)
    assert.equal(events[0].time, '2024-01-01T01:02:03Z')
    assert.deepEqual(events[0].resources, ['arn:aws:s3:::b'])
    assert.equal(port.busExists(account, region), true)
    assert.equal(port.busExists(account, region, 'nope'), false)
  })
})
