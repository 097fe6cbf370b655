// A table of bad requests: each gets AWS's error code and status, the server keeps serving, and a
// message accepted before the bad requests is still there after them.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, sqsJsonHeaders, sqsQueryHeaders } from '../../helpers/raw-http.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'

const nimbus = useNimbus()

interface Case {
  name: string
  request: () => { headers: Record<string, string>; body: string | Buffer; path?: string }
  status: number
  /** JSON: the part of __type after '#'; query: <Code>. */
  code: string
  /** x-amzn-query-error for JSON requests to SQS. */
  queryError?: string
  message?: RegExp
}

let queueUrl = ''
const json = (operation: string, body: unknown) => () => ({
  headers: sqsJsonHeaders(operation), body: typeof body === 'string' ? body : JSON.stringify(body),
})
const query = (params: Record<string, string>) => () => ({
  headers: sqsQueryHeaders, body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
})

const cases: Case[] = [
  { name: 'JSON body that is not JSON', request: json('SendMessage', '{"QueueUrl": '), status: 400, code: 'SerializationException' },
  { name: 'JSON body that is an array', request: json('ListQueues', '[1,2]'), status: 400, code: 'SerializationException' },
  { name: 'a string where an integer belongs', request: () => json('ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: 'ten' })(),
    status: 400, code: 'SerializationException' },
  { name: 'a number where a string belongs', request: () => json('SendMessage', { QueueUrl: queueUrl, MessageBody: 42 })(),
    status: 400, code: 'SerializationException' },
  { name: 'a map where a list belongs', request: () => json('GetQueueAttributes', { QueueUrl: queueUrl, AttributeNames: { a: 1 } })(),
    status: 400, code: 'SerializationException' },
  { name: 'an unknown JSON operation', request: json('FlyToTheMoon', {}), status: 400, code: 'UnknownOperationException' },
  { name: 'a missing required member (JSON)', request: json('SendMessage', { MessageBody: 'x' }), status: 400,
    code: 'MissingParameter', queryError: 'MissingParameter;Sender', message: /The request must contain the parameter QueueUrl\./ },
  { name: 'a missing nested required member', request: () => json('SendMessage', {
    QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes: { a: { StringValue: 'v' } } })(),
  status: 400, code: 'InvalidParameterValue', message: /The message attribute 'a' must contain non-empty message attribute type\./ },
  { name: 'an unknown queue', request: json('SendMessage', { QueueUrl: 'http://x/000000000000/nope', MessageBody: 'x' }),
    status: 400, code: 'QueueDoesNotExist', queryError: 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
  { name: 'a queue URL that is not a URL', request: json('SendMessage', { QueueUrl: 'not a url', MessageBody: 'x' }),
    status: 400, code: 'QueueDoesNotExist' },
  { name: 'a message over 1 MiB', request: () => json('SendMessage', { QueueUrl: queueUrl, MessageBody: 'x'.repeat(1_048_577) })(),
    status: 400, code: 'InvalidParameterValue', message: /Message must be shorter than 1048576 bytes/ },
  { name: 'an unknown query action', request: query({ Action: 'FlyToTheMoon' }), status: 400, code: 'InvalidAction' },
  { name: 'a query integer that is not one', request: () => query({ Action: 'ReceiveMessage', QueueUrl: queueUrl, MaxNumberOfMessages: 'ten' })(),
    status: 400, code: 'InvalidParameterValue' },
  { name: 'a query request missing a required member', request: query({ Action: 'SendMessage', MessageBody: 'x' }),
    status: 400, code: 'MissingParameter' },
  { name: 'a request no service claims', request: () => ({ headers: { 'content-type': 'text/plain' }, body: 'hello' }),
    status: 400, code: 'UnknownService' },
]

function codeOf(body: string): string {
  if (body.startsWith('<')) return /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? ''
  const parsed = JSON.parse(body) as { __type?: string }
  return (parsed.__type ?? '').split('#').pop() ?? ''
}

describe('bad input', () => {
  it('leaves an accepted message in place through every bad request', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    queueUrl = (await sqs.call('CreateQueue', { QueueName: uniqueName('bad') })).QueueUrl
    await sqs.call('SendMessage', { QueueUrl: queueUrl, MessageBody: 'keep me' })
    for (const c of cases) {
      const { headers, body, path } = c.request()
      const response = await rawRequest(nimbus.current.endpoint, { headers, body, path })
      assert.equal(response.status, c.status, `${c.name}: status (${response.body.slice(0, 200)})`)
      assert.equal(codeOf(response.body), c.code, `${c.name}: code`)
      assert.ok(response.headers['x-amzn-requestid'], `${c.name}: request id`)
      if (c.queryError !== undefined) assert.equal(response.headers['x-amzn-query-error'], c.queryError, `${c.name}: query error`)
      if (c.message !== undefined) assert.match(response.body, c.message, `${c.name}: message`)
      assert.doesNotMatch(response.body, /at .*\.ts:\d+/, `${c.name}: no stack trace`)
    }
    const { Messages } = await sqs.call('ReceiveMessage', { QueueUrl: queueUrl })
    assert.equal(Messages?.[0]?.Body, 'keep me')
  })

  it('refuses a body over the gateway limit with 413 and keeps serving', async () => {
    const big = Buffer.alloc(17 * 1024 * 1024, 0x61)
    const response = await rawRequest(nimbus.current.endpoint, { headers: sqsJsonHeaders('SendMessage'), body: big })
    assert.equal(response.status, 413)
    assert.equal(codeOf(response.body), 'RequestEntityTooLarge')
    const health = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/_nimbus/health' })
    assert.equal(health.status, 200)
  })

  it('answers Expect: 100-continue requests', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: uniqueName('continue') })
    const response = await rawRequest(nimbus.current.endpoint, {
      headers: { ...sqsJsonHeaders('SendMessage'), expect: '100-continue' },
      body: JSON.stringify({ QueueUrl, MessageBody: 'after continue' }),
    })
    assert.equal(response.status, 200)
    assert.match(response.body, /"MessageId"/)
  })

  it('answers CORS preflights for browser SDKs', async () => {
    const response = await rawRequest(nimbus.current.endpoint, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target' },
    })
    assert.equal(response.status, 200)
    assert.equal(response.headers['access-control-allow-origin'], 'http://localhost:3000')
    assert.equal(response.headers['access-control-allow-headers'], 'content-type,x-amz-target')
    assert.match(String(response.headers['access-control-expose-headers']), /x-amzn-RequestId/)
  })
})
