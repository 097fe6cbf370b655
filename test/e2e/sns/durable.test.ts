// SNS state across restarts on one data dir (in process): topics with every attribute, policy, data
// protection policy and tag; FIFO sequence and deduplication; subscriptions with their filter
// policies and raw delivery; pending confirmations, their tokens and the recorded email; the signing key.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  AddPermissionCommand, CreateTopicCommand, GetDataProtectionPolicyCommand, GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTagsForResourceCommand, ListTopicsCommand,
  PublishCommand, PutDataProtectionPolicyCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns'
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { type Nimbus, startNimbus } from '../../../src/index.ts'

const dirs: string[] = []
const running = new Set<Nimbus>()
after(async () => {
  for (const nimbus of running) await nimbus.stop()
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }))
})
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }

async function durableNimbus() {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-durable-sns-'))
  dirs.push(dataDir)
  const open = async () => {
    const nimbus = await startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
    running.add(nimbus)
    return nimbus
  }
  const state = { nimbus: await open() }
  const clients = () => ({
    sns: new SNSClient({ endpoint: state.nimbus.endpoint, region: 'us-east-1', credentials }),
    sqs: new SQSClient({ endpoint: state.nimbus.endpoint, region: 'us-east-1', credentials }),
  })
  return {
    get nimbus(): Nimbus {
      return state.nimbus
    },
    clients,
    restart: async () => {
      running.delete(state.nimbus)
      await state.nimbus.stop()
      state.nimbus = await open()
      return clients()
    },
    stop: () => {
      running.delete(state.nimbus)
      return state.nimbus.stop()
    },
    /** A URL Nimbus gave out before a restart, on this Nimbus's port. */
    here: (url: string) => {
      const { pathname, search } = new URL(url)
      return `${state.nimbus.endpoint}${pathname}${search}`
    },
  }
}

async function outbox(nimbus: Nimbus): Promise<{ type: string; subscribeUrl?: string; message: string }[]> {
  return ((await (await fetch(`${nimbus.endpoint}/_nimbus/sns/messages`)).json()) as { messages: { type: string; subscribeUrl?: string; message: string }[] }).messages
}

