// SNS and EventBridge survive `kill -9`: the built CLI on a data dir is killed while topics,
// subscriptions, FIFO publishes, rules and archived events are being written, then started again on
// the same folder. Every acknowledged write is there; FIFO sequence numbers keep increasing.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { describe, it } from 'node:test'
import {
  CreateArchiveCommand, DescribeArchiveCommand, EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, PutEventsCommand,
  PutRuleCommand, PutTargetsCommand,
} from '@aws-sdk/client-eventbridge'
import {
  CreateTopicCommand, GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand, PublishCommand, SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns'
import { killTestDir } from '../../helpers/spawn-cli.ts'

const { dataDir, processes } = killTestDir('nimbus-kill-sns-eb-')

const start = () => processes.start(['--data-dir', dataDir])

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }
const clients = (endpoint: string) => ({
  sns: new SNSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }),
  eb: new EventBridgeClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }),
})

describe('SNS and EventBridge on a data dir, killed with SIGKILL', () => {
  it('keeps every acknowledged topic, subscription, FIFO publish, rule and archived event', async () => {
    const first = await start()
    let { sns, eb } = clients(first.endpoint)
    const fifoArn = (await sns.send(new CreateTopicCommand({
      Name: 'orders.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' },
    }))).TopicArn!
    const { ArchiveArn } = await eb.send(new CreateArchiveCommand({
      ArchiveName: 'kept', EventSourceArn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
      EventPattern: JSON.stringify({ source: ['load'] }),
    }))
    assert.ok(ArchiveArn)

    const topics: string[] = []
    const subscriptions: [topic: string, arn: string][] = []
    const published: { body: string; id: string; sequence: string }[] = []
    const rules: string[] = []
    let events = 0
    let stop = false
    let cutOff = 0
    const guard = async (work: (i: number) => Promise<void>) => {
      for (let i = 0; !stop; i++) {
        try {
          await work(i)
        } catch {
          cutOff++
          return
        }
      }
    }
    const loops = [
      guard(async (i) => {
        const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `t-${i}`, Tags: [{ Key: 'n', Value: String(i) }] }))
        topics.push(TopicArn!)
        const { SubscriptionArn } = await sns.send(new SubscribeCommand({
          TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:q-${i}`,
          Attributes: { FilterPolicy: JSON.stringify({ n: [String(i)] }) }, ReturnSubscriptionArn: true,
        }))
        subscriptions.push([TopicArn!, SubscriptionArn!])
      }),
      guard(async (i) => {
        const { MessageId, SequenceNumber } = await sns.send(new PublishCommand({ TopicArn: fifoArn, Message: `m-${i}`, MessageGroupId: 'g' }))
        published.push({ body: `m-${i}`, id: MessageId!, sequence: SequenceNumber! })
      }),
      guard(async (i) => {
        await eb.send(new PutRuleCommand({ Name: `r-${i}`, EventPattern: JSON.stringify({ source: [`s-${i}`] }) }))
        await eb.send(new PutTargetsCommand({ Rule: `r-${i}`, Targets: [{ Id: 'q', Arn: `arn:aws:sqs:us-east-1:000000000000:q-${i}` }] }))
        rules.push(`r-${i}`)
      }),
      guard(async (i) => {
        const { FailedEntryCount } = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'load', DetailType: 'x', Detail: JSON.stringify({ i }) }] }))
        assert.equal(FailedEntryCount, 0)
        events++
      }),
    ]
    while (topics.length + published.length + rules.length + events < 200) await new Promise((r) => setImmediate(r))
    await processes.kill(first)
    stop = true
    await Promise.all(loops)
    assert.ok(cutOff > 0, 'the kill cut off writes in flight')
    sns.destroy()
    eb.destroy()

    const second = await start()
    ;({ sns, eb } = clients(second.endpoint))
    const listedTopics = new Set<string>()
    for (let token: string | undefined; ;) {
      const page = await sns.send(new ListTopicsCommand({ NextToken: token }))
      for (const t of page.Topics ?? []) listedTopics.add(t.TopicArn!)
      token = page.NextToken
      if (token === undefined) break
    }
    for (const arn of topics) assert.ok(listedTopics.has(arn), `topic ${arn} is there`)
    for (const [topic, arn] of subscriptions) {
      const listed = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions ?? []
      assert.deepEqual(listed.map((s) => s.SubscriptionArn), [arn])
    }
    const [lastTopic, lastSub] = subscriptions.at(-1)!
    const attributes = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: lastSub }))).Attributes!
    assert.equal(attributes.TopicArn, lastTopic)
    assert.match(attributes.FilterPolicy!, /"n"/)

    // FIFO: every acknowledged publish is still a duplicate within the window (same id and sequence number).
    assert.ok(published.length > 0)
    for (const p of [published[0]!, published.at(-1)!]) {
      const again = await sns.send(new PublishCommand({ TopicArn: fifoArn, Message: p.body, MessageGroupId: 'g' }))
      assert.deepEqual([again.MessageId, again.SequenceNumber], [p.id, p.sequence])
    }
    const next = await sns.send(new PublishCommand({ TopicArn: fifoArn, Message: 'after', MessageGroupId: 'g' }))
    assert.ok(BigInt(next.SequenceNumber!) > BigInt(published.at(-1)!.sequence), 'sequence numbers keep increasing')

    const ruleNames = new Set<string>()
    for (let token: string | undefined; ;) {
      const page = await eb.send(new ListRulesCommand({ NextToken: token }))
      for (const r of page.Rules ?? []) ruleNames.add(r.Name!)
      token = page.NextToken
      if (token === undefined) break
    }
    for (const name of rules) assert.ok(ruleNames.has(name), `rule ${name} is there`)
    const targets = (await eb.send(new ListTargetsByRuleCommand({ Rule: rules.at(-1)! }))).Targets
    assert.equal(targets?.length, 1)
    const archived = (await eb.send(new DescribeArchiveCommand({ ArchiveName: 'kept' }))).EventCount!
    assert.ok(archived >= events && archived <= events + 1, `${events} acknowledged events archived (found ${archived})`)

    sns.destroy()
    eb.destroy()
    second.child.kill('SIGTERM')
    assert.deepEqual(await once(second.child, 'exit'), [0, null])
  })
})
