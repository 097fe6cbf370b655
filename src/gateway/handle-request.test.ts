import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ManualClock } from '../core/clock.ts'
import { ServiceModel } from '../protocol/model.ts'
import type { HttpRequest } from '../protocol/http.ts'
import { model } from '../services/sqs/generated/model.ts'
import { eagerService } from '../services/lazy.ts'
import { defineService } from '../services/service.ts'
import { AwsError } from '../protocol/errors.ts'
import { handleRequest } from './handle-request.ts'
import { indexServices } from './identify-service.ts'

function jsonRequest(operation: string, body: unknown): HttpRequest {
  return {
    method: 'POST', rawPath: '/', query: new URLSearchParams(),
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}`, host: 'localhost',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0' },
    body: Buffer.from(JSON.stringify(body)),
  }
}

describe('handleRequest', () => {
  const logged: string[] = []
  const service = defineService({
    name: 'sqs', signingName: 'sqs', model: new ServiceModel(model), protocols: ['json', 'query'],
    operations: {
      ListQueues: () => {
        throw new TypeError('a bug')
      },
      ListQueueTags: () => ({ Tags: { a: 'b' } }),
    },
    errors: { missingParameter: (name) => new AwsError('MissingParameter', `missing ${name}`) },
    reset: () => {},
  })
  const deps = {
    index: indexServices([eagerService(service)]), clock: new ManualClock(0), defaultRegion: 'us-east-1', log: (l: string) => logged.push(l),
  }
  const signal = new AbortController().signal

  it('turns an unexpected exception into InternalFailure 500, logged with the request id, no stack to the client', async () => {
    const response = await handleRequest(jsonRequest('ListQueues', {}), deps, signal)
    assert.equal(response.status, 500)
    const body = JSON.parse(String(response.body)) as { __type: string; message: string }
    assert.equal(body.__type, 'com.amazonaws.sqs#InternalFailure')
    assert.doesNotMatch(body.message, /TypeError|a bug/)
    assert.equal(response.headers['x-amzn-query-error'], 'InternalFailure;Receiver')
    assert.ok(logged.some((l) => l.includes(response.headers['x-amzn-requestid']!) && l.includes('a bug')))
  })

  it('answers an operation missing from the table with a not-implemented error', async () => {
    const response = await handleRequest(jsonRequest('PurgeQueue', { QueueUrl: 'http://x/1/q' }), deps, signal)
    assert.equal(response.status, 501)
    assert.match(String(response.body), /Nimbus does not serve PurgeQueue in /)
  })

  it('serializes what an operation returns', async () => {
    const response = await handleRequest(jsonRequest('ListQueueTags', { QueueUrl: 'http://x/1/q' }), deps, signal)
    assert.equal(response.status, 200)
    assert.deepEqual(JSON.parse(String(response.body)), { Tags: { a: 'b' } })
  })

  it('answers only after the pending writes commit, and 503 ServiceUnavailable when that commit fails', async () => {
    let commit!: () => void
    let committed = false
    const pending = new Promise<void>((resolve) => (commit = resolve)).then(() => void (committed = true))
    const waiting = handleRequest(jsonRequest('ListQueueTags', { QueueUrl: 'http://x/1/q' }), { ...deps, flushed: () => pending }, signal)
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(committed, false)
    commit()
    assert.equal((await waiting).status, 200)
    assert.equal(committed, true)

    const failing = { ...deps, flushed: () => Promise.reject(new Error('SQLITE_FULL: database or disk is full')) }
    const response = await handleRequest(jsonRequest('ListQueueTags', { QueueUrl: 'http://x/1/q' }), failing, signal)
    assert.equal(response.status, 503)
    assert.equal((JSON.parse(String(response.body)) as { __type: string }).__type, 'com.amazonaws.sqs#ServiceUnavailable')
    assert.ok(logged.some((l) => l.includes('disk is full')))
  })
})
