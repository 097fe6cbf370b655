// A pending delivery survives its trip through a stored row: JSON with binary attributes as base64.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fromRow, toRow } from './pending-row.ts'
import type { Pending } from './types.ts'

const binary = new Uint8Array([0, 1, 2, 250, 255])

describe('pending rows', () => {
  it('round-trips a delivery through JSON, binary attributes of the payload and the dead letter included', () => {
    const pending: Pending = {
      seq: 7, dueAt: 2000, firstAt: 1000, attempts: 1, throttles: 0,
      delivery: {
        owner: 'sns', source: 'arn:aws:sns:r:1:t', target: 'https://example.com/', via: 'sns:http', id: 'm1', payload: 'hi',
        options: { headers: { a: 'b' }, attributes: { bin: { DataType: 'Binary', BinaryValue: binary }, s: { DataType: 'String', StringValue: 'x' } } },
        policy: { maxRetries: 3, backoff: { kind: 'fixed', delaysMs: [20_000, 20_000, 20_000] } },
        deadLetter: { target: 'arn:aws:sqs:r:1:dlq', payload: 'env', options: { attributes: { bin: { DataType: 'Binary.x', BinaryValue: Buffer.from('abc') } } } },
      },
    }
    const row = JSON.parse(JSON.stringify(toRow(pending))) as ReturnType<typeof toRow>
    assert.equal(row.delivery.options?.attributes?.bin?.BinaryValue as unknown, Buffer.from(binary).toString('base64'))
    const back = fromRow(row, 3)
    assert.deepEqual(back.delivery.options?.attributes?.bin?.BinaryValue, binary)
    assert.deepEqual(back.delivery.deadLetter?.options?.attributes?.bin?.BinaryValue, new Uint8Array(Buffer.from('abc')))
    assert.deepEqual({ ...back, delivery: undefined }, { seq: 3, dueAt: 2000, firstAt: 1000, attempts: 1, throttles: 0, delivery: undefined })
    assert.deepEqual(back.delivery.options?.attributes?.s, { DataType: 'String', StringValue: 'x' })
    assert.deepEqual(back.delivery.policy, pending.delivery.policy)
    // The Pending itself is untouched: the row holds copies of what it re-encoded.
    assert.equal(pending.delivery.options?.attributes?.bin?.BinaryValue, binary)
  })

  it('shares a delivery without binary values as is, and snapshots the counters', () => {
    const pending: Pending = { seq: 1, dueAt: 5, firstAt: 5, attempts: 0, throttles: 0,
      delivery: { owner: 'o', source: 's', target: 't', id: 'i', payload: 'p', policy: { maxRetries: 0, backoff: { kind: 'fixed', delaysMs: [] } } } }
    const row = toRow(pending)
    pending.attempts = 4
    assert.equal(row.delivery, pending.delivery)
    assert.equal(row.attempts, 0)
  })
})
