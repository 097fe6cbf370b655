// PutLogEvents and GetLogEvents: batch rules, rejected events on the clock, forward/backward tokens.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetLogEventsCommand, paginateGetLogEvents, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { failure, logsClient, newStream, putMessages } from '../../helpers/logs.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const logs = () => logsClient(nimbus.current)
const day = 86_400_000
const messagesOf = (events: { message?: string }[] | undefined) => (events ?? []).map((e) => e.message)

describe('CloudWatch Logs PutLogEvents', () => {
  it('stores events with the clock as ingestion time and returns a sequence token', async () => {
    const { group, stream } = await newStream(logs())
    const now = nimbus.current.clock.now()
    const put = await logs().send(new PutLogEventsCommand({
      logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: now - 10, message: 'one' }, { timestamp: now - 10, message: 'two' }],
    }))
    assert.match(put.nextSequenceToken ?? '', /^\d{56}$/)
    assert.equal(put.rejectedLogEventsInfo, undefined)
    await advance(nimbus.current, 250)
    const { events } = await logs().send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream }))
    assert.deepEqual(events, [
      { timestamp: now - 10, message: 'one', ingestionTime: now },
      { timestamp: now - 10, message: 'two', ingestionTime: now },
    ])
  })

  it('rejects too old, expired and too new events by index instead of failing', async () => {
    const { group, stream } = await newStream(logs())
    const now = nimbus.current.clock.now()
    const put = await logs().send(new PutLogEventsCommand({
      logGroupName: group, logStreamName: stream,
      logEvents: [
        { timestamp: now - 15 * day, message: 'too old' },
        { timestamp: now - 1000, message: 'kept 1' },
        { timestamp: now + 60 * 60_000, message: 'kept 2 (1 h ahead)' },
        { timestamp: now + 3 * 60 * 60_000, message: 'too new' },
      ],
    }))
    assert.deepEqual(put.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1, tooNewLogEventStartIndex: 3 })
    const { events } = await logs().send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }))
    assert.deepEqual(messagesOf(events), ['kept 1', 'kept 2 (1 h ahead)'])
  })

  it('reports events before the group retention as expired', async () => {
    const { group, stream } = await newStream(logs())
    const { PutRetentionPolicyCommand } = await import('@aws-sdk/client-cloudwatch-logs')
    await logs().send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 1 }))
    const now = nimbus.current.clock.now()
    const put = await logs().send(new PutLogEventsCommand({
      logGroupName: group, logStreamName: stream,
      logEvents: [{ timestamp: now - 2 * day, message: 'expired' }, { timestamp: now, message: 'fresh' }],
    }))
    assert.deepEqual(put.rejectedLogEventsInfo, { expiredLogEventEndIndex: 1 })
  })

  it('fails whole batches AWS refuses: order, span, count, size, missing stream', async () => {
    const { group, stream } = await newStream(logs())
    const now = nimbus.current.clock.now()
    const put = (logEvents: { timestamp: number; message: string }[], logStreamName = stream) =>
      failure(logs().send(new PutLogEventsCommand({ logGroupName: group, logStreamName, logEvents })))
    const unordered = await put([{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }])
    assert.deepEqual([unordered.name, unordered.message],
      ['InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.'])
    const span = await put([{ timestamp: now - 25 * 60 * 60_000, message: 'a' }, { timestamp: now, message: 'b' }])
    assert.match(span.message, /cannot span more than 24 hours/)
    const many = await put(Array.from({ length: 10_001 }, () => ({ timestamp: now, message: 'x' })))
    assert.equal(many.name, 'InvalidParameterException')
    // 1,048,576 bytes counts each message in UTF-8 plus 26 bytes per event.
    const exact = 1_048_576 - 2 * 26
    await logs().send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream,
      logEvents: [{ timestamp: now, message: 'é'.repeat(exact / 4) }, { timestamp: now, message: 'é'.repeat(exact / 4) }] }))
    const tooBig = await put([{ timestamp: now, message: 'x'.repeat(exact / 2) }, { timestamp: now, message: 'x'.repeat(exact / 2 + 1) }])
    assert.deepEqual([tooBig.name, tooBig.message], ['InvalidParameterException', 'Upload too large: 1048577 bytes exceeds limit of 1048576'])
    const noStream = await put([{ timestamp: now, message: 'x' }], 'missing')
    assert.deepEqual([noStream.name, noStream.message], ['ResourceNotFoundException', 'The specified log stream does not exist.'])
    const noGroup = await failure(logs().send(new PutLogEventsCommand({ logGroupName: `${group}-no`, logStreamName: stream, logEvents: [{ timestamp: now, message: 'x' }] })))
    assert.deepEqual([noGroup.name, noGroup.message], ['ResourceNotFoundException', 'The specified log group does not exist.'])
  })
})

