// CloudWatch Logs state across restarts on one data dir (in process): groups with their settings,
// streams with their tokens and times, events with identical ids and tokens, what retention and the
// per-group bound dropped staying dropped, and a reset that empties it.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DeleteLogStreamCommand,
  DescribeLogGroupsCommand, DescribeLogStreamsCommand, DescribeMetricFiltersCommand, FilterLogEventsCommand, GetLogEventsCommand, ListTagsForResourceCommand,
  PutLogEventsCommand, PutMetricFilterCommand, PutRetentionPolicyCommand, TagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { testCredentials } from '../../helpers/nimbus.ts'

const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

const day = 86_400_000

async function durableNimbus(maxLogGroupBytes?: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-logs-durable-'))
  dirs.push(dataDir)
  const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir, ...(maxLogGroupBytes !== undefined && { maxLogGroupBytes }) })
  const state = { nimbus: await open() }
  const client = () => new CloudWatchLogsClient({ endpoint: state.nimbus.endpoint, region: 'us-east-1', credentials: testCredentials })
  const logs = { current: client() }
  return {
    get nimbus(): Nimbus {
      return state.nimbus
    },
    get logs(): CloudWatchLogsClient {
      return logs.current
    },
    restart: async () => {
      logs.current.destroy()
      await state.nimbus.stop()
      state.nimbus = await open()
      logs.current = client()
    },
    stop: async () => {
      logs.current.destroy()
      await state.nimbus.stop()
    },
  }
}

/** Everything a client can read back about the account's groups, their streams and events. */
async function snapshot(logs: CloudWatchLogsClient) {
  const strip = <T extends { $metadata?: unknown }>(output: T): Omit<T, '$metadata'> => {
    const { $metadata: _, ...rest } = output
    return rest
  }
  const groups = strip(await logs.send(new DescribeLogGroupsCommand({})))
  const out: Record<string, unknown> = { groups }
  for (const g of groups.logGroups ?? []) {
    const logGroupName = g.logGroupName!
    const streams = strip(await logs.send(new DescribeLogStreamsCommand({ logGroupName })))
    out[`${logGroupName} streams`] = streams
    out[`${logGroupName} tags`] = strip(await logs.send(new ListTagsForResourceCommand({ resourceArn: g.logGroupArn! })))
    out[`${logGroupName} metric filters`] = strip(await logs.send(new DescribeMetricFiltersCommand({ logGroupName })))
    out[`${logGroupName} filtered`] = strip(await logs.send(new FilterLogEventsCommand({ logGroupName })))
    for (const s of streams.logStreams ?? []) {
      out[`${logGroupName} ${s.logStreamName}`] = strip(await logs.send(new GetLogEventsCommand({
        logGroupName, logStreamName: s.logStreamName, startFromHead: true })))
    }
  }
  return out
}

