// Each service's AWS retry policy, as the data it hands the fabric, stepped on a manual clock:
// Lambda async, EventBridge targets, SNS HTTP/S delivery policies, and S3 notifications (no retry).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ManualClock } from '../../src/core/clock.ts'
import { Fabric } from '../../src/fabric/fabric.ts'
import { DeliveryFailure } from '../../src/fabric/failure.ts'
import { noRetry, type RetryPolicy } from '../../src/fabric/policy.ts'
import type { Condition, Delivery } from '../../src/fabric/types.ts'
import { targetRetryPolicy } from '../../src/services/eventbridge/retry-policy.ts'
import { asyncRetryPolicy } from '../../src/services/lambda/retry-policy.ts'
import { defaultRetryPolicy, fabricRetryPolicy } from '../../src/services/sns/delivery-policy.ts'
import type { SqsPort } from '../../src/services/sqs/port.ts'
import { registerTargetKinds, type TargetPorts } from '../../src/services/target-kinds.ts'

const start = Date.UTC(2024, 0, 1)
const minute = 60_000

/** A target that fails as told; returns the attempts' clock offsets and how the delivery ended. */
function run(policy: RetryPolicy, fail: (attempt: number) => DeliveryFailure | undefined, advanceMs: number) {
  const clock = new ManualClock(start)
  const fabric = new Fabric({ clock, log: () => {} })
  const attempts: number[] = []
  let ended: { outcome: string; condition: Condition | undefined } | undefined
  let counts: { attempts: number; throttles: number } | undefined
  fabric.registerSender('target', (_d, n) => {
    attempts.push(clock.now() - start)
    const failure = fail(n)
    if (failure !== undefined) throw failure
  })
  fabric.registerOwner('svc', { settled: (_p, s) => {
    ended = { outcome: s.outcome, condition: s.condition }
    counts = { attempts: s.attempts, throttles: s.throttles }
  } })
  const delivery: Delivery = { owner: 'svc', source: 'arn:src', target: 'x', via: 'target', id: 'e', payload: '{}', policy }
  fabric.deliver(delivery)
  clock.advance(advanceMs)
  return { attempts, ended, counts }
}

const down = () => new DeliveryFailure('ERROR_FROM_TARGET', 'down', { retryable: true })
const throttled = () => new DeliveryFailure('TooManyRequestsException', 'slow down', { retryable: true, throttled: true })

describe('Lambda asynchronous invocation policy', () => {
  it('retries twice, about 1 minute and then 2 minutes apart', () => {
    const { attempts, ended } = run(asyncRetryPolicy(), down, 60 * minute)
    assert.deepEqual(attempts, [0, minute, 3 * minute])
    assert.deepEqual(ended, { outcome: 'failed', condition: 'RetriesExhausted' })
  })

  it('honours MaximumRetryAttempts 0 and 1', () => {
    assert.deepEqual(run(asyncRetryPolicy(0), down, 60 * minute).attempts, [0])
    assert.deepEqual(run(asyncRetryPolicy(1), down, 60 * minute).attempts, [0, minute])
  })

  it('gives up when the next retry would reach the maximum event age (a retry due at it is too late)', () => {
    const sixty = run(asyncRetryPolicy(2, 60), down, 60 * minute)
    assert.deepEqual(sixty.attempts, [0])
    assert.deepEqual(sixty.ended, { outcome: 'failed', condition: 'EventAgeExceeded' })
    assert.deepEqual(run(asyncRetryPolicy(2, 61), down, 60 * minute).attempts, [0, minute])
  })

  it('backs off throttles from 1 s doubling, without using up retries', () => {
    const { attempts, ended, counts } = run(asyncRetryPolicy(), (n) => n <= 3 ? throttled() : down(), 60 * minute)
    assert.deepEqual(attempts, [0, 1000, 3000, 7000, 7000 + minute, 7000 + 3 * minute])
    assert.deepEqual(ended, { outcome: 'failed', condition: 'RetriesExhausted' })
    assert.deepEqual(counts, { attempts: 6, throttles: 3 })
  })

  it('keeps backing off throttles until the event is too old', () => {
    const { attempts, ended, counts } = run(asyncRetryPolicy(2, 60), throttled, 60 * minute)
    assert.deepEqual(attempts.map((a) => a / 1000), [0, 1, 3, 7, 15, 31])
    assert.deepEqual(ended, { outcome: 'failed', condition: 'EventAgeExceeded' })
    assert.deepEqual(counts, { attempts: 6, throttles: 6 }, 'every attempt was a throttle: the function never ran')
  })
})

