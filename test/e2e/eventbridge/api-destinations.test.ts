// API destination targets: events reach a local HTTP server with the connection's authorization,
// AWS's headers and the target's HttpParameters; 429/5xx/timeouts are retried on the clock, other
// 4xx go straight to the DLQ; OAuth connections fetch a token first (aws-behaviour.md §5.3).
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, describe, it } from 'node:test'
import {
  CreateApiDestinationCommand, CreateConnectionCommand, DescribeConnectionCommand, PutEventsCommand, PutRuleCommand,
  PutTargetsCommand, type ApiDestinationHttpMethod, type CreateConnectionRequest, type Target,
} from '@aws-sdk/client-eventbridge'
import type { Nimbus } from '../../../src/index.ts'
import { startEndpoint, type TestEndpoint } from '../../helpers/http-endpoint.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { account, createQueue, ebClient, receive, sqsClient, type Queue } from './fixtures.ts'

const nimbus = useNimbus()
const eb = () => ebClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current)
const closers: (() => Promise<void>)[] = []
after(async () => Promise.all(closers.map((close) => close())))
const roleArn = `arn:aws:iam::${account}:role/eventbridge-invoke`

async function endpoint(): Promise<TestEndpoint> {
  const e = await startEndpoint('/hook')
  closers.push(() => e.close())
  return e
}

const inFlight = () => (nimbus.current.health().eventbridge as { apiDestinationRequestsInFlight: number }).apiDestinationRequestsInFlight

/** Resolves once no API destination request is on the wire (the moment a test may move the clock). Never sleeps. */
async function quiet(n: Nimbus): Promise<void> {
  for (let i = 0; i < 200_000; i++) {
    const health = n.health().eventbridge as { apiDestinationRequestsInFlight?: number } | undefined
    if ((health?.apiDestinationRequestsInFlight ?? 0) === 0) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error('API destination requests still on the wire')
}

interface Setup {
  auth?: Pick<CreateConnectionRequest, 'AuthorizationType' | 'AuthParameters'>
  url: string
  method?: ApiDestinationHttpMethod
  target?: Omit<Target, 'Id' | 'Arn'>
  dlq?: Queue
}

/** Connection → API destination → rule → target; returns a function that puts one matching event. */
async function route(setup: Setup) {
  const auth = setup.auth ?? { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'user', Password: 'p@ss word' } } }
  const connectionName = uniqueName('conn')
  const { ConnectionArn } = await eb().send(new CreateConnectionCommand({ Name: connectionName, ...auth }))
  const destinationName = uniqueName('dest')
  const { ApiDestinationArn } = await eb().send(new CreateApiDestinationCommand({ Name: destinationName, ConnectionArn,
    InvocationEndpoint: setup.url, HttpMethod: setup.method ?? 'POST' }))
  const source = uniqueName('api')
  const rule = uniqueName('rule')
  await eb().send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }))
  await eb().send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'api', Arn: ApiDestinationArn, RoleArn: roleArn,
    DeadLetterConfig: setup.dlq === undefined ? undefined : { Arn: setup.dlq.arn }, ...setup.target }] }))
  return {
    connectionName, destinationArn: ApiDestinationArn!,
    put: async (detail: object = { n: 1 }) => {
      const { Entries } = await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'Thing Happened', Detail: JSON.stringify(detail) }] }))
      return Entries![0]!.EventId!
    },
  }
}

