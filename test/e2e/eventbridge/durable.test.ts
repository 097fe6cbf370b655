// EventBridge state across restarts on one data dir (in process): buses, rules, targets, tags,
// archives with their events, replays, connections and API destinations; schedules that neither
// fire twice nor skip, and fire the slots that fell due while Nimbus was down, once each.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  CreateApiDestinationCommand, CreateArchiveCommand, CreateConnectionCommand, CreateEventBusCommand, DescribeApiDestinationCommand,
  DescribeArchiveCommand, DescribeConnectionCommand, DescribeEventBusCommand, DescribeReplayCommand, DescribeRuleCommand,
  EventBridgeClient, ListRulesCommand, ListTagsForResourceCommand, ListTargetsByRuleCommand, PutEventsCommand, PutPermissionCommand,
  PutRuleCommand, PutTargetsCommand, StartReplayCommand,
} from '@aws-sdk/client-eventbridge'
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { openSqlitePersistence } from '../../../src/storage/persistence/sqlite-store.ts'

const dirs: string[] = []
const running = new Set<Nimbus>()
after(async () => {
  for (const nimbus of running) await nimbus.stop()
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }))
})
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }
const start = Date.UTC(2024, 0, 1, 0, 0, 0)
const hour = 3_600_000

async function durableNimbus() {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-durable-eb-'))
  dirs.push(dataDir)
  const open = async () => {
    const nimbus = await startNimbus({ port: 0, clock: 'manual', clockStart: start, log: () => {}, dataDir })
    running.add(nimbus)
    return nimbus
  }
  const state = { nimbus: await open() }
  const stop = async () => {
    running.delete(state.nimbus)
    await state.nimbus.stop()
  }
  return {
    get nimbus(): Nimbus {
      return state.nimbus
    },
    eb: () => new EventBridgeClient({ endpoint: state.nimbus.endpoint, region: 'us-east-1', credentials }),
    sqs: () => new SQSClient({ endpoint: state.nimbus.endpoint, region: 'us-east-1', credentials }),
    url: (queue: string) => `${state.nimbus.endpoint}/000000000000/${queue}`,
    /** Stops Nimbus; `downFor` moves the stored manual clock as if that much time passed while it was down. */
    restart: async (downFor = 0) => {
      await stop()
      if (downFor > 0) {
        const store = openSqlitePersistence(dataDir)
        const meta = store.table<{ now: number }>('nimbus_meta')
        const now = new Map(meta.load()).get('clock')!.now
        meta.put('clock', { now: now + downFor })
        await store.flushed()
        store.close()
      }
      state.nimbus = await open()
    },
    stop,
  }
}

