// Retries, back-off and dead-lettering of EventBridge targets through the fabric on a manual clock,
// with targets that fail on demand (no in-process service fails retryably on its own, so these
// paths are exercised here).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ManualClock } from '../../core/clock.ts'
import { Fabric } from '../../fabric/fabric.ts'
import { DeliveryFailure } from '../../fabric/failure.ts'
import type { Delivery } from '../../fabric/types.ts'
import { AwsError } from '../../protocol/errors.ts'
import { apiDestinationSender, Deliverer, type DeliveryJob } from './delivery.ts'
import { buildEvent, ingested } from './event.ts'
import type * as T from './generated/types.ts'

const start = Date.UTC(2024, 0, 1)

function setup(fail: (target: Delivery, attempt: number) => unknown) {
  const clock = new ManualClock(start)
  const fabric = new Fabric({ clock, log: () => {} })
  const dlq: Delivery[] = []
  const attempts: { id: string; at: number }[] = []
  fabric.registerTarget({
    service: 'sqs',
    send: (d) => {
      if (d.target.endsWith(':dlq')) return void dlq.push(d)
      const id = String(d.options?.groupId)
      const n = attempts.filter((a) => a.id === id).length
      attempts.push({ id, at: clock.now() - start })
      const error = fail(d, n)
      if (error !== undefined) throw error
    },
  })
  const deliverer = new Deliverer(clock, fabric, () => {})
  const event = ingested(buildEvent({ source: 's', detailType: 'd', detail: {}, account: '1', region: 'r', timeMs: start, resources: [] }), start)
  const job = (target: Partial<T.Target>): DeliveryJob =>
    ({ rule: { name: 'r', arn: 'arn:rule' }, target: { Id: 't', Arn: 'arn:aws:sqs:r:1:q', ...target }, ingested: event })
  return { clock, fabric, dlq, attempts, deliverer, job }
}

const attribute = (d: Delivery, name: string) => d.options?.attributes?.[name]?.StringValue
/** Targets are told apart by their Id, which the test's SQS kind reads back from the job's group id. */
const tagged = (id: string, more: Partial<T.Target> = {}): Partial<T.Target> => ({ Id: id, SqsParameters: { MessageGroupId: id }, ...more })

describe('EventBridge delivery retries', () => {
  it('retries retryable failures with doubling back-off and dead-letters after MaximumRetryAttempts', () => {
    const { clock, dlq, attempts, deliverer, job } = setup(() => new AwsError('ThrottlingException', 'slow down', { status: 429 }))
    deliverer.dispatch([job({ RetryPolicy: { MaximumRetryAttempts: 3 }, DeadLetterConfig: { Arn: 'arn:aws:sqs:r:1:dlq' } })])
    clock.advance(60_000)
    assert.deepEqual(attempts.map((a) => a.at), [0, 1000, 3000, 7000])
    assert.equal(dlq.length, 1)
    assert.equal(attribute(dlq[0]!, 'ERROR_CODE'), 'ERROR_FROM_TARGET')
    assert.equal(attribute(dlq[0]!, 'ERROR_MESSAGE'), 'slow down')
    assert.equal(attribute(dlq[0]!, 'RETRY_ATTEMPTS'), '3')
    assert.equal(attribute(dlq[0]!, 'EXHAUSTED_RETRY_CONDITION'), 'MaximumRetryAttempts')
    assert.equal(attribute(dlq[0]!, 'RULE_ARN'), 'arn:rule')
    assert.equal(attribute(dlq[0]!, 'TARGET_ARN'), 'arn:aws:sqs:r:1:q')
    assert.equal(JSON.parse(dlq[0]!.payload).source, 's')
  })

  it('stops at MaximumEventAgeInSeconds', () => {
    const { clock, dlq, attempts, deliverer, job } = setup(() => new Error('boom'))
    deliverer.dispatch([job({ RetryPolicy: { MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: 'arn:aws:sqs:r:1:dlq' } })])
    clock.advance(10 * 60_000)
    // 0, 1, 3, 7, 15, 31 s; the next (63 s) would be past the 60 s age.
    assert.deepEqual(attempts.map((a) => a.at / 1000), [0, 1, 3, 7, 15, 31])
    assert.equal(attribute(dlq[0]!, 'EXHAUSTED_RETRY_CONDITION'), 'MaximumEventAgeInSeconds')
    assert.equal(attribute(dlq[0]!, 'RETRY_ATTEMPTS'), '5')
  })

  it('keeps retrying for 24 hours by default and delivers once the target recovers', () => {
    const { clock, dlq, attempts, deliverer, job } = setup((_t, n) => n < 12 ? new Error('down') : undefined)
    deliverer.dispatch([job({})])
    clock.advance(86_400_000)
    assert.equal(attempts.length, 13)
    assert.equal(dlq.length, 0)
  })

  it('sends client errors straight to the DLQ and never holds up the other targets', () => {
    const { clock, dlq, attempts, deliverer, job } = setup((d) =>
      d.options?.groupId === 'gone' ? new DeliveryFailure('NO_RESOURCE', 'Target does not exist.') : undefined)
    deliverer.dispatch([job(tagged('gone', { DeadLetterConfig: { Arn: 'arn:aws:sqs:r:1:dlq' } })), job(tagged('fine'))])
    clock.advance(0)
    assert.deepEqual(attempts.map((a) => a.id), ['gone', 'fine'])
    assert.equal(attribute(dlq[0]!, 'ERROR_CODE'), 'NO_RESOURCE')
    assert.equal(attribute(dlq[0]!, 'RETRY_ATTEMPTS'), '0')
    assert.equal(dlq[0]!.options?.attributes?.EXHAUSTED_RETRY_CONDITION, undefined)
  })

  it('waits for asynchronous (HTTP) attempts and honours Retry-After when it is longer than the back-off', async () => {
    const clock = new ManualClock(start)
    const fabric = new Fabric({ clock, log: () => {} })
    const attempts: number[] = []
    fabric.registerSender(apiDestinationSender, async () => {
      attempts.push(clock.now() - start)
      if (attempts.length === 1) throw new DeliveryFailure('ERROR_FROM_TARGET', 'status code 429', { retryable: true, retryAfterMs: 10_000 })
    })
    const deliverer = new Deliverer(clock, fabric, () => {})
    const event = ingested(buildEvent({ source: 's', detailType: 'd', detail: {}, account: '1', region: 'r', timeMs: start, resources: [] }), start)
    deliverer.dispatch([{ rule: { name: 'r', arn: 'arn:rule' }, target: { Id: 't', Arn: 'arn:aws:events:r:1:api-destination/x/y' }, ingested: event }])
    clock.advance(0)
    assert.equal(deliverer.inFlight, 1, 'the first attempt is on the wire')
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(deliverer.inFlight, 0)
    clock.advance(9_999)
    assert.deepEqual(attempts, [0], 'no retry before Retry-After (10 s), although the back-off is 1 s')
    clock.advance(1)
    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(attempts, [0, 10_000])
  })

  it('drops undeliverable events when there is no DLQ, and forgets retries on clear()', () => {
    const { clock, attempts, deliverer, job } = setup(() => new Error('down'))
    deliverer.dispatch([job({})])
    clock.advance(1500)
    deliverer.clear()
    clock.advance(86_400_000)
    assert.equal(attempts.length, 2)
  })
})
