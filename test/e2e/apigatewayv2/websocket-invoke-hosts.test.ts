// AWS's WebSocket samples, unchanged, inside Nimbus functions: the management client is created with
// `endpoint: 'https://' + event.requestContext.domainName + '/' + event.requestContext.stage` (Node SDK
// v3, the chat app tutorial's expression) or `endpoint_url=f"https://{domain}/{stage}"` (boto3), and
// PostToConnection reaches the other client. Inside functions, requests to API Gateway invoke hosts go
// to Nimbus's endpoint with the original Host (the runtime README's Supported); a function calling an
// HTTP API's `https://{id}.execute-api.localhost/…` URL (https.get, fetch, urllib) gets the API's
// answer, and requests to any other host are left alone.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import { GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda'
import type { Nimbus } from '../../../src/index.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { createFunction, decode, lambdaClient } from '../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { openSocket, portOf, type TestSocket } from '../../helpers/websocket.ts'

// The tutorial's expression, verbatim; `sendmessage` posts to the named connection, anything else
// ($default) tells the caller its own connection id the same way.
const nodeChat = `import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
export const handler = async (event) => {
  const callbackAPI = new ApiGatewayManagementApiClient({
    apiVersion: '2018-11-29',
    endpoint: 'https://' + event.requestContext.domainName + '/' + event.requestContext.stage,
  })
  const body = JSON.parse(event.body)
  const own = event.requestContext.connectionId
  const [to, data] = body.action === 'sendmessage' ? [body.to, body.message] : [own, own]
  await callbackAPI.send(new PostToConnectionCommand({ ConnectionId: to, Data: data }))
  return { statusCode: 200 }
}`

const pythonChat = `import json
import boto3

def lambda_handler(event, context):
    domain = event["requestContext"]["domainName"]
    stage = event["requestContext"]["stage"]
    client = boto3.client("apigatewaymanagementapi", endpoint_url=f"https://{domain}/{stage}")
    body = json.loads(event["body"])
    own = event["requestContext"]["connectionId"]
    to, data = (body["to"], body["message"]) if body.get("action") == "sendmessage" else (own, own)
    client.post_to_connection(ConnectionId=to, Data=data.encode("utf-8"))
    return {"statusCode": 200}
`

/** Undici's WebSocket and fetch can't resolve `*.localhost`: this dispatcher connects to Nimbus, keeping the URL's Host. */
function toNimbus(nimbus: Nimbus) {
  const global = (globalThis as unknown as Record<symbol, { dispatch(opts: object, handler: object): boolean }>)[Symbol.for('undici.globalDispatcher.1')]!
  return {
    dispatch(opts: { origin: string; headers?: Record<string, string> | string[] }, handler: object) {
      const host = new URL(opts.origin).host
      const headers = Array.isArray(opts.headers) ? [...opts.headers, 'host', host] : { ...opts.headers, host }
      return global.dispatch({ ...opts, origin: `http://127.0.0.1:${portOf(nimbus)}`, headers }, handler)
    },
  }
}

/** A client at the API's host-form URL (`ws://{id}.execute-api.localhost/{stage}`), as wscat users connect: the events' domainName is that host. */
async function hostFormSocket(nimbus: Nimbus, apiId: string, stage: string): Promise<TestSocket> {
  return openSocket(`ws://${apiId}.execute-api.localhost:${portOf(nimbus)}/${stage}`, { dispatcher: toNimbus(nimbus) } as never)
}

