// Archives record matching events (never replayed ones); replays re-send a time window with `replay-name`.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CancelReplayCommand, CreateArchiveCommand, CreateEventBusCommand, DeleteArchiveCommand, DeleteRuleCommand, DescribeArchiveCommand,
  DescribeReplayCommand, DescribeRuleCommand, ListArchivesCommand, ListReplaysCommand, PutEventsCommand, PutRuleCommand,
  PutTargetsCommand, StartReplayCommand, UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { busArn, createQueue, ebClient, receiveBodies, sqsClient } from './fixtures.ts'

const nimbus = useNimbus({ clockStart: Date.UTC(2024, 0, 1) })
const eb = () => ebClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current)

/** A bus with an archive (pattern on `source`) and a rule routing the same source to a queue. */
async function archivedBus(extra: { RetentionDays?: number } = {}) {
  const bus = uniqueName('bus')
  await eb().send(new CreateEventBusCommand({ Name: bus }))
  const source = uniqueName('src')
  const archive = uniqueName('arch')
  const { ArchiveArn } = await eb().send(new CreateArchiveCommand({ ArchiveName: archive, EventSourceArn: busArn(bus),
    EventPattern: JSON.stringify({ source: [source] }), ...extra }))
  const queue = await createQueue(sqs())
  const rule = uniqueName('rule')
  const { RuleArn } = await eb().send(new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify({ source: [source] }) }))
  await eb().send(new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [{ Id: 'q', Arn: queue.arn }] }))
  const put = (n: number) => eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: JSON.stringify({ n }), EventBusName: bus }] }))
  return { bus, source, archive, archiveArn: ArchiveArn!, queue, rule, ruleArn: RuleArn!, put }
}

describe('EventBridge archives', () => {
  it('records matching events with counts and sizes, behind a managed rule', async () => {
    const a = await archivedBus()
    await a.put(1)
    await a.put(2)
    await eb().send(new PutEventsCommand({ Entries: [{ Source: 'other', DetailType: 'x', Detail: '{}', EventBusName: a.bus }] }))
    const described = await eb().send(new DescribeArchiveCommand({ ArchiveName: a.archive }))
    assert.equal(described.ArchiveArn, a.archiveArn)
    assert.equal(described.EventSourceArn, busArn(a.bus))
    assert.equal(described.State, 'ENABLED')
    assert.equal(described.EventCount, 2)
    assert.ok(described.SizeBytes! > 200)
    const managed = await eb().send(new DescribeRuleCommand({ Name: `Events-Archive-${a.archive}`, EventBusName: a.bus }))
    assert.equal(managed.ManagedBy, 'events.amazonaws.com')
    const refused = await sdkError(eb().send(new DeleteRuleCommand({ Name: `Events-Archive-${a.archive}`, EventBusName: a.bus })))
    assert.equal(refused.name, 'ManagedRuleException')
    const listed = await eb().send(new ListArchivesCommand({ NamePrefix: a.archive }))
    assert.deepEqual(listed.Archives?.map((x) => [x.ArchiveName, x.EventCount]), [[a.archive, 2]])
  })

  it('drops events past RetentionDays on the clock', async () => {
    const a = await archivedBus({ RetentionDays: 1 })
    await a.put(1)
    await advance(nimbus.current, 12 * 3_600_000)
    await a.put(2)
    await advance(nimbus.current, 13 * 3_600_000)
    assert.equal((await eb().send(new DescribeArchiveCommand({ ArchiveName: a.archive }))).EventCount, 1)
  })

  it('updates and deletes archives, with AWS\'s errors', async () => {
    const a = await archivedBus()
    const nothing = await sdkError(eb().send(new UpdateArchiveCommand({ ArchiveName: a.archive })))
    assert.equal(nothing.message, 'At least one of EventPattern, RetentionDays or Description must be provided.')
    await eb().send(new UpdateArchiveCommand({ ArchiveName: a.archive, Description: 'kept', RetentionDays: 7 }))
    const described = await eb().send(new DescribeArchiveCommand({ ArchiveName: a.archive }))
    assert.equal(described.Description, 'kept')
    assert.equal(described.RetentionDays, 7)
    const dup = await sdkError(eb().send(new CreateArchiveCommand({ ArchiveName: a.archive, EventSourceArn: busArn(a.bus) })))
    assert.equal(dup.name, 'ResourceAlreadyExistsException')
    assert.equal(dup.message, `Archive ${a.archive} already exists.`)
    await eb().send(new DeleteArchiveCommand({ ArchiveName: a.archive }))
    const gone = await sdkError(eb().send(new DescribeArchiveCommand({ ArchiveName: a.archive })))
    assert.equal(gone.name, 'ResourceNotFoundException')
    assert.equal(gone.message, `Archive ${a.archive} does not exist.`)
  })
})