const queueArn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`

async function count(sqs: SQSClient, QueueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))
  return Number(Attributes!.ApproximateNumberOfMessages)
}

async function bodies(sqs: SQSClient, QueueUrl: string): Promise<{ time: string; detail: unknown; 'replay-name'?: string }[]> {
  const out = []
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 3600 }))
    if (Messages === undefined || Messages.length === 0) return out
    out.push(...Messages.map((m) => JSON.parse(m.Body!)))
  }
}

describe('EventBridge across restarts on a data dir', () => {
  it('keeps buses, rules, targets, tags, connections and API destinations, and routes as before', async () => {
    const n = await durableNimbus()
    await n.sqs().send(new CreateQueueCommand({ QueueName: 'orders' }))
    const eb = n.eb()
    await eb.send(new CreateEventBusCommand({ Name: 'shop', Description: 'the shop', Tags: [{ Key: 'team', Value: 'a' }] }))
    await eb.send(new PutPermissionCommand({ EventBusName: 'shop', StatementId: 'friend', Action: 'events:PutEvents', Principal: '111122223333' }))
    const { RuleArn } = await eb.send(new PutRuleCommand({
      Name: 'big-orders', EventBusName: 'shop', EventPattern: JSON.stringify({ source: ['shop'], detail: { total: [{ numeric: ['>', 100] }] } }),
      Description: 'only big ones', Tags: [{ Key: 'k', Value: 'v' }],
    }))
    await eb.send(new PutRuleCommand({ Name: 'off', EventBusName: 'shop', EventPattern: JSON.stringify({ source: ['shop'] }), State: 'DISABLED' }))
    await eb.send(new PutTargetsCommand({
      Rule: 'big-orders', EventBusName: 'shop', Targets: [{
        Id: 'q', Arn: queueArn('orders'), RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
        InputTransformer: { InputPathsMap: { total: '$.detail.total' }, InputTemplate: '{"total": <total>}' },
      }],
    }))
    await eb.send(new PutTargetsCommand({ Rule: 'off', EventBusName: 'shop', Targets: [{ Id: 'q', Arn: queueArn('orders') }] }))
    const connection = await eb.send(new CreateConnectionCommand({
      Name: 'api', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: 'secret' } },
    }))
    const destination = await eb.send(new CreateApiDestinationCommand({
      Name: 'hook', ConnectionArn: connection.ConnectionArn, InvocationEndpoint: 'https://example.com/*', HttpMethod: 'POST',
    }))
    const before = {
      bus: await eb.send(new DescribeEventBusCommand({ Name: 'shop' })),
      rule: await eb.send(new DescribeRuleCommand({ Name: 'big-orders', EventBusName: 'shop' })),
      rules: await eb.send(new ListRulesCommand({ EventBusName: 'shop' })),
      targets: await eb.send(new ListTargetsByRuleCommand({ Rule: 'big-orders', EventBusName: 'shop' })),
      busTags: await eb.send(new ListTagsForResourceCommand({ ResourceARN: before0(RuleArn!) })),
      ruleTags: await eb.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn })),
      connection: await eb.send(new DescribeConnectionCommand({ Name: 'api' })),
      destination: await eb.send(new DescribeApiDestinationCommand({ Name: 'hook' })),
    }
    assert.equal(before.destination.ApiDestinationArn, destination.ApiDestinationArn)

    await n.restart()
    const eb2 = n.eb()
    const afterRestart = {
      bus: await eb2.send(new DescribeEventBusCommand({ Name: 'shop' })),
      rule: await eb2.send(new DescribeRuleCommand({ Name: 'big-orders', EventBusName: 'shop' })),
      rules: await eb2.send(new ListRulesCommand({ EventBusName: 'shop' })),
      targets: await eb2.send(new ListTargetsByRuleCommand({ Rule: 'big-orders', EventBusName: 'shop' })),
      busTags: await eb2.send(new ListTagsForResourceCommand({ ResourceARN: before0(RuleArn!) })),
      ruleTags: await eb2.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn })),
      connection: await eb2.send(new DescribeConnectionCommand({ Name: 'api' })),
      destination: await eb2.send(new DescribeApiDestinationCommand({ Name: 'hook' })),
    }
    for (const key of Object.keys(before) as (keyof typeof before)[]) {
      assert.deepEqual({ ...afterRestart[key], $metadata: undefined }, { ...before[key], $metadata: undefined }, key)
    }
    // The pattern index is rebuilt: a big order reaches the queue transformed, a small one and the disabled rule don't.
    await eb2.send(new PutEventsCommand({ Entries: [
      { EventBusName: 'shop', Source: 'shop', DetailType: 'order', Detail: JSON.stringify({ total: 5 }) },
      { EventBusName: 'shop', Source: 'shop', DetailType: 'order', Detail: JSON.stringify({ total: 500 }) },
    ] }))
    const { Messages } = await n.sqs().send(new ReceiveMessageCommand({ QueueUrl: n.url('orders'), MaxNumberOfMessages: 10 }))
    assert.deepEqual(Messages?.map((m) => m.Body), ['{"total": 500}'])
    await n.stop()
  })

  it('keeps a schedule: no double firing, no skipped slot, and missed slots fire once each at start', async () => {
    const n = await durableNimbus()
    await n.sqs().send(new CreateQueueCommand({ QueueName: 'ticks' }))
    await n.eb().send(new PutRuleCommand({ Name: 'hourly', ScheduleExpression: 'rate(1 hour)' }))
    await n.eb().send(new PutTargetsCommand({ Rule: 'hourly', Targets: [{ Id: 'q', Arn: queueArn('ticks') }] }))
    n.nimbus.clock.advance(90 * 60_000)
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(await count(n.sqs(), n.url('ticks')), 1, 'fired at 1:00')

    await n.restart()
    n.nimbus.clock.advance(30 * 60_000)
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(await count(n.sqs(), n.url('ticks')), 2, 'fired at 2:00, counted from the rule, not from the restart')

    // Down for three hours and a half: 3:00, 4:00 and 5:00 fell due meanwhile and fire at start, in order.
    await n.restart(3.5 * hour)
    await new Promise((resolve) => setImmediate(resolve))
    const times = (await bodies(n.sqs(), n.url('ticks'))).map((e) => e.time)
    assert.deepEqual(times, ['01:00', '02:00', '03:00', '04:00', '05:00'].map((t) => `2024-01-01T${t}:00Z`))
    n.nimbus.clock.advance(30 * 60_000)
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(await count(n.sqs(), n.url('ticks')), 1, 'then 6:00 as usual')
    await n.stop()
  })

  it('keeps an archive with its events; a replay started before a restart completes after it', async () => {
    const n = await durableNimbus()
    await n.sqs().send(new CreateQueueCommand({ QueueName: 'replayed' }))
    const busArn = 'arn:aws:events:us-east-1:000000000000:event-bus/default'
    const { ArchiveArn } = await n.eb().send(new CreateArchiveCommand({
      ArchiveName: 'all', EventSourceArn: busArn, RetentionDays: 1, EventPattern: JSON.stringify({ source: ['app'] }),
    }))
    await n.eb().send(new PutRuleCommand({ Name: 'to-queue', EventPattern: JSON.stringify({ source: ['app'] }) }))
    for (let i = 0; i < 3; i++) {
      await n.eb().send(new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 't', Detail: JSON.stringify({ i }) }] }))
      n.nimbus.clock.advance(2 * 60_000)
    }
    const described = await n.eb().send(new DescribeArchiveCommand({ ArchiveName: 'all' }))
    assert.equal(described.EventCount, 3)

    await n.restart()
    assert.deepEqual({ ...(await n.eb().send(new DescribeArchiveCommand({ ArchiveName: 'all' }))), $metadata: undefined },
      { ...described, $metadata: undefined })
    await n.eb().send(new PutTargetsCommand({ Rule: 'to-queue', Targets: [{ Id: 'q', Arn: queueArn('replayed') }] }))
    await n.eb().send(new StartReplayCommand({
      ReplayName: 'again', EventSourceArn: ArchiveArn, Destination: { Arn: busArn },
      EventStartTime: new Date(start), EventEndTime: new Date(start + hour),
    }))
    // The first minute is replayed at once; then Nimbus stops with two minutes left to replay.
    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual((await bodies(n.sqs(), n.url('replayed'))).map((e) => e.detail), [{ i: 0 }])
    assert.equal((await n.eb().send(new DescribeReplayCommand({ ReplayName: 'again' }))).State, 'RUNNING')

    await n.restart()
    for (let i = 0; i < 5; i++) {
      n.nimbus.clock.advance(1000)
      await new Promise((resolve) => setImmediate(resolve))
    }
    const replay = await n.eb().send(new DescribeReplayCommand({ ReplayName: 'again' }))
    assert.equal(replay.State, 'COMPLETED')
    const rest = await bodies(n.sqs(), n.url('replayed'))
    assert.deepEqual(rest.map((e) => e.detail), [{ i: 1 }, { i: 2 }], 'resumed after the last minute replayed, nothing twice')
    assert.ok(rest.every((e) => e['replay-name'] === 'again'))

    // Retention runs on the resumed clock: a day later the archive is empty.
    n.nimbus.clock.advance(25 * hour)
    await n.restart()
    assert.equal((await n.eb().send(new DescribeArchiveCommand({ ArchiveName: 'all' }))).EventCount, 0)
    await n.stop()
  })

  it('forgets everything on reset, on disk too (and a schedule stops firing)', async () => {
    const n = await durableNimbus()
    await n.sqs().send(new CreateQueueCommand({ QueueName: 'ticks' }))
    await n.eb().send(new CreateEventBusCommand({ Name: 'doomed' }))
    await n.eb().send(new PutRuleCommand({ Name: 'hourly', ScheduleExpression: 'rate(1 hour)' }))
    await n.eb().send(new PutTargetsCommand({ Rule: 'hourly', Targets: [{ Id: 'q', Arn: queueArn('ticks') }] }))
    n.nimbus.reset()
    await n.restart(5 * hour)
    await n.sqs().send(new CreateQueueCommand({ QueueName: 'ticks' }))
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal((await n.eb().send(new ListRulesCommand({}))).Rules?.length ?? 0, 0)
    assert.equal(await count(n.sqs(), n.url('ticks')), 0)
    await n.stop()
  })

})

/** The ARN of the bus a rule ARN names (`rule/<bus>/<name>`). */
function before0(ruleArn: string): string {
  const [, bus] = /:rule\/([^/]+)\//.exec(ruleArn)!
  return ruleArn.replace(/:rule\/.*$/, `:event-bus/${bus}`)
}