describe('CloudWatch Logs GetLogEvents', () => {
  it('returns the latest events by default and the earliest with startFromHead', async () => {
    const { group, stream } = await newStream(logs())
    await putMessages(nimbus.current, logs(), group, stream, ['1', '2', '3', '4', '5'])
    const latest = await logs().send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 2 }))
    assert.deepEqual(messagesOf(latest.events), ['4', '5'])
    const head = await logs().send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 2, startFromHead: true }))
    assert.deepEqual(messagesOf(head.events), ['1', '2'])
    assert.match(head.nextForwardToken ?? '', /^f\/\d{56}\/s$/)
    assert.match(head.nextBackwardToken ?? '', /^b\/\d{56}\/s$/)
  })

  it('walks forward and backward with tokens, handing back the same token at either end', async () => {
    const { group, stream } = await newStream(logs())
    await putMessages(nimbus.current, logs(), group, stream, ['1', '2', '3', '4', '5'])
    const get = (nextToken?: string) => logs().send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 2, nextToken, startFromHead: true }))
    const p1 = await get()
    const p2 = await get(p1.nextForwardToken)
    const p3 = await get(p2.nextForwardToken)
    const end = await get(p3.nextForwardToken)
    assert.deepEqual([p1, p2, p3, end].map((p) => messagesOf(p.events)), [['1', '2'], ['3', '4'], ['5'], []])
    assert.equal(end.nextForwardToken, p3.nextForwardToken)
    const back1 = await get(p3.nextBackwardToken)
    const back2 = await get(back1.nextBackwardToken)
    const start = await get(back2.nextBackwardToken)
    assert.deepEqual([back1, back2, start].map((p) => messagesOf(p.events)), [['3', '4'], ['1', '2'], []])
    assert.equal(start.nextBackwardToken, back2.nextBackwardToken)
    // New events show up on the token that had reached the end.
    await advance(nimbus.current, 10)
    await putMessages(nimbus.current, logs(), group, stream, ['6'])
    assert.deepEqual(messagesOf((await get(end.nextForwardToken)).events), ['6'])
    const bad = await failure(get('f/123'))
    assert.equal(bad.name, 'InvalidParameterException')
  })

  it('is read to the end by the SDK paginator with stopOnSameToken (the token repeats at the end)', async () => {
    const { group, stream } = await newStream(logs())
    await putMessages(nimbus.current, logs(), group, stream, Array.from({ length: 7 }, (_, i) => `m${i}`))
    const seen: string[] = []
    let pages = 0
    for await (const page of paginateGetLogEvents({ client: logs(), pageSize: 3, stopOnSameToken: true }, { logGroupName: group, logStreamName: stream, startFromHead: true })) {
      pages += 1
      seen.push(...messagesOf(page.events) as string[])
    }
    assert.deepEqual(seen, ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'])
    assert.equal(pages, 4) // three pages of events, then the empty page whose token repeats
  })

  it('limits to startTime (inclusive) and endTime (exclusive)', async () => {
    const { group, stream } = await newStream(logs())
    const [, t1, t2, t3] = await putMessages(nimbus.current, logs(), group, stream, ['0', '1', '2', '3', '4'])
    const { events } = await logs().send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startTime: t1, endTime: t3, startFromHead: true }))
    assert.deepEqual(events?.map((e) => e.timestamp), [t1, t2])
    const missing = await failure(logs().send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'nope' })))
    assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'The specified log stream does not exist.'])
  })

  it('orders events by timestamp even when a later batch carries earlier times', async () => {
    const { group, stream } = await newStream(logs())
    const now = nimbus.current.clock.now()
    const put = (timestamp: number, message: string) =>
      logs().send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp, message }] }))
    await put(now, 'late')
    await put(now - 50, 'early')
    await put(now - 20, 'middle')
    const { events } = await logs().send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }))
    assert.deepEqual(messagesOf(events), ['early', 'middle', 'late'])
  })
})