describe('EventBridge API destinations', () => {
  it('POSTs the event with Basic auth, AWS\'s headers and the connection\'s invocation parameters', async () => {
    const e = await endpoint()
    const { put } = await route({ url: e.url, auth: { AuthorizationType: 'BASIC', AuthParameters: {
      BasicAuthParameters: { Username: 'user', Password: 'p@ss word' },
      InvocationHttpParameters: { HeaderParameters: [{ Key: 'X-Team', Value: 'core' }], QueryStringParameters: [{ Key: 'src', Value: 'eb' }] },
    } } })
    const id = await put({ n: 7 })
    const request = await e.request(0)
    assert.equal(request.method, 'POST')
    assert.equal(request.path, '/hook?src=eb')
    assert.equal(request.headers.authorization, `Basic ${Buffer.from('user:p@ss word').toString('base64')}`)
    assert.equal(request.headers['user-agent'], 'Amazon/EventBridge/ApiDestinations')
    assert.equal(request.headers['content-type'], 'application/json; charset=utf-8')
    assert.equal(request.headers['x-team'], 'core')
    const event = JSON.parse(request.body)
    assert.equal(event.id, id)
    assert.deepEqual(event.detail, { n: 7 })
    assert.equal(event['detail-type'], 'Thing Happened')
  })

  it('sends the API key header, fills path wildcards and adds the target\'s headers and query (the connection wins on conflicts)', async () => {
    const e = await endpoint()
    const { put } = await route({ url: `${e.url}/*/items/*`, method: 'PUT',
      auth: { AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k-123' },
        InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-env', Value: 'from-connection', IsValueSecret: true }] } } },
      target: { HttpParameters: { PathParameterValues: ['orders', 'a b'], HeaderParameters: { 'x-env': 'from-target', 'x-trace': 't1' },
        QueryStringParameters: { page: '2' } } } })
    await put()
    const request = await e.request(0)
    assert.equal(request.method, 'PUT')
    assert.equal(request.path, '/hook/orders/items/a%20b?page=2')
    assert.equal(request.headers['x-api-key'], 'k-123')
    assert.equal(request.headers['x-trace'], 't1')
    assert.equal(request.headers['x-env'], 'from-connection')
    assert.equal(request.headers.authorization, undefined)
  })

  it('sends an input transformer\'s output as the body', async () => {
    const e = await endpoint()
    const { put } = await route({ url: e.url, target: { InputTransformer: {
      InputPathsMap: { n: '$.detail.n', type: '$.detail-type' }, InputTemplate: '{"count": <n>, "kind": "<type>", "rule": "<aws.events.rule-name>"}' } } })
    await put({ n: 42 })
    const body = JSON.parse((await e.request(0)).body)
    assert.equal(body.count, 42)
    assert.equal(body.kind, 'Thing Happened')
    assert.match(body.rule, /^rule-/)
  })

  it('retries a 500 after a second on the clock, then delivers', async () => {
    const e = await endpoint()
    const dlq = await createQueue(sqs())
    const { put } = await route({ url: e.url, dlq })
    e.answer(500)
    const id = await put()
    await e.request(0)
    await quiet(nimbus.current)
    await advance(nimbus.current, 999)
    assert.deepEqual([inFlight(), e.received.length], [0, 1], 'no retry before the back-off has passed')
    e.answer(200)
    await advance(nimbus.current, 1)
    const retried = await e.request(1)
    assert.equal(JSON.parse(retried.body).id, id)
    await quiet(nimbus.current)
    await advance(nimbus.current, 60_000)
    assert.deepEqual([inFlight(), e.received.length], [0, 2], 'delivered once the endpoint answered 200')
    assert.equal((await receive(sqs(), dlq)).length, 0)
  })

  it('sends a 400 straight to the DLQ without retrying', async () => {
    const e = await endpoint()
    const dlq = await createQueue(sqs())
    const { put, destinationArn } = await route({ url: e.url, dlq, target: { Input: '{"fixed":true}' } })
    e.answer(400)
    await put()
    await e.request(0)
    await quiet(nimbus.current)
    const [message] = await receive(sqs(), dlq)
    assert.ok(message, 'dead-lettered')
    assert.equal(message.Body, '{"fixed":true}')
    const attrs = Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]))
    assert.equal(attrs.TARGET_ARN, destinationArn)
    assert.equal(attrs.RETRY_ATTEMPTS, '0')
    assert.equal(attrs.ERROR_CODE, 'ERROR_FROM_TARGET')
    assert.match(attrs.ERROR_MESSAGE!, /status code 400/)
    await advance(nimbus.current, 60_000)
    assert.deepEqual([inFlight(), e.received.length], [0, 1], 'never retried')
  })

  it('times out an endpoint after 5 seconds on the clock and retries it', async () => {
    const e = await endpoint()
    const { put } = await route({ url: e.url })
    e.answer('hang')
    await put()
    await e.request(0)
    await advance(nimbus.current, 4_999)
    assert.equal(inFlight(), 1, 'still waiting for the endpoint')
    await advance(nimbus.current, 1)
    await quiet(nimbus.current)
    e.answer(200)
    await advance(nimbus.current, 1_000)
    assert.equal((await e.request(1)).method, 'POST')
  })

  it('fetches an OAuth token (client credentials) on first use, then sends it as a Bearer token', async () => {
    const token = await tokenServer(200, '{"access_token":"tok-1","token_type":"Bearer","expires_in":3600}')
    const e = await endpoint()
    const { put, connectionName } = await route({ url: e.url, auth: { AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS', AuthParameters: { OAuthParameters: {
      AuthorizationEndpoint: token.url, HttpMethod: 'POST', ClientParameters: { ClientID: 'cid', ClientSecret: 'csecret' },
      OAuthHttpParameters: { BodyParameters: [{ Key: 'audience', Value: 'api' }] } } } } })
    const state = async () => (await eb().send(new DescribeConnectionCommand({ Name: connectionName }))).ConnectionState
    assert.equal(await state(), 'AUTHORIZING', 'no token before the first invocation')
    await put()
    const request = await e.request(0)
    assert.equal(request.headers.authorization, 'Bearer tok-1')
    assert.equal(token.requests.length, 1)
    const [fetch] = token.requests
    assert.equal(fetch!.headers.authorization, `Basic ${Buffer.from('cid:csecret').toString('base64')}`)
    assert.deepEqual(Object.fromEntries(new URLSearchParams(fetch!.body)), { grant_type: 'client_credentials', audience: 'api' })
    await quiet(nimbus.current)
    assert.equal(await state(), 'AUTHORIZED')
    await put()
    await e.request(1)
    assert.equal(token.requests.length, 1, 'the token is reused')
  })

  it('reports DEAUTHORIZED when the token endpoint refuses, and dead-letters the event', async () => {
    const token = await tokenServer(401, '{"error":"invalid_client"}')
    const e = await endpoint()
    const dlq = await createQueue(sqs())
    const connection = uniqueName('conn')
    const { ConnectionArn, ConnectionState } = await eb().send(new CreateConnectionCommand({ Name: connection,
      AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS', AuthParameters: { OAuthParameters: { AuthorizationEndpoint: token.url,
        HttpMethod: 'POST', ClientParameters: { ClientID: 'cid', ClientSecret: 'wrong' } } } }))
    assert.equal(ConnectionState, 'AUTHORIZING')
    const { ApiDestinationArn, ApiDestinationState } = await eb().send(new CreateApiDestinationCommand({ Name: uniqueName('dest'),
      ConnectionArn, InvocationEndpoint: e.url, HttpMethod: 'POST' }))
    assert.equal(ApiDestinationState, 'INACTIVE', 'INACTIVE while its connection is not authorized')
    const source = uniqueName('api')
    const rule = uniqueName('rule')
    await eb().send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }))
    await eb().send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'api', Arn: ApiDestinationArn, RoleArn: roleArn, DeadLetterConfig: { Arn: dlq.arn } }] }))
    await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{}' }] }))
    await token.request(0)
    await quiet(nimbus.current)
    const described = await eb().send(new DescribeConnectionCommand({ Name: connection }))
    assert.equal(described.ConnectionState, 'DEAUTHORIZED')
    assert.match(described.StateReason ?? '', /status code 401/)
    const [message] = await receive(sqs(), dlq)
    assert.equal(message?.MessageAttributes?.ERROR_CODE?.StringValue, 'SDK_CLIENT_ERROR')
    assert.equal(e.received.length, 0, 'the endpoint was never called')
  })
})

/** A token endpoint answering every request with `status` and `body`; records the requests. */
async function tokenServer(status: number, body: string) {
  const requests: { headers: IncomingHttpHeaders; body: string }[] = []
  const waiting = new Map<number, () => void>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      waiting.get(requests.length - 1)?.()
      res.writeHead(status, { 'content-type': 'application/json' }).end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  }))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`
  return {
    url, requests,
    /** Resolves once request `index` arrived; bounded in real time so a missing request fails the test. */
    request: (index: number) => requests[index] !== undefined ? Promise.resolve() : new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`token request #${index} never arrived`)), 15_000)
      waiting.set(index, () => {
        clearTimeout(timer)
        resolve()
      })
    }),
  }
}
