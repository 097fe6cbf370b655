// Attempt ids that are never retried are forgotten once their five minutes are over, not kept (with
// the messages they hold) for as long as the queue exists.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { limits } from './limits.ts'
import { ReceiveAttempts } from './receive-attempts.ts'

describe('ReceiveAttempts', () => {
  it('forgets expired attempts that were never retried when the next one is remembered', () => {
    const attempts = new ReceiveAttempts()
    attempts.remember('a', [], 0)
    attempts.remember('b', [], 1_000)
    attempts.remember('c', [], 2_000)
    assert.equal(attempts.size, 3)
    // 'a' and 'b' have expired; 'c' has not.
    attempts.remember('d', [], 1_000 + limits.receiveAttemptWindowMs)
    assert.equal(attempts.size, 2)
    assert.equal(attempts.replayable('a', 1_000 + limits.receiveAttemptWindowMs), undefined)
    assert.deepEqual(attempts.replayable('c', 1_000 + limits.receiveAttemptWindowMs), [])
  })

  it('a re-used attempt id takes its new expiry and place', () => {
    const attempts = new ReceiveAttempts()
    attempts.remember('a', [], 0)
    attempts.remember('b', [], 1_000)
    attempts.remember('a', [], 2_000)
    // 'b' expires first now; 'a' (re-used at 2 s) still stands.
    attempts.remember('c', [], 1_000 + limits.receiveAttemptWindowMs)
    assert.equal(attempts.size, 2)
    assert.deepEqual(attempts.replayable('a', 1_000 + limits.receiveAttemptWindowMs), [])
  })
})