describe('CloudWatch Logs across restarts on a data dir', () => {
  it('keeps groups, streams and events with identical ids, tokens and times', async () => {
    const n = await durableNimbus()
    const now = n.nimbus.clock.now()
    await n.logs.send(new CreateLogGroupCommand({ logGroupName: '/app/web', tags: { team: 'web' }, logGroupClass: 'INFREQUENT_ACCESS' }))
    await n.logs.send(new CreateLogGroupCommand({ logGroupName: '/app/jobs', kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/abc' }))
    await n.logs.send(new PutRetentionPolicyCommand({ logGroupName: '/app/jobs', retentionInDays: 7 }))
    await n.logs.send(new PutMetricFilterCommand({ logGroupName: '/app/jobs', filterName: 'errors', filterPattern: '[level = ERROR, ...]',
      metricTransformations: [{ metricName: 'Errors', metricNamespace: 'Jobs', metricValue: '1', defaultValue: 0, unit: 'Count' }] }))
    await n.logs.send(new TagResourceCommand({ resourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/app/jobs', tags: { env: 'test' } }))
    await n.logs.send(new CreateLogStreamCommand({ logGroupName: '/app/web', logStreamName: 'a' }))
    await n.logs.send(new CreateLogStreamCommand({ logGroupName: '/app/web', logStreamName: 'b' }))
    await n.logs.send(new CreateLogStreamCommand({ logGroupName: '/app/web', logStreamName: 'gone' }))
    await n.logs.send(new CreateLogStreamCommand({ logGroupName: '/app/jobs', logStreamName: 'j' }))
    await n.logs.send(new PutLogEventsCommand({ logGroupName: '/app/web', logStreamName: 'a', logEvents: [
      { timestamp: now - 2000, message: 'first' }, { timestamp: now - 1000, message: 'second ünïcode' }] }))
    n.nimbus.clock.advance(5)
    // An earlier timestamp in a later batch: stored in timestamp order.
    await n.logs.send(new PutLogEventsCommand({ logGroupName: '/app/web', logStreamName: 'a', logEvents: [
      { timestamp: now - 1500, message: 'between' }] }))
    await n.logs.send(new PutLogEventsCommand({ logGroupName: '/app/web', logStreamName: 'b', logEvents: [{ timestamp: now, message: 'b1' }] }))
    await n.logs.send(new PutLogEventsCommand({ logGroupName: '/app/web', logStreamName: 'gone', logEvents: [{ timestamp: now, message: 'x' }] }))
    await n.logs.send(new DeleteLogStreamCommand({ logGroupName: '/app/web', logStreamName: 'gone' }))
    // Events written through the port (Lambda's log lines), creating their group and stream.
    n.nimbus.services.logs.write('000000000000', 'us-east-1', '/aws/lambda/fn', '2026/01/01/[$LATEST]abc',
      [{ timestamp: now, message: 'START RequestId: 1' }, { timestamp: now, message: 'END RequestId: 1' }])
    await n.logs.send(new PutLogEventsCommand({ logGroupName: '/app/jobs', logStreamName: 'j', logEvents: [{ timestamp: now, message: 'job' }] }))
    const before = await snapshot(n.logs)
    await n.restart()
    assert.deepEqual(await snapshot(n.logs), before)
    const a = before['/app/web a'] as { events: Array<{ message: string }> }
    assert.deepEqual(a.events.map((e) => e.message), ['first', 'between', 'second ünïcode'])
    // Uploads go on counting: the token of the next upload follows the stored ones.
    const tokenBefore = (before['/app/web streams'] as { logStreams: Array<{ uploadSequenceToken: string }> }).logStreams[0]!.uploadSequenceToken
    const next = await n.logs.send(new PutLogEventsCommand({ logGroupName: '/app/web', logStreamName: 'a', logEvents: [
      { timestamp: n.nimbus.clock.now(), message: 'after' }] }))
    assert.ok(BigInt(next.nextSequenceToken!) > BigInt(tokenBefore))
    const events = (await n.logs.send(new GetLogEventsCommand({ logGroupName: '/app/web', logStreamName: 'a', startFromHead: true }))).events!
    assert.deepEqual(events.map((e) => e.message), ['first', 'between', 'second ünïcode', 'after'])
    // Retention keeps its meaning on the resumed clock; what it drops stays dropped.
    n.nimbus.clock.advance(8 * day)
    assert.deepEqual((await n.logs.send(new GetLogEventsCommand({ logGroupName: '/app/jobs', logStreamName: 'j' }))).events, [])
    await n.logs.send(new DeleteLogGroupCommand({ logGroupName: '/app/web' }))
    await n.restart()
    assert.deepEqual((await n.logs.send(new GetLogEventsCommand({ logGroupName: '/app/jobs', logStreamName: 'j' }))).events, [])
    assert.deepEqual((await n.logs.send(new DescribeLogGroupsCommand({}))).logGroups?.map((g) => g.logGroupName), ['/app/jobs', '/aws/lambda/fn'])
    n.nimbus.reset()
    await n.restart()
    assert.deepEqual((await n.logs.send(new DescribeLogGroupsCommand({}))).logGroups, [])
    await n.stop()
  })

  it('keeps only what the per-group bound kept', async () => {
    const bound = 64 * 1024
    const n = await durableNimbus(bound)
    await n.logs.send(new CreateLogGroupCommand({ logGroupName: 'bounded' }))
    await n.logs.send(new CreateLogStreamCommand({ logGroupName: 'bounded', logStreamName: 's' }))
    for (let batch = 0; batch < 20; batch++) {
      const events = Array.from({ length: 20 }, (_, i) => ({ timestamp: n.nimbus.clock.now(), message: `${batch}-${i} ${'x'.repeat(500)}` }))
      await n.logs.send(new PutLogEventsCommand({ logGroupName: 'bounded', logStreamName: 's', logEvents: events }))
    }
    const read = async () => (await n.logs.send(new GetLogEventsCommand({ logGroupName: 'bounded', logStreamName: 's', startFromHead: true,
      limit: 10_000 }))).events!.map((e) => e.message)
    const before = await read()
    assert.ok(before.length < 400 && before.length > 0)
    await n.restart()
    assert.deepEqual(await read(), before)
    assert.ok((n.nimbus.health().logs as { storedBytes: number }).storedBytes <= bound)
    await n.stop()
  })
})
