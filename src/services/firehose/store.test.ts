// The store's DELETING streams: kept (and their names taken) for limits.deletingMs of the clock, then
// gone — also when nobody asks about them again, so deleting many streams doesn't keep them all.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Clock } from '../../core/clock.ts'
import type { S3Settings } from './destination.ts'
import type { Delivery } from './delivery.ts'
import { limits } from './limits.ts'
import { FirehoseState } from './store.ts'

const settings: S3Settings = {
  RoleARN: 'arn:aws:iam::000000000000:role/r', BucketARN: 'arn:aws:s3:::b', BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
  CompressionFormat: 'UNCOMPRESSED', EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
}

describe('Firehose store: DELETING streams', () => {
  it('keeps a deleted stream DELETING for deletingMs, and forgets the expired ones as others are deleted', () => {
    let now = 0
    const clock = { now: () => now } as unknown as Clock
    const delivery = { forget: () => {} } as unknown as Delivery
    const state = new FirehoseState(clock, delivery)
    const make = (name: string) => state.create({ name, account: '000000000000', region: 'us-east-1', type: 'DirectPut', legacy: false, settings, source: undefined })
    for (let i = 0; i < 100; i++) state.delete(make(`s${i}`))
    assert.equal(state.deletingCount, 100)
    assert.ok(state.deleting('000000000000', 'us-east-1', 's7') !== undefined)
    now += limits.deletingMs
    // No one asks about s0…s99 again; deleting another stream lets them go.
    state.delete(make('last'))
    assert.equal(state.deletingCount, 1)
    assert.equal(state.deleting('000000000000', 'us-east-1', 's7'), undefined)
    assert.ok(state.deleting('000000000000', 'us-east-1', 'last') !== undefined)
  })
})
