// SQS state across restarts on one data dir (in process): dead-letter moves, purges, deleted queues
// and their name cooldown, delays, visibility changes, binary attributes, and a reset that empties it.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteQueueCommand, GetQueueUrlCommand, ListQueuesCommand,
  PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient,
} from '@aws-sdk/client-sqs'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

/** A Nimbus on a fresh data dir, and a way to stop it and start another on the same folder. */
async function durableNimbus() {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-durable-'))
  dirs.push(dataDir)
  const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
  const state = { nimbus: await open() }
  const sqs = () => new SQSClient({
    endpoint: state.nimbus.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  })
  const url = (name: string) => `${state.nimbus.endpoint}/000000000000/${name}`
  return {
    get nimbus(): Nimbus {
      return state.nimbus
    },
    sqs, url,
    restart: async () => {
      await state.nimbus.stop()
      state.nimbus = await open()
      return sqs()
    },
    stop: () => state.nimbus.stop(),
  }
}

const bodies = async (sqs: SQSClient, QueueUrl: string, VisibilityTimeout = 3600) =>
  ((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout }))).Messages ?? []).map((m) => m.Body)

describe('SQS across restarts on a data dir', () => {
  it('keeps dead-letter moves, with the source ARN and the receive count', async () => {
    const n = await durableNimbus()
    let sqs = n.sqs()
    await sqs.send(new CreateQueueCommand({ QueueName: 'dlq' }))
    const dlqArn = 'arn:aws:sqs:us-east-1:000000000000:dlq'
    await sqs.send(new CreateQueueCommand({
      QueueName: 'work', Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) },
    }))
    await sqs.send(new SendMessageCommand({ QueueUrl: n.url('work'), MessageBody: 'poison' }))
    assert.deepEqual(await bodies(sqs, n.url('work'), 10), ['poison'])
    n.nimbus.clock.advance(10_000)
    assert.deepEqual(await bodies(sqs, n.url('work')), [], 'moved to the dead-letter queue on this receive')
    sqs = await n.restart()
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: n.url('dlq'), MessageSystemAttributeNames: ['All'] }))
    assert.equal(Messages?.[0]?.Body, 'poison')
    assert.equal(Messages[0]!.Attributes?.DeadLetterQueueSourceArn, 'arn:aws:sqs:us-east-1:000000000000:work')
    assert.equal(Messages[0]!.Attributes?.ApproximateReceiveCount, '2')
    assert.deepEqual(await bodies(sqs, n.url('work')), [])
    await n.stop()
  })

  it('keeps purges (and the 60-second purge interval) and deleted queues (and their name cooldown)', async () => {
    const n = await durableNimbus()
    let sqs = n.sqs()
    await sqs.send(new CreateQueueCommand({ QueueName: 'purged' }))
    await sqs.send(new CreateQueueCommand({ QueueName: 'deleted' }))
    await sqs.send(new SendMessageCommand({ QueueUrl: n.url('purged'), MessageBody: 'x' }))
    await sqs.send(new PurgeQueueCommand({ QueueUrl: n.url('purged') }))
    await sqs.send(new DeleteQueueCommand({ QueueUrl: n.url('deleted') }))
    sqs = await n.restart()
    assert.deepEqual(await bodies(sqs, n.url('purged')), [])
    assert.equal((await sdkError(sqs.send(new PurgeQueueCommand({ QueueUrl: n.url('purged') })))).name, 'PurgeQueueInProgress')
    assert.equal((await sdkError(sqs.send(new GetQueueUrlCommand({ QueueName: 'deleted' })))).name, 'QueueDoesNotExist')
    assert.equal((await sdkError(sqs.send(new CreateQueueCommand({ QueueName: 'deleted' })))).name, 'QueueDeletedRecently')
    n.nimbus.clock.advance(61_000)
    await sqs.send(new CreateQueueCommand({ QueueName: 'deleted' }))
    await n.stop()
  })

  it('keeps delays, visibility changes and binary attributes', async () => {
    const n = await durableNimbus()
    let sqs = n.sqs()
    await sqs.send(new CreateQueueCommand({ QueueName: 'timed' }))
    await sqs.send(new SendMessageCommand({ QueueUrl: n.url('timed'), MessageBody: 'later', DelaySeconds: 60 }))
    await sqs.send(new SendMessageCommand({
      QueueUrl: n.url('timed'), MessageBody: 'held', MessageAttributes: { raw: { DataType: 'Binary', BinaryValue: Uint8Array.of(0, 1, 254) } },
    }))
    const held = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: n.url('timed'), VisibilityTimeout: 30 }))).Messages![0]!
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: n.url('timed'), ReceiptHandle: held.ReceiptHandle, VisibilityTimeout: 600 }))
    sqs = await n.restart()
    assert.deepEqual(await bodies(sqs, n.url('timed')), [])
    n.nimbus.clock.advance(60_000)
    assert.deepEqual(await bodies(sqs, n.url('timed')), ['later'])
    n.nimbus.clock.advance(540_000)
    // The SDK checks the attributes' MD5 on receive, so the bytes came back exactly.
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: n.url('timed'), MessageAttributeNames: ['All'] }))
    assert.equal(Messages?.[0]?.Body, 'held')
    assert.deepEqual([...Messages[0]!.MessageAttributes!.raw!.BinaryValue!], [0, 1, 254])
    await n.stop()
  })

  it('forgets everything on reset, on disk too', async () => {
    const n = await durableNimbus()
    let sqs = n.sqs()
    await sqs.send(new CreateQueueCommand({ QueueName: 'doomed' }))
    await sqs.send(new SendMessageCommand({ QueueUrl: n.url('doomed'), MessageBody: 'x' }))
    n.nimbus.reset()
    sqs = await n.restart()
    assert.equal((await sqs.send(new ListQueuesCommand({}))).QueueUrls, undefined)
    await n.stop()
  })
})