async function chatApi(nimbus: Nimbus, files: { path: string; content: string }[], overrides: object): Promise<string> {
  const lambda = lambdaClient(nimbus)
  const client = apiGatewayV2Client(nimbus)
  const ApiId = (await client.send(new CreateApiCommand({ Name: uniqueName('ws-chat'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!
  const name = await createFunction(lambda, files, { Timeout: 30, ...overrides })
  const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
  const integration = await client.send(new CreateIntegrationCommand({
    ApiId, IntegrationType: 'AWS_PROXY', IntegrationMethod: 'POST',
    IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`,
  }))
  for (const RouteKey of ['sendmessage', '$default']) await client.send(new CreateRouteCommand({ ApiId, RouteKey, Target: `integrations/${integration.IntegrationId}` }))
  const deployment = await client.send(new CreateDeploymentCommand({ ApiId }))
  await client.send(new CreateStageCommand({ ApiId, StageName: 'production', DeploymentId: deployment.DeploymentId }))
  return ApiId
}

/** A client at the path-form URL (`ws://127.0.0.1:{port}/restapis/{id}/{stage}/_user_request_`): the events' domainName is still the API's invoke host. */
async function pathFormSocket(nimbus: Nimbus, apiId: string, stage: string): Promise<TestSocket> {
  return openSocket(`ws://127.0.0.1:${portOf(nimbus)}/restapis/${apiId}/${stage}/_user_request_`)
}

async function chat(nimbus: Nimbus, apiId: string, form: 'host' | 'path' = 'host'): Promise<void> {
  const open = form === 'host' ? hostFormSocket : pathFormSocket
  const first = await open(nimbus, apiId, 'production')
  const second = await open(nimbus, apiId, 'production')
  // $default: the function posts the caller's own id back through https://{domainName}/{stage}.
  second.send(JSON.stringify({ action: 'whoami' }))
  const secondId = await second.next()
  assert.match(secondId, /^[A-Za-z0-9_=-]+$/)
  first.send(JSON.stringify({ action: 'sendmessage', to: secondId, message: 'hello, everyone!' }))
  assert.equal(await second.next(), 'hello, everyone!')
  first.socket.close()
  second.socket.close()
  await Promise.all([first.closed, second.closed])
}

/** A function that calls the URL it is given with https.get, fetch and (Python) urllib, answering each status and body or error code. */
const nodeCaller = `import https from 'node:https'
import { get } from 'node:https'
const viaGet = (fn, url) => new Promise((resolve) => {
  fn(url, (res) => {
    let body = ''
    res.on('data', (c) => (body += c))
    res.on('end', () => resolve({ status: res.statusCode, body }))
  }).on('error', (error) => resolve({ error: error.code ?? error.message }))
})
export const handler = async ({ url }) => {
  const viaFetch = await fetch(url).then(async (res) => ({ status: res.status, body: await res.text() }), (error) => ({ error: error.cause?.code ?? error.message }))
  return { get: await viaGet(https.get, url), named: await viaGet(get, url), fetch: viaFetch }
}`

const pythonCaller = `import urllib.request
import urllib.error

def lambda_handler(event, context):
    try:
        with urllib.request.urlopen(event["url"], timeout=10) as res:
            return {"status": res.status, "body": res.read().decode("utf-8")}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "body": error.read().decode("utf-8")}
    except urllib.error.URLError as error:
        return {"error": type(error.reason).__name__}
`

type Answer = { status?: number; body?: string; error?: string }

async function call(nimbus: Nimbus, name: string, url: string): Promise<Record<string, Answer> & Answer> {
  const out = await lambdaClient(nimbus).send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ url }) }))
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString())
  return decode(out.Payload) as Record<string, Answer> & Answer
}

for (const executor of ['process', 'worker'] as const) {
  describe(`API Gateway invoke hosts inside functions (${executor} executor)`, { timeout: 90_000 }, () => {
    const nimbus = useNimbus({ lambdaExecutor: executor })

    it('runs the tutorial\'s Node.js code unchanged: endpoint https://{domainName}/{stage} reaches the other client', async () => {
      const apiId = await chatApi(nimbus.current, [{ path: 'index.mjs', content: nodeChat }], {})
      await chat(nimbus.current, apiId)
    })

    it('runs it unchanged for a client that connected by the path form too', async () => {
      const apiId = await chatApi(nimbus.current, [{ path: 'index.mjs', content: nodeChat }], {})
      await chat(nimbus.current, apiId, 'path')
    })

    // Python functions run as processes with either executor: once is enough.
    if (executor === 'process') it('runs boto3 with endpoint_url=f"https://{domain}/{stage}" unchanged', async () => {
      const apiId = await chatApi(nimbus.current, [{ path: 'lambda_function.py', content: pythonChat }], { Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler' })
      await chat(nimbus.current, apiId)
    })

    it('sends https calls to an HTTP API\'s invoke URL to Nimbus, and leaves other hosts alone', async () => {
      const lambda = lambdaClient(nimbus.current)
      const client = apiGatewayV2Client(nimbus.current)
      const backend = await createFunction(lambda, `exports.handler = async (event) => ({ statusCode: 200, body: 'hello from ' + event.rawPath + ' at ' + event.requestContext.domainName })`)
      const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: backend }))).Configuration!.FunctionArn!
      const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP', Target: arn }))
      const caller = await createFunction(lambda, [{ path: 'index.mjs', content: nodeCaller }], { Timeout: 30 })

      for (const host of [`${api.ApiId}.execute-api.localhost`, `${api.ApiId}.execute-api.us-east-1.amazonaws.com`]) {
        const answer = await call(nimbus.current, caller, `https://${host}/items/1?x=1`)
        const expected = { status: 200, body: `hello from /items/1 at ${host}` }
        assert.deepEqual(answer, { get: expected, named: expected, fetch: expected })
      }
      // Port-less http too (port 80 otherwise, where nothing serves the API).
      const plain = await call(nimbus.current, caller, `http://${api.ApiId}.execute-api.localhost/items/2`)
      assert.equal(plain['fetch']!.body, `hello from /items/2 at ${api.ApiId}.execute-api.localhost`)
      assert.equal(plain['get']!.status, 200)

      // Not an invoke host: a look-alike name is looked up in DNS (and fails), and https to Nimbus's own
      // plain-http port stays https (the TLS handshake fails) — nothing is redirected.
      const lookalike = await call(nimbus.current, caller, `https://${api.ApiId}.execute-api.evil.example/items/1`)
      for (const via of ['get', 'named', 'fetch']) assert.ok(['ENOTFOUND', 'EAI_AGAIN'].includes(lookalike[via]!.error!), JSON.stringify(lookalike))
      const tls = await call(nimbus.current, caller, `https://127.0.0.1:${portOf(nimbus.current)}/`)
      for (const via of ['get', 'named', 'fetch']) {
        assert.equal(tls[via]!.status, undefined, JSON.stringify(tls))
        assert.match(tls[via]!.error!, /EPROTO|SSL|TLS|ECONNRESET/i, JSON.stringify(tls))
      }

      if (executor !== 'process') return
      const python = await createFunction(lambda, [{ path: 'lambda_function.py', content: pythonCaller }], { Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler', Timeout: 30 })
      assert.deepEqual(await call(nimbus.current, python, `https://${api.ApiId}.execute-api.localhost/items/3`), { status: 200, body: `hello from /items/3 at ${api.ApiId}.execute-api.localhost` })
      assert.deepEqual(await call(nimbus.current, python, `https://${api.ApiId}.execute-api.evil.example/items/3`), { error: 'gaierror' })
    })
  })
}
