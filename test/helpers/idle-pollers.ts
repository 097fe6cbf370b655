// Helpers for the tests of stream pollers idling across clock jumps (Kinesis and DynamoDB Streams →
// Lambda): Lambda's poll counter from health, waiting for a batch's invocation to end, and an idle
// stretch checked to make no polls.
import assert from 'node:assert/strict'
import { DescribeTableCommand, type DynamoDBClient, type StreamViewType } from '@aws-sdk/client-dynamodb'
import type { Nimbus } from '../../src/index.ts'
import { activeTable, dynamoClient } from './dynamodb.ts'
import { type FunctionLog, settle, until, watchFunctionLog } from './function-log.ts'
import { createFunction, lambdaClient } from './lambda.ts'
import { advance } from './nimbus.ts'

export const DAY = 86_400_000

/** Polls Lambda's stream mappings have made in all (health). */
export const streamPolls = (n: Nimbus): number => (n.health() as { lambda: { streamPolls: number } }).lambda.streamPolls

/**
 * Waits for `count` BATCH lines and a REPORT after the last, then lets the poller finish its poll: a
 * test's next clock jump then finds no invocation in flight (one would time out on the clock and be retried).
 */
export async function batches(log: FunctionLog, count = 1): Promise<void> {
  await until(() => {
    const idx = log.lines.map((l, i) => (l.includes('\tBATCH ') ? i : -1)).filter((i) => i >= 0)
    return idx.length >= count && log.lines.findLastIndex((l) => l.startsWith('REPORT RequestId')) > idx.at(-1)!
  }, `${count} batch(es) and their REPORT`)
  await settle(20)
}

/** `ms` of clock with no poll made (the mappings caught up); returns the poll count. */
export async function idleFor(n: Nimbus, ms: number, message = 'idle'): Promise<number> {
  const before = streamPolls(n)
  await advance(n, ms)
  await settle(20)
  assert.equal(streamPolls(n), before, message)
  return before
}

/** A function logging each batch's `eventName:pk` as a BATCH line. */
const dynamoBatchHandler = `
  exports.handler = async (event) => {
    console.log('BATCH ' + JSON.stringify(event.Records.map((r) => r.eventName + ':' + r.dynamodb.Keys.pk.S)))
  }`

/** A table (key `pk`) with its stream enabled, and a function whose log is watched: what a DynamoDB stream mapping's test starts from. */
export async function dynamoStreamAndFunction(n: Nimbus, viewType: StreamViewType):
  Promise<{ ddb: DynamoDBClient; table: string; streamArn: string; fn: string; log: FunctionLog }> {
  const ddb = dynamoClient(n)
  const table = await activeTable(n, ddb, {
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
  })
  const streamArn = (await ddb.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!
  const fn = await createFunction(lambdaClient(n), dynamoBatchHandler)
  return { ddb, table, streamArn, fn, log: watchFunctionLog(n, fn) }
}