describe('SNS across restarts on a data dir', () => {
  it('keeps topics, their attributes, policies, tags and FIFO sequence and deduplication', async () => {
    const n = await durableNimbus()
    let { sns } = n.clients()
    const { TopicArn } = await sns.send(new CreateTopicCommand({
      Name: 'orders.fifo', Attributes: { FifoTopic: 'true', DisplayName: 'Orders' }, Tags: [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'dev' }],
    }))
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'ContentBasedDeduplication', AttributeValue: 'true' }))
    await sns.send(new AddPermissionCommand({ TopicArn, Label: 'friend', AWSAccountId: ['111122223333'], ActionName: ['Publish'] }))
    const dpp = JSON.stringify({ Name: 'p', Version: '2021-06-01', Statement: [] })
    await sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: TopicArn, DataProtectionPolicy: dpp }))
    const first = await sns.send(new PublishCommand({ TopicArn, Message: 'm1', MessageGroupId: 'g' }))
    const attributesBefore = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes

    ;({ sns } = await n.restart())
    assert.deepEqual((await sns.send(new ListTopicsCommand({}))).Topics, [{ TopicArn }])
    assert.deepEqual((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes, attributesBefore)
    assert.match(attributesBefore!.Policy!, /friend/)
    assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags,
      [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'dev' }])
    assert.equal((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: TopicArn }))).DataProtectionPolicy, dpp)
    // Within five minutes the same content is a duplicate: the first publish's id and sequence number.
    const again = await sns.send(new PublishCommand({ TopicArn, Message: 'm1', MessageGroupId: 'g' }))
    assert.equal(again.MessageId, first.MessageId)
    assert.equal(again.SequenceNumber, first.SequenceNumber)
    const next = await sns.send(new PublishCommand({ TopicArn, Message: 'm2', MessageGroupId: 'g' }))
    assert.ok(BigInt(next.SequenceNumber!) > BigInt(first.SequenceNumber!), 'the sequence keeps increasing across restarts')
    n.nimbus.clock.advance(5 * 60_000 + 1)
    const late = await sns.send(new PublishCommand({ TopicArn, Message: 'm1', MessageGroupId: 'g' }))
    assert.notEqual(late.MessageId, first.MessageId, 'the window has passed on the resumed clock')
    await n.stop()
  })

  it('keeps subscriptions with their filter policies, raw delivery, owner and deleted count', async () => {
    const n = await durableNimbus()
    let { sns, sqs } = n.clients()
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events' }))
    await sqs.send(new CreateQueueCommand({ QueueName: 'blue' }))
    await sqs.send(new CreateQueueCommand({ QueueName: 'gone' }))
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({
      TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:blue',
      Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ color: ['blue'] }) },
    }))
    const gone = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:gone' }))
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: gone.SubscriptionArn }))
    const subAttributes = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes

    ;({ sns, sqs } = await n.restart())
    assert.deepEqual((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes, subAttributes)
    assert.deepEqual((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions?.map((s) => s.SubscriptionArn), [SubscriptionArn])
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes?.SubscriptionsDeleted, '1')
    await sns.send(new PublishCommand({ TopicArn, Message: 'red one', MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } } }))
    await sns.send(new PublishCommand({ TopicArn, Message: 'blue one', MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' } } }))
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${n.nimbus.endpoint}/000000000000/blue`, MaxNumberOfMessages: 10 }))
    assert.deepEqual(Messages?.map((m) => m.Body), ['blue one'], 'filtered and raw, as before the restart')
    await n.stop()
  })

  it('keeps a pending confirmation: its recorded email and its token confirm after a restart', async () => {
    const n = await durableNimbus()
    let { sns } = n.clients()
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'mail' }))
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }))
    const before = await outbox(n.nimbus)

    ;({ sns } = await n.restart())
    const after = await outbox(n.nimbus)
    assert.deepEqual(after, before)
    assert.equal(after[0]?.type, 'SubscriptionConfirmation')
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions
    assert.equal(subs?.[0]?.SubscriptionArn, 'PendingConfirmation')
    const confirm = await fetch(n.here(after[0]!.subscribeUrl!))
    assert.equal(confirm.status, 200)
    const confirmed = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions?.[0]?.SubscriptionArn
    assert.match(confirmed!, /^arn:aws:sns:us-east-1:000000000000:mail:/)

    ;({ sns } = await n.restart())
    const attributes = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: confirmed }))).Attributes
    assert.equal(attributes?.PendingConfirmation, 'false')
    assert.equal(attributes?.ConfirmationWasAuthenticated, 'false')
    await n.stop()
  })

  it('expires a stored token on the resumed clock (two days)', async () => {
    const n = await durableNimbus()
    const { sns } = n.clients()
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'late' }))
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email-json', Endpoint: 'late@example.com' }))
    const [confirmation] = await outbox(n.nimbus)
    n.nimbus.clock.advance(2 * 24 * 3600_000)
    await n.restart()
    assert.equal((await fetch(n.here(confirmation!.subscribeUrl!))).status, 400)
    await n.stop()
  })

  it('keeps the signing key: a message signed before the restart names a certificate still served after it', async () => {
    const n = await durableNimbus()
    const { sns, sqs } = n.clients()
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'signed' }))
    await sqs.send(new CreateQueueCommand({ QueueName: 'inbox' }))
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:inbox' }))
    await sns.send(new PublishCommand({ TopicArn, Message: 'hello' }))
    const certUrl = async () => {
      const { Messages } = await n.clients().sqs.send(new ReceiveMessageCommand({
        QueueUrl: `${n.nimbus.endpoint}/000000000000/inbox`, VisibilityTimeout: 0,
      }))
      return (JSON.parse(Messages![0]!.Body!) as { SigningCertURL: string }).SigningCertURL
    }
    const url = new URL(await certUrl())
    const pem = await (await fetch(`${n.nimbus.endpoint}${url.pathname}`)).text()
    await n.restart()
    const served = await fetch(`${n.nimbus.endpoint}${new URL(await certUrl()).pathname}`)
    assert.equal(served.status, 200)
    assert.equal(await served.text(), pem)
    await n.stop()
  })

  it('forgets everything on reset, on disk too', async () => {
    const n = await durableNimbus()
    let { sns } = n.clients()
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'doomed' }))
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'x@example.com' }))
    n.nimbus.reset()
    ;({ sns } = await n.restart())
    assert.equal((await sns.send(new ListTopicsCommand({}))).Topics?.length ?? 0, 0)
    assert.deepEqual(await outbox(n.nimbus), [])
    await n.stop()
  })
})