describe('EventBridge target policy', () => {
  it('defaults to 185 retries with exponential back-off capped at 5 minutes, within 24 hours', () => {
    const { attempts, ended } = run(targetRetryPolicy(undefined), down, 24 * 60 * minute)
    assert.equal(attempts.length, 186)
    assert.deepEqual(attempts.slice(0, 11).map((a) => a / 1000), [0, 1, 3, 7, 15, 31, 63, 127, 255, 511, 811])
    assert.ok(attempts.at(-1)! < 24 * 60 * minute)
    assert.deepEqual(ended, { outcome: 'failed', condition: 'RetriesExhausted' })
  })

  it('stops at MaximumEventAgeInSeconds (a retry due exactly at it still runs)', () => {
    const { attempts, ended } = run(targetRetryPolicy({ MaximumEventAgeInSeconds: 60 }), down, 10 * minute)
    assert.deepEqual(attempts.map((a) => a / 1000), [0, 1, 3, 7, 15, 31])
    assert.deepEqual(ended, { outcome: 'failed', condition: 'EventAgeExceeded' })
    assert.deepEqual(run(targetRetryPolicy({ MaximumEventAgeInSeconds: 63 }), down, 10 * minute).attempts.length, 7)
  })

  it('honours MaximumRetryAttempts and a Retry-After longer than the back-off', () => {
    assert.deepEqual(run(targetRetryPolicy({ MaximumRetryAttempts: 3 }), down, 10 * minute).attempts, [0, 1000, 3000, 7000])
    const retryAfter = () => new DeliveryFailure('ERROR_FROM_TARGET', '429', { retryable: true, retryAfterMs: 10_000 })
    assert.deepEqual(run(targetRetryPolicy({ MaximumRetryAttempts: 2 }), retryAfter, 10 * minute).attempts, [0, 10_000, 20_000])
  })

  it('sends a client error to the dead-letter step at once', () => {
    const { attempts, ended } = run(targetRetryPolicy(undefined), () => new DeliveryFailure('NO_RESOURCE', 'gone'), 10 * minute)
    assert.deepEqual(attempts, [0])
    assert.deepEqual(ended, { outcome: 'failed', condition: 'NotRetryable' })
  })
})

describe('SNS HTTP/S delivery policy', () => {
  it('defaults to three retries 20 seconds apart', () => {
    const { attempts, ended } = run(fabricRetryPolicy(defaultRetryPolicy), down, 10 * minute)
    assert.deepEqual(attempts.map((a) => a / 1000), [0, 20, 40, 60])
    assert.deepEqual(ended, { outcome: 'failed', condition: 'RetriesExhausted' })
  })

  it('follows a custom four-phase policy: immediate, minimum, backoff, maximum', () => {
    const policy = fabricRetryPolicy({ minDelayTarget: 1, maxDelayTarget: 10, numRetries: 8, numNoDelayRetries: 1,
      numMinDelayRetries: 2, numMaxDelayRetries: 2, backoffFunction: 'linear' })
    // Delays 0 | 1, 1 | 1, 6, 10 | 10, 10 seconds.
    assert.deepEqual(run(policy, down, 10 * minute).attempts.map((a) => a / 1000), [0, 0, 1, 2, 3, 9, 19, 29, 39])
  })

  it('delivers once the endpoint recovers', () => {
    const { attempts, ended } = run(fabricRetryPolicy(defaultRetryPolicy), (n) => n < 3 ? down() : undefined, 10 * minute)
    assert.deepEqual(attempts.map((a) => a / 1000), [0, 20, 40])
    assert.deepEqual(ended, { outcome: 'delivered', condition: undefined })
  })
})

describe('S3 notification to SQS', () => {
  it('is not retried when the queue is missing', () => {
    const clock = new ManualClock(start)
    const fabric = new Fabric({ clock, log: () => {} })
    let sends = 0
    const sqs = { exists: () => false, isFifo: () => false, send: () => (sends++, { messageId: 'm', sequenceNumber: undefined }) } as unknown as SqsPort
    registerTargetKinds(fabric, { sqs } as unknown as TargetPorts, clock)
    fabric.deliver({ owner: 's3', source: 'arn:aws:s3:::b', target: 'arn:aws:sqs:us-east-1:000000000000:gone', id: 'r', payload: '{}', policy: noRetry })
    clock.advance(24 * 60 * minute)
    assert.equal(sends, 0)
    assert.deepEqual(fabric.trace.read().map((h) => `${h.outcome} ${h.attempt}`), ['failed 1'])
    assert.deepEqual(fabric.listPending(), [])
  })
})
