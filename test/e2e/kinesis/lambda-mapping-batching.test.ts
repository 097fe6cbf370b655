// Kinesis → Lambda batching on the manual clock: MaximumBatchingWindowInSeconds holds a short batch
// until the window has passed (a full one goes at once), and ParallelizationFactor spreads a shard's
// records over concurrent batches by partition key, order kept per key, a failing key not holding up
// the others' batch; FilterCriteria on the decoded data; TumblingWindowInSeconds with state between invocations.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { CreateEventSourceMappingCommand, type CreateEventSourceMappingCommandInput } from '@aws-sdk/client-lambda'
import { PutRecordsCommand } from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, watchFunctionLog } from '../../helpers/function-log.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const lambda = () => lambdaClient(nimbus.current)
const mapping = (input: CreateEventSourceMappingCommandInput) => lambda().send(new CreateEventSourceMappingCommand(input))

/** Logs `BATCH [data…]`; throws on a batch holding "poison". */
const handler = `
  exports.handler = async (event) => {
    const data = event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())
    console.log('BATCH ' + JSON.stringify(data))
    if (data.includes('poison')) throw new Error('cannot digest')
  }`

const put = (stream: string, records: Array<[key: string, data: string]>) => kinesisClient(nimbus.current).send(new PutRecordsCommand({
  StreamName: stream, Records: records.map(([key, d]) => ({ PartitionKey: key, Data: Buffer.from(d) })) }))

/** Two partition keys that land in different lanes of two (the lane is a hash of the key). */
function keysInTwoLanes(): [string, string] {
  const lane = (key: string) => createHash('md5').update(key).digest().readUInt32BE(0) % 2
  const a = 'key-0'
  for (let i = 1; ; i++) if (lane(`key-${i}`) !== lane(a)) return [a, `key-${i}`]
}

describe('Kinesis event source mapping: batching', () => {
  it('MaximumBatchingWindowInSeconds waits for a full batch until the window has passed', async () => {
    const stream = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    await put(stream, [['p', 'r1'], ['p', 'r2']])
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON', BatchSize: 3,
      MaximumBatchingWindowInSeconds: 5 })
    await settle(20)
    await advance(nimbus.current, 4000)
    await settle(20)
    assert.deepEqual(log.tagged('BATCH'), [], 'no invocation inside the window')
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 1)
    // A full batch goes with the next poll, without waiting for the window.
    await put(stream, [['p', 'r3'], ['p', 'r4'], ['p', 'r5']])
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 2)
    assert.deepEqual(log.tagged('BATCH'), [['r1', 'r2'], ['r3', 'r4', 'r5']])
    log.stop()
  })

  it('ParallelizationFactor: batches per partition key, in order; a failing key does not stop the other batch', async () => {
    const stream = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    const [a, b] = keysInTwoLanes()
    await put(stream, [[a, 'poison'], [b, 'b1'], [b, 'b2'], [a, 'a2'], [b, 'b3']])
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON', BatchSize: 3,
      ParallelizationFactor: 2, MaximumRetryAttempts: 1 })
    await log.waitFor('REPORT RequestId', 2)
    await settle(20)
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 3)
    await settle(20)
    await put(stream, [[a, 'a3']])
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 4)
    const batches = log.tagged('BATCH') as string[][]
    // Both lanes' first batches run together; their log order is whichever finished first.
    assert.deepEqual(batches.slice(0, 2).sort(), [['b1', 'b2', 'b3'], ['poison', 'a2']].sort())
    assert.deepEqual(batches.slice(2), [['poison', 'a2'], ['a3']])
    log.stop()
  })
})

describe('Kinesis event source mapping: FilterCriteria', () => {
  it("matches the decoded data when it is JSON; records left out are skipped, not retried", async () => {
    const stream = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    const json = (value: unknown) => JSON.stringify(value)
    await put(stream, [['p', json({ kind: 'keep', n: 1 })], ['p', json({ kind: 'drop', n: 2 })], ['p', 'keep'], ['p', json({ kind: 'keep', n: 3 })]])
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: { Filters: [{ Pattern: json({ data: { kind: ['keep'] } }) }] } })
    await log.waitFor('REPORT RequestId', 1)
    // A batch the filter empties invokes nothing; the shard still moves past it.
    await put(stream, [['p', json({ kind: 'drop' })]])
    await advance(nimbus.current, 1000)
    await settle(20)
    await put(stream, [['p', json({ kind: 'keep', n: 4 })]])
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 2)
    assert.deepEqual(log.tagged('BATCH'), [[json({ kind: 'keep', n: 1 }), json({ kind: 'keep', n: 3 })], [json({ kind: 'keep', n: 4 })]])
    log.stop()
  })
})

