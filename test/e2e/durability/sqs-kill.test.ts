// SQS survives `kill -9`: the built CLI on a data dir is killed while sends are in flight and started
// again on the same folder. Every acknowledged write is there once, in-flight messages come back when
// their visibility deadline passes on the resumed clock, FIFO order and receive counts are kept.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import {
  CreateQueueCommand, DeleteMessageBatchCommand, DeleteMessageCommand, GetQueueAttributesCommand, ListQueuesCommand, ListQueueTagsCommand,
  type Message, ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand, SQSClient, TagQueueCommand,
} from '@aws-sdk/client-sqs'
import { rawRequest } from '../../helpers/raw-http.ts'
import { cli, killTestDir } from '../../helpers/spawn-cli.ts'

const { dataDir, processes } = killTestDir('nimbus-kill-')

const start = (args: string[]) => processes.start(args)

function client(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 })
}

async function clockNow(endpoint: string): Promise<number> {
  const res = await rawRequest(endpoint, { method: 'GET', path: '/_nimbus/clock' })
  return (JSON.parse(res.body.toString()) as { now: number }).now
}

async function advance(endpoint: string, ms: number): Promise<void> {
  const res = await rawRequest(endpoint, {
    method: 'POST', path: '/_nimbus/clock', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }),
  })
  assert.equal(res.status, 200)
}

/**
 * Receives until the queue answers empty, each message hidden for an hour so none repeats. `remove`
 * deletes each batch: a FIFO group stays locked while any of its messages is in flight.
 */
async function drain(sqs: SQSClient, QueueUrl: string, remove = false): Promise<Message[]> {
  const all: Message[] = []
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({
      QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 3600, MessageSystemAttributeNames: ['All'],
    }))
    if (Messages === undefined || Messages.length === 0) return all
    all.push(...Messages)
    if (remove) {
      await sqs.send(new DeleteMessageBatchCommand({
        QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }))
    }
  }
}

