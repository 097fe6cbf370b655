import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { TraceLog, TraceSequence } from '../fabric/trace.ts'
import { ApiCallLog } from './api-log.ts'
import { allEntries } from './trace-entries.ts'

describe('ApiCallLog', () => {
  it('keeps the newest calls in a ring, numbered in one sequence with the hops, read back as one timeline', () => {
    const sequence = new TraceSequence()
    const calls = new ApiCallLog(2, sequence)
    const hops = new TraceLog(2, sequence)
    const scope = { account: '111111111111', region: 'eu-west-1' }
    calls.record(1, 'sqs', 'SendMessage', 200, 0.25, 'r1', 'q', undefined, 'm1', scope)
    hops.record(2, 'arn:aws:s3:::b', 'arn:aws:sqs:eu-west-1:111111111111:q', 'r1', 'delivered', 1, 'm2')
    calls.record(3, 'events', 'PutEvents', 200, 1, 'r2', undefined, undefined, [{ EventId: 'e1' }, { ErrorCode: 'x' }, { EventId: 'e2' }], scope)
    calls.record(4, 's3', 'PutObject', 403, 2, 'r3', 'b', 'k', undefined, undefined)
    assert.equal(calls.total, 3)
    const entries = allEntries({ calls, hops })
    assert.deepEqual(entries.map((e) => [e.seq, e.kind, e.operation ?? e.outcome]), [[2, 'hop', 'delivered'], [3, 'api', 'PutEvents'], [4, 'api', 'PutObject']])
    assert.equal(entries[1]!.ref, 'e1,e2')
    assert.deepEqual([entries[2]!.resource, entries[2]!.detail, entries[2]!.status, entries[2]!.account], ['b', 'k', 403, undefined])
    assert.deepEqual(allEntries({ calls, hops }, 3).map((e) => e.seq), [4])
  })

  it('records nothing at capacity 0 (--no-trace)', () => {
    const sequence = new TraceSequence()
    const calls = new ApiCallLog(0, sequence)
    calls.record(1, 'sqs', 'SendMessage', 200, 0.25, 'r1', 'q', undefined, 'm1', undefined)
    assert.deepEqual([calls.total, calls.rows(), sequence.value], [0, [], 1])
  })
})
