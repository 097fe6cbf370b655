// Retention runs on the injected clock: events older than the policy disappear from every read.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DescribeLogGroupsCommand, FilterLogEventsCommand, GetLogEventsCommand, PutLogEventsCommand, PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import { logsClient, newStream } from '../../helpers/logs.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const logs = () => logsClient(nimbus.current)
const day = 86_400_000

describe('CloudWatch Logs retention', () => {
  it('expires events by timestamp as the clock moves, and storedBytes follows', async () => {
    const { group, stream } = await newStream(logs())
    await logs().send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 1 }))
    const t0 = nimbus.current.clock.now()
    await logs().send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: t0, message: 'old' }] }))
    await advance(nimbus.current, 12 * 60 * 60_000)
    await logs().send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream,
      logEvents: [{ timestamp: nimbus.current.clock.now(), message: 'newer' }] }))
    const storedBytes = async () => (await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups?.[0]?.storedBytes
    assert.equal(await storedBytes(), 'old'.length + 'newer'.length)

    await advance(nimbus.current, 12 * 60 * 60_000 + 1) // 'old' is now more than a day old
    const read = async () => (await logs().send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true })))
      .events?.map((e) => e.message)
    assert.deepEqual(await read(), ['newer'])
    assert.deepEqual((await logs().send(new FilterLogEventsCommand({ logGroupName: group }))).events?.map((e) => e.message), ['newer'])
    assert.equal(await storedBytes(), 'newer'.length)
    await advance(nimbus.current, day)
    assert.deepEqual(await read(), [])
  })

  it('applies a shorter policy to events already stored', async () => {
    const { group, stream } = await newStream(logs())
    const now = nimbus.current.clock.now()
    for (const [timestamp, message] of [[now - 2 * day, 'two days'], [now, 'today']] as const) {
      await logs().send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp, message }] }))
    }
    await logs().send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 1 }))
    const { events } = await logs().send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream }))
    assert.deepEqual(events?.map((e) => e.message), ['today'])
  })
})