describe('Kinesis event source mapping: TumblingWindowInSeconds', () => {
  /** Logs `WINDOW {data, state, window, final}`; answers the running sum of the numbers it saw as its state. */
  const summing = `
    exports.handler = async (event) => {
      const data = event.Records.map((r) => Number(Buffer.from(r.kinesis.data, 'base64').toString()))
      console.log('WINDOW ' + JSON.stringify({ keys: Object.keys(event), data, state: event.state, window: event.window,
        final: event.isFinalInvokeForWindow, early: event.isWindowTerminatedEarly, shardId: event.shardId }))
      return { state: { sum: (event.state.sum || 0) + data.reduce((a, b) => a + b, 0) } }
    }`

  it('carries the state between invocations of one window and closes it with a final invocation', async () => {
    const stream = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    // Windows are aligned to multiples of their length: start this test at one's beginning.
    await advance(nimbus.current, 60_000 - (nimbus.current.clock.now() % 60_000))
    const start = nimbus.current.clock.now()
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')
    await put(stream, [['p', '1'], ['p', '2']])
    const name = await createFunction(lambda(), summing)
    const log = watchFunctionLog(nimbus.current, name)
    const created = await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON',
      TumblingWindowInSeconds: 60 })
    assert.equal(created.TumblingWindowInSeconds, 60)
    await log.waitFor('REPORT RequestId', 1)
    await settle(20)
    await put(stream, [['p', '3']])
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 2)
    await settle(20)
    // The clock reaches the window's end: the final invocation, with the window's state.
    await advance(nimbus.current, 59_000)
    await log.waitFor('REPORT RequestId', 3)
    await settle(20)
    await put(stream, [['p', '4']])
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 4)
    const calls = log.tagged('WINDOW') as Array<Record<string, unknown>>
    assert.deepEqual(calls[0]!.keys, ['Records', 'window', 'state', 'shardId', 'eventSourceARN', 'isFinalInvokeForWindow', 'isWindowTerminatedEarly'])
    const window = { start: iso(start), end: iso(start + 60_000) }
    assert.deepEqual(calls.map(({ data, state, window: w, final }) => ({ data, state, w, final })), [
      { data: [1, 2], state: {}, w: window, final: false },
      { data: [3], state: { sum: 3 }, w: window, final: false },
      { data: [], state: { sum: 6 }, w: window, final: true },
      { data: [4], state: {}, w: { start: iso(start + 60_000), end: iso(start + 120_000) }, final: false },
    ])
    assert.equal(calls[0]!.shardId, 'shardId-000000000000')
    log.stop()
  })

  it('a state past 1 MB ends the window early: a final invocation flagged isWindowTerminatedEarly, then a fresh state', async () => {
    const bloating = `
      exports.handler = async (event) => {
        const data = event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())
        console.log('WINDOW ' + JSON.stringify({ data, size: JSON.stringify(event.state).length, final: event.isFinalInvokeForWindow,
          early: event.isWindowTerminatedEarly }))
        return { state: data.includes('big') ? { pad: 'x'.repeat(1_100_000) } : { n: data.length } }
      }`
    const stream = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    await advance(nimbus.current, 60_000 - (nimbus.current.clock.now() % 60_000))
    await put(stream, [['p', 'big']])
    const name = await createFunction(lambda(), bloating)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON', TumblingWindowInSeconds: 60 })
    await log.waitFor('REPORT RequestId', 1)
    await settle(20)
    // The next poll closes the window before the clock reaches its end.
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 2)
    await settle(20)
    await put(stream, [['p', 'small']])
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 3)
    const calls = log.tagged('WINDOW') as Array<{ data: string[]; size: number; final: boolean; early: boolean }>
    assert.deepEqual(calls.map(({ data, final, early }) => ({ data, final, early })), [
      { data: ['big'], final: false, early: false },
      { data: [], final: true, early: true },
      { data: ['small'], final: false, early: false },
    ])
    assert.ok(calls[1]!.size > 1_100_000)
    assert.equal(calls[2]!.size, 2)
    log.stop()
  })
})
