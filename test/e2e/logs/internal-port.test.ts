// The in-process Logs port (nimbus.services.logs): Lambda writes through it, SDK clients read what
// it wrote, and listeners (Nimbus's console) hear every append.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import type { LogEventsAppended } from '../../../src/services/logs/store.ts'
import { logsClient, newStream } from '../../helpers/logs.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const logs = () => logsClient(nimbus.current)
const port = () => nimbus.current.services.logs

describe('CloudWatch Logs internal port', () => {
  it('creates the group and stream on first write; the SDK reads the lines', async () => {
    const group = `/aws/lambda/${uniqueName('fn')}`
    const stream = '2024/01/01/[$LATEST]0123456789abcdef'
    const now = nimbus.current.clock.now()
    assert.equal(port().groupExists('000000000000', 'us-east-1', group), false)
    port().write('000000000000', 'us-east-1', group, stream, [
      { timestamp: now - 2, message: 'START RequestId: r1 Version: $LATEST\n' },
      { timestamp: now, message: 'END RequestId: r1\n' },
      { timestamp: now - 1, message: 'hello from the handler\n' }, // out of order: sorted on the way in
      { timestamp: now, message: '' }, // AWS refuses empty messages; the port drops them
    ])
    assert.equal(port().groupExists('000000000000', 'us-east-1', group), true)
    const { events } = await logs().send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }))
    assert.deepEqual(events?.map((e) => e.message), ['START RequestId: r1 Version: $LATEST\n', 'hello from the handler\n', 'END RequestId: r1\n'])
    const filtered = await logs().send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'handler' }))
    assert.deepEqual(filtered.events?.map((e) => e.logStreamName), [stream])
    const { logStreams } = await logs().send(new DescribeLogStreamsCommand({ logGroupName: group }))
    assert.equal(logStreams?.[0]?.lastIngestionTime, now)
  })

  it('appends to an existing stream and reads back oldest first', async () => {
    const { group, stream } = await newStream(logs())
    const now = nimbus.current.clock.now()
    await logs().send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: now - 5, message: 'via sdk' }] }))
    const result = port().write('000000000000', 'us-east-1', group, stream, [{ timestamp: now, message: 'via port' }])
    assert.match(result.nextSequenceToken, /^\d{56}$/)
    assert.deepEqual(port().read('000000000000', 'us-east-1', group, stream).map((e) => e.message), ['via sdk', 'via port'])
    assert.deepEqual(port().read('000000000000', 'us-east-1', group, 'missing'), [])
  })

  it('splits a large write into batches AWS would accept', async () => {
    const group = uniqueName('/big')
    const now = nimbus.current.clock.now()
    const lines = Array.from({ length: 12_000 }, (_, i) => ({ timestamp: now, message: `line ${i}` }))
    port().write('000000000000', 'us-east-1', group, 's', lines)
    assert.equal(port().read('000000000000', 'us-east-1', group, 's').length, 12_000)
  })

  it('tells listeners about every append, from the port and from PutLogEvents', async () => {
    const heard: LogEventsAppended[] = []
    const unsubscribe = port().onAppended((event) => heard.push(event))
    const { group, stream } = await newStream(logs())
    const now = nimbus.current.clock.now()
    port().write('000000000000', 'us-east-1', group, stream, [{ timestamp: now, message: 'from lambda' }])
    await logs().send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: now, message: 'from sdk' }] }))
    unsubscribe()
    port().write('000000000000', 'us-east-1', group, stream, [{ timestamp: now, message: 'unheard' }])
    assert.deepEqual(heard.map((h) => [h.logGroupName, h.logStreamName, h.events.map((e) => e.message)]),
      [[group, stream, ['from lambda']], [group, stream, ['from sdk']]])
    assert.equal(heard[0]?.account, '000000000000')
    assert.equal(heard[0]?.events[0]?.ingestionTime, now)
  })
})
