// Log events kept in memory are bounded per group: writing far more than the bound keeps the
// group's stored bytes under it, the oldest events (across its streams) going first.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateLogStreamCommand, DescribeLogGroupsCommand, GetLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { logsClient, newStream } from '../../helpers/logs.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const bound = 256 * 1024
const nimbus = useNimbus({ maxLogGroupBytes: bound })

const storedBytes = (): number => (nimbus.current.health().logs as { storedBytes: number }).storedBytes

describe('log memory bound', () => {
  it('keeps a group under its bound, dropping the oldest events of any stream first', async () => {
    const logs = logsClient(nimbus.current)
    const { group, stream } = await newStream(logs)
    const other = `${stream}-b`
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: other }))
    const message = (n: number) => `event ${String(n).padStart(6, '0')} ` + 'x'.repeat(1000)
    // 4 MB into a 256 KB bound, alternating streams, one clock millisecond per batch.
    let n = 0
    for (let batch = 0; batch < 100; batch++) {
      const events = Array.from({ length: 40 }, () => ({ timestamp: nimbus.current.clock.now(), message: message(n++) }))
      await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: batch % 2 === 0 ? stream : other, logEvents: events }))
      await advance(nimbus.current, 1)
    }
    const described = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))
    const held = described.logGroups![0]!.storedBytes!
    assert.ok(held <= bound, `${held} bytes held, bound ${bound}`)
    assert.ok(held >= bound * 0.8, `${held} bytes held: only the excess goes`)
    // The newest events are all there; the oldest are gone, from both streams.
    for (const name of [stream, other]) {
      const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: name, startFromHead: true }))
      const first = Number(/event (\d+)/.exec(page.events![0]!.message!)![1])
      assert.ok(first > 3000, `stream ${name} still starts at event ${first}`)
    }
    const newest = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: other, limit: 1 }))
    assert.equal(newest.events![0]!.message, message(n - 1))
    logs.destroy()
  })

  it('bounds a chatty function\'s log group, and its LogType Tail stays 4 KB', async () => {
    const before = storedBytes()
    const lambda = lambdaClient(nimbus.current)
    // 2 MB of output in 2,000 lines: eight times the group's bound.
    const name = await createFunction(lambda, `exports.handler = async () => {
      for (let i = 0; i < 2000; i++) console.log('line ' + i + ' ' + 'y'.repeat(1000))
      return 'done'
    }`)
    const result = await lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail' }))
    assert.equal(result.FunctionError, undefined)
    assert.ok(Buffer.from(result.LogResult!, 'base64').length <= 4096)
    // Output the function wrote may still be on its way from the pipe: wait for most of it.
    for (let i = 0; i < 500 && storedBytes() - before < bound * 0.85; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    // The function's group holds at most the bound on top of the first test's group, and is full to it.
    const held = storedBytes() - before
    assert.ok(held <= bound && held >= bound / 2, `${held} bytes held for the function`)
    lambda.destroy()
  })
})