describe('EventBridge replays', () => {
  it('re-delivers the archived window with replay-name, STARTING → COMPLETED, without archiving it again', async () => {
    const a = await archivedBus()
    const from = new Date(nimbus.current.clock.now())
    await a.put(1)
    await advance(nimbus.current, 90_000)
    await a.put(2)
    await advance(nimbus.current, 60_000)
    await a.put(3) // after the window
    assert.equal((await receiveBodies(sqs(), a.queue)).length, 3)
    const to = new Date(nimbus.current.clock.now())
    const name = uniqueName('replay')
    const started = await eb().send(new StartReplayCommand({ ReplayName: name, EventSourceArn: a.archiveArn,
      EventStartTime: from, EventEndTime: to, Destination: { Arn: busArn(a.bus) } }))
    assert.equal(started.State, 'STARTING')
    assert.equal(started.ReplayArn, a.archiveArn.replace(`archive/${a.archive}`, `replay/${name}`))
    await advance(nimbus.current, 10_000)
    const replayed = await receiveBodies(sqs(), a.queue)
    assert.deepEqual(replayed.map((e) => e.detail.n), [1, 2])
    assert.deepEqual(Object.keys(replayed[0]), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'replay-name',
      'resources', 'detail'])
    assert.equal(replayed[0]['replay-name'], name)
    const described = await eb().send(new DescribeReplayCommand({ ReplayName: name }))
    assert.equal(described.State, 'COMPLETED')
    assert.ok(described.ReplayEndTime instanceof Date)
    assert.equal((await eb().send(new DescribeArchiveCommand({ ArchiveName: a.archive }))).EventCount, 3)
    assert.deepEqual((await eb().send(new ListReplaysCommand({ NamePrefix: name }))).Replays?.map((r) => r.State), ['COMPLETED'])
  })

  it('sends only to the rules in FilterArns, and can be cancelled', async () => {
    const a = await archivedBus()
    const other = await createQueue(sqs())
    const rule2 = uniqueName('rule')
    const { RuleArn } = await eb().send(new PutRuleCommand({ Name: rule2, EventBusName: a.bus, EventPattern: JSON.stringify({ source: [a.source] }) }))
    await eb().send(new PutTargetsCommand({ Rule: rule2, EventBusName: a.bus, Targets: [{ Id: 'q', Arn: other.arn }] }))
    const from = new Date(nimbus.current.clock.now())
    await a.put(1)
    await advance(nimbus.current, 120_000)
    await a.put(2)
    await advance(nimbus.current, 1000)
    await receiveBodies(sqs(), a.queue)
    await receiveBodies(sqs(), other)
    const name = uniqueName('replay')
    await eb().send(new StartReplayCommand({ ReplayName: name, EventSourceArn: a.archiveArn, EventStartTime: from,
      EventEndTime: new Date(nimbus.current.clock.now()), Destination: { Arn: busArn(a.bus), FilterArns: [RuleArn!] } }))
    // The first minute went out at once; cancel before the next step.
    const cancelled = await eb().send(new CancelReplayCommand({ ReplayName: name }))
    assert.equal(cancelled.State, 'CANCELLING')
    await advance(nimbus.current, 10_000)
    assert.equal((await eb().send(new DescribeReplayCommand({ ReplayName: name }))).State, 'CANCELLED')
    assert.deepEqual((await receiveBodies(sqs(), other)).map((e) => e.detail.n), [1])
    assert.deepEqual(await receiveBodies(sqs(), a.queue), [])
    const again = await sdkError(eb().send(new CancelReplayCommand({ ReplayName: name })))
    assert.equal(again.name, 'IllegalStatusException')
  })

  it('refuses bad replays with AWS\'s messages', async () => {
    const a = await archivedBus()
    const now = nimbus.current.clock.now()
    const base = { EventSourceArn: a.archiveArn, EventStartTime: new Date(now - 60_000), EventEndTime: new Date(now), Destination: { Arn: busArn(a.bus) } }
    const cross = await sdkError(eb().send(new StartReplayCommand({ ...base, ReplayName: uniqueName('r'), Destination: { Arn: busArn('default') } })))
    assert.equal(cross.message, 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.')
    const order = await sdkError(eb().send(new StartReplayCommand({ ...base, ReplayName: uniqueName('r'), EventStartTime: new Date(now) })))
    assert.equal(order.message, 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.')
    const missing = await sdkError(eb().send(new StartReplayCommand({ ...base, ReplayName: uniqueName('r'),
      EventSourceArn: a.archiveArn.replace(a.archive, 'nope') })))
    assert.equal(missing.message, 'Parameter EventSourceArn is not valid. Reason: Archive nope does not exist.')
    const name = uniqueName('r')
    await eb().send(new StartReplayCommand({ ...base, ReplayName: name }))
    const dup = await sdkError(eb().send(new StartReplayCommand({ ...base, ReplayName: name })))
    assert.equal(dup.name, 'ResourceAlreadyExistsException')
    assert.equal(dup.message, `Replay ${name} already exists.`)
  })
})