describe('SQS on a data dir, killed with SIGKILL', () => {
  it('keeps every acknowledged write, in-flight messages, FIFO order and receive counts', async () => {
    const first = await start(['--data-dir', dataDir])
    let sqs = client(first.endpoint)
    const std = (await sqs.send(new CreateQueueCommand({ QueueName: 'jobs', tags: { team: 'a' } }))).QueueUrl!
    const fifo = (await sqs.send(new CreateQueueCommand({
      QueueName: 'orders.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
    }))).QueueUrl!
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: std, Attributes: { VisibilityTimeout: '45' } }))
    await sqs.send(new TagQueueCommand({ QueueUrl: std, Tags: { env: 'test' } }))
    for (const body of ['s0', 's1', 's2', 's3', 's4']) await sqs.send(new SendMessageCommand({ QueueUrl: std, MessageBody: body }))
    const inFlight = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: std, MaxNumberOfMessages: 3, VisibilityTimeout: 100 }))).Messages!
    assert.deepEqual(inFlight.map((m) => m.Body), ['s0', 's1', 's2'])
    await sqs.send(new DeleteMessageCommand({ QueueUrl: std, ReceiptHandle: inFlight[2]!.ReceiptHandle }))
    for (const [group, body] of [['g1', 'a1'], ['g1', 'a2'], ['g1', 'a3'], ['g2', 'b1'], ['g2', 'b2']] as const) {
      await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: body, MessageGroupId: group }))
    }
    const a1 = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: fifo, VisibilityTimeout: 100 }))).Messages![0]!
    assert.equal(a1.Body, 'a1')
    const lastSequence = (await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'b3', MessageGroupId: 'g2' }))).SequenceNumber!
    await advance(first.endpoint, 5_000)
    const clockBefore = await clockNow(first.endpoint)

    // Four senders in a loop to the standard queue and one, in order, to a FIFO group; the kill lands
    // while some of their sends are on the wire.
    const acknowledged = new Map<string, string>()
    const fifoAcknowledged: string[] = []
    let stop = false
    let cutOff = 0
    const loop = async (n: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: std, MessageBody: `k${n}-${i}` }))
          acknowledged.set(MessageId!, `k${n}-${i}`)
        } catch {
          cutOff++
          return
        }
      }
    }
    const fifoLoop = async () => {
      for (let i = 0; !stop; i++) {
        try {
          await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: `f-${i}`, MessageGroupId: 'kill' }))
          fifoAcknowledged.push(`f-${i}`)
        } catch {
          cutOff++
          return
        }
      }
    }
    const loops = [...[0, 1, 2, 3].map(loop), fifoLoop()]
    while (acknowledged.size < 200) await new Promise((r) => setImmediate(r))
    await processes.kill(first)
    stop = true
    await Promise.all(loops)
    assert.ok(cutOff > 0, 'the kill cut off sends in flight')
    sqs.destroy()

    const second = await start(['--data-dir', dataDir])
    sqs = client(second.endpoint)
    const std2 = `${second.endpoint}/000000000000/jobs`
    const fifo2 = `${second.endpoint}/000000000000/orders.fifo`
    assert.equal(await clockNow(second.endpoint), clockBefore, 'the manual clock resumes where it stood')
    const urls = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []
    assert.deepEqual(urls.map((u) => u.split('/').pop()).sort(), ['jobs', 'orders.fifo'])
    assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: std2 }))).Tags, { team: 'a', env: 'test' })
    const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: std2, AttributeNames: ['All'] }))).Attributes!
    assert.equal(attributes.VisibilityTimeout, '45')
    assert.equal(attributes.ApproximateNumberOfMessagesNotVisible, '2')

    // A receipt handle from before the crash still works while its message is in flight (as on AWS).
    await sqs.send(new DeleteMessageCommand({ QueueUrl: std2, ReceiptHandle: inFlight[1]!.ReceiptHandle }))

    const visible = await drain(sqs, std2)
    const ids = visible.map((m) => m.MessageId!)
    assert.equal(new Set(ids).size, ids.length, 'no message twice')
    for (const [id, body] of acknowledged) {
      assert.equal(visible.find((m) => m.MessageId === id)?.Body, body, `acknowledged send ${body} is there`)
    }
    const bodies = new Set(visible.map((m) => m.Body))
    for (const gone of ['s0', 's1', 's2']) assert.ok(!bodies.has(gone), `${gone} is not visible`)
    assert.ok(bodies.has('s3') && bodies.has('s4'))
    // Anything else is a send that committed but whose answer the kill cut off: allowed, but only ours.
    for (const m of visible) assert.match(m.Body!, /^(s[34]|k\d-\d+)$/)

    // FIFO: g1 is locked by the in-flight a1; g2 and the group sent to during the kill come in order.
    const fifoVisible = await drain(sqs, fifo2, true)
    const group = (id: string) => fifoVisible.filter((m) => m.Attributes?.MessageGroupId === id).map((m) => m.Body)
    assert.deepEqual(group('g1'), [])
    assert.deepEqual(group('g2'), ['b1', 'b2', 'b3'])
    const killGroup = group('kill')
    assert.ok(fifoAcknowledged.length > 0)
    assert.deepEqual(killGroup.slice(0, fifoAcknowledged.length), fifoAcknowledged, 'every acknowledged FIFO send, once, in order')
    // At most the one send whose answer the kill cut off committed after them.
    assert.ok(killGroup.length - fifoAcknowledged.length <= 1)
    // The deduplication window survived: the same body in g1 answers with the original id.
    const again = await sqs.send(new SendMessageCommand({ QueueUrl: fifo2, MessageBody: 'a1', MessageGroupId: 'g1' }))
    assert.equal(again.MessageId, a1.MessageId)
    const next = await sqs.send(new SendMessageCommand({ QueueUrl: fifo2, MessageBody: 'c1', MessageGroupId: 'g3' }))
    assert.ok(BigInt(next.SequenceNumber!) > BigInt(lastSequence), 'sequence numbers keep increasing')

    // The visibility deadlines pass on the resumed clock: s0 and a1 come back, received once before.
    await advance(second.endpoint, 100_000)
    const back = await drain(sqs, std2)
    assert.deepEqual(back.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount]), [['s0', '2']])
    const g1 = (await sqs.send(new ReceiveMessageCommand({
      QueueUrl: fifo2, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }))).Messages!
    assert.deepEqual(g1.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount]), [['a1', '2'], ['a2', '1'], ['a3', '1'], ['c1', '1']])
    sqs.destroy()
    second.child.kill('SIGTERM')
    assert.deepEqual(await once(second.child, 'exit'), [0, null])
  })

  it('refuses a data dir that is a file, with a clear message', async () => {
    const file = join(dataDir, 'a-file')
    writeFileSync(file, 'not a folder')
    const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--data-dir', file], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    const [code] = await once(child, 'exit')
    assert.equal(code, 1)
    assert.match(err, /--data-dir .*a-file is a file, not a folder/)
  })
})
