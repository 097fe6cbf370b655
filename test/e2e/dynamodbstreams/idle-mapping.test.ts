// A caught-up DynamoDB stream → Lambda mapping idles across clock jumps: a 7-day jump makes no polls
// (Lambda's health counts them), and an item written afterwards is handed over at the tick of the
// mapping's 1 s phase it would have been read at had the mapping polled every second.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { lambdaClient } from '../../helpers/lambda.ts'
import { settle } from '../../helpers/function-log.ts'
import { batches, DAY, dynamoStreamAndFunction, idleFor, streamPolls } from '../../helpers/idle-pollers.ts'
import { advance, toNextSecond, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

describe('DynamoDB stream mapping across clock jumps', () => {
  it('makes no polls over 7 idle days; reads a later write at its tick; wakes for the stream being disabled', async () => {
    const n = nimbus.current
    const { ddb, table, streamArn, fn, log } = await dynamoStreamAndFunction(n, 'NEW_IMAGE')
    await toNextSecond(n)
    const origin = n.clock.now()
    await lambdaClient(n).send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: streamArn, StartingPosition: 'LATEST' }))
    await advance(n, 3_000)
    await settle(20)
    const before = await idleFor(n, 7 * DAY, 'the mapping polled an idle stream')

    await advance(n, 700)
    await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'late' } } }))
    const tick = origin + (Math.floor((n.clock.now() - origin) / 1000) + 1) * 1000
    await advance(n, tick - 1 - n.clock.now())
    await settle(20)
    assert.equal(streamPolls(n), before, 'nothing polled before the tick')
    await advance(n, 1)
    assert.equal(streamPolls(n), before + 1)
    await batches(log)
    assert.deepEqual(log.tagged('BATCH'), [['INSERT:late']])
    assert.equal(n.clock.now(), tick)

    // Disabling the stream closes its shard: the mapping wakes, reads it to its end, and idles again.
    await advance(n, DAY)
    await settle(20)
    const idle = streamPolls(n)
    await ddb.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } }))
    await advance(n, 5_000)
    await settle(20)
    assert.ok(streamPolls(n) > idle, 'woken by the stream being disabled')
    const drained = streamPolls(n)
    await advance(n, 7 * DAY)
    await settle(20)
    assert.ok(streamPolls(n) - drained <= 2, `polls after the shard was read to its end: ${streamPolls(n) - drained}`)
    log.stop()
  })
})
