// The console's timeline at GET /_nimbus/trace: the API calls the gateway answered beside the fabric's
// hops, in one numbering, filtered by service, resource and text, paged with `since`; the hop log's
// old fields stay for plain `?limit=` callers.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { consoleGet, consoleRead } from '../../helpers/console.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { standardQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()

describe('console trace timeline', () => {
  it('records each API call: service, operation, status, duration, resource, request id and the message id it made', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const queue = await standardQueue(sqs, {}, 'trace-api')
    const sent = await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'traced' })
    const failed = await sqs.fail('SendMessage', { QueueUrl: `${queue.url}-missing`, MessageBody: 'x' })
    assert.ok(failed.code)
    const { entries, next } = await consoleRead(nimbus.current, `/_nimbus/trace?service=sqs&resource=${encodeURIComponent(queue.name)}`)
    const send = entries.filter((e: { operation: string }) => e.operation === 'SendMessage')
    assert.equal(send.length, 2, 'the failed call too (its queue URL contains the name)')
    assert.deepEqual({ ...send[0], seq: 0, at: 0, durationMs: 0, requestId: '' }, { seq: 0, at: 0, kind: 'api', service: 'sqs',
      operation: 'SendMessage', status: 200, durationMs: 0, resource: queue.url, requestId: '', ref: sent.MessageId,
      account: '000000000000', region: 'us-east-1' })
    assert.ok(send[0].durationMs >= 0)
    assert.match(send[0].requestId, /\S/)
    assert.equal(send[1].status, 400)
    assert.ok(next >= send[1].seq)
    assert.ok(entries.every((e: { seq: number }, i: number) => i === 0 || e.seq > entries[i - 1].seq), 'in sequence order')
  })

  it('pages forward with since and limit, and finds entries by text', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const queue = await standardQueue(sqs, {}, 'trace-page')
    const start = (await consoleRead(nimbus.current, '/_nimbus/trace?limit=0')).next
    for (let i = 0; i < 5; i++) await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: `m${i}` })
    const first = await consoleRead(nimbus.current, `/_nimbus/trace?since=${start}&limit=3`)
    assert.equal(first.entries.length, 3)
    const second = await consoleRead(nimbus.current, `/_nimbus/trace?since=${first.next}&limit=3`)
    assert.equal(second.entries.length, 2)
    assert.equal(second.entries[0].seq, first.entries[2].seq + 1)
    const third = await consoleRead(nimbus.current, `/_nimbus/trace?since=${second.next}`)
    assert.deepEqual(third.entries, [])
    const byText = await consoleRead(nimbus.current, `/_nimbus/trace?q=${second.entries[1].requestId}`)
    assert.deepEqual(byText.entries.map((e: { seq: number }) => e.seq), [second.entries[1].seq])
  })

  it('keeps the hop log fields for a plain call and refuses a bad since', async () => {
    const plain = await consoleRead(nimbus.current, '/_nimbus/trace?limit=5')
    assert.ok(Array.isArray(plain.hops))
    assert.equal(plain.capacity, 10_000)
    assert.equal(typeof plain.total, 'number')
    const bad = await consoleGet(nimbus.current, '/_nimbus/trace?since=-1')
    assert.deepEqual([bad.status, bad.body.error], [400, 'InvalidSince'])
  })
})

describe('console trace switched off', () => {
  const off = useNimbus({ trace: false })
  it('records nothing with trace: false (--no-trace)', async () => {
    const sqs = sqsClient(off.current, 'json')
    await standardQueue(sqs, {}, 'untraced')
    const { entries } = await consoleRead(off.current, '/_nimbus/trace')
    assert.deepEqual(entries, [])
  })
})

describe('console trace capacity and --log-requests', () => {
  const lines: string[] = []
  const small = useNimbus({ traceCapacity: 3, logRequests: (line) => lines.push(line) })
  it('keeps the newest entries only and prints one line per call', async () => {
    const sqs = sqsClient(small.current, 'json')
    const queue = await standardQueue(sqs, {}, 'small')
    for (let i = 0; i < 4; i++) await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'x' })
    const { entries } = await consoleRead(small.current, '/_nimbus/trace')
    assert.deepEqual(entries.map((e: { operation: string }) => e.operation), ['SendMessage', 'SendMessage', 'SendMessage'])
    assert.equal(lines.length, 6, 'CreateQueue, GetQueueAttributes and four sends')
    assert.match(lines.at(-1)!, /^\[request\] sqs SendMessage 200 \d+\.\d ms$/)
  })
})
