// Nimbus's own endpoints: health (also at LocalStack's path), the manual clock, reset.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'

const nimbus = useNimbus()

describe('internal API', () => {
  it('reports health at /_nimbus/health and /_localstack/health', async () => {
    for (const path of ['/_nimbus/health', '/_localstack/health']) {
      const response = await rawRequest(nimbus.current.endpoint, { method: 'GET', path })
      assert.equal(response.status, 200)
      const body = JSON.parse(response.body) as { services: Record<string, unknown>; clock: { mode: string } }
      assert.ok(body.services.sqs, `${path} lists sqs`)
      assert.equal(body.clock.mode, 'manual')
    }
  })

  it('moves a manual clock with POST /_nimbus/clock and rejects bad advances', async () => {
    const before = nimbus.current.clock.now()
    const ok = await rawRequest(nimbus.current.endpoint, { path: '/_nimbus/clock', headers: jsonHeaders, body: JSON.stringify({ advanceMs: 90_000 }) })
    assert.equal(ok.status, 200)
    assert.equal((JSON.parse(ok.body) as { now: number }).now, before + 90_000)
    for (const body of ['{"advanceMs": -1}', '{"advanceMs": "soon"}', 'not json']) {
      const bad = await rawRequest(nimbus.current.endpoint, { path: '/_nimbus/clock', headers: jsonHeaders, body })
      assert.equal(bad.status, 400, body)
    }
    assert.equal(nimbus.current.clock.now(), before + 90_000)
  })

  it('sets a manual clock forward with setTo (ISO or epoch ms) and refuses to move it back', async () => {
    const post = (body: unknown) => rawRequest(nimbus.current.endpoint, { path: '/_nimbus/clock', headers: jsonHeaders, body: JSON.stringify(body) })
    const target = Date.UTC(2099, 0, 1)
    const set = await post({ setTo: '2099-01-01T00:00:00Z' })
    assert.equal(set.status, 200)
    assert.deepEqual(JSON.parse(set.body), { mode: 'manual', now: target, iso: '2099-01-01T00:00:00.000Z' })
    assert.equal(nimbus.current.clock.now(), target)
    const byMs = await post({ setTo: target + 60_000 })
    assert.equal((JSON.parse(byMs.body) as { now: number }).now, target + 60_000)
    // A zone-less time is UTC, as AWS's timestamps are.
    assert.equal((JSON.parse((await post({ setTo: '2099-01-01T00:02:00' })).body) as { now: number }).now, target + 120_000)
    const back = await post({ setTo: '2098-12-31T23:00:00Z' })
    assert.equal(back.status, 400)
    assert.deepEqual(JSON.parse(back.body), { error: 'ClockMovesForwardOnly', message: 'setTo 2098-12-31T23:00:00.000Z is before the '
      + 'clock\'s time 2099-01-01T00:02:00.000Z: the clock only moves forward (start Nimbus again to begin earlier).' })
    for (const body of [{ setTo: 'tomorrow' }, { setTo: '2099-13-45T00:00:00Z' }, { setTo: true }, { setTo: target, advanceMs: 1 }]) {
      assert.equal((await post(body)).status, 400, JSON.stringify(body))
    }
    assert.equal(nimbus.current.clock.now(), target + 120_000)
  })

  it('moves time for SQS: a message delayed 15 minutes appears after advancing the clock', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: uniqueName('clock') })
    await sqs.call('SendMessage', { QueueUrl, MessageBody: 'later', DelaySeconds: 900 })
    assert.equal((await sqs.call('ReceiveMessage', { QueueUrl })).Messages, undefined)
    await rawRequest(nimbus.current.endpoint, { path: '/_nimbus/clock', headers: jsonHeaders, body: JSON.stringify({ advanceMs: 900_000 }) })
    assert.equal((await sqs.call('ReceiveMessage', { QueueUrl })).Messages?.[0]?.Body, 'later')
  })

  it('drops all state on POST /_nimbus/reset', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    await sqs.call('CreateQueue', { QueueName: uniqueName('reset') })
    const response = await rawRequest(nimbus.current.endpoint, { path: '/_nimbus/reset', headers: jsonHeaders, body: '' })
    assert.equal(response.status, 200)
    assert.equal((await sqs.call('ListQueues', {})).QueueUrls, undefined)
  })

  it('answers 404 for unknown internal paths', async () => {
    const response = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/_nimbus/nothing' })
    assert.equal(response.status, 404)
  })
})
