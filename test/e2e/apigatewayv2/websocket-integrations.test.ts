// WebSocket APIs' integrations beyond Lambda proxy, end to end: MOCK with request and response
// templates, a Lambda custom (AWS) integration with templates chosen by TemplateSelectionExpression and
// integration responses chosen by errorMessage, an SQS service integration, HTTP_PROXY and HTTP to a
// local server — two-way routes sending the mapped answer back as a frame.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import {
  CreateApiCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, type CreateIntegrationCommandInput, CreateRouteCommand,
  CreateRouteResponseCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { openSocket, pathFormUrl, rawUpgrade, portOf } from '../../helpers/websocket.ts'

const nimbus = useNimbus()

/** A local backend: answers `{"got": <body>, "method": …}`, 404 for /missing. */
let backend: Server
let backendUrl = ''
const received: string[] = []
before(async () => {
  backend = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      received.push(body)
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-backend': 'local' })
      res.end(JSON.stringify({ got: body, method: req.method }))
    })
  })
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
})
after(() => new Promise<void>((resolve) => backend.close(() => resolve())))

type Integration = Omit<CreateIntegrationCommandInput, 'ApiId'>
type Response = { IntegrationResponseKey: string; TemplateSelectionExpression?: string; ResponseTemplates?: Record<string, string> }

/** A WebSocket API (route key `$request.body.action`) whose routes are two-way, each on its own integration. */
async function apiWith(routes: Record<string, { integration: Integration; responses?: Response[] }>): Promise<string> {
  const client = apiGatewayV2Client(nimbus.current)
  const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
  for (const [key, { integration, responses = [] }] of Object.entries(routes)) {
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, ...integration }))
    for (const response of responses) await client.send(new CreateIntegrationResponseCommand({ ApiId, IntegrationId, ...response }))
    const twoWay = key !== '$connect'
    const route = await client.send(new CreateRouteCommand({ ApiId, RouteKey: key, Target: `integrations/${IntegrationId}`, ...(twoWay && { RouteResponseSelectionExpression: '$default' }) }))
    if (twoWay) await client.send(new CreateRouteResponseCommand({ ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }))
  }
  await client.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true, StageVariables: { tier: 'gold' } }))
  return ApiId!
}

async function exchange(apiId: string, messages: string[]): Promise<string[]> {
  const socket = await openSocket(pathFormUrl(nimbus.current, apiId, 'dev'))
  const answers: string[] = []
  for (const message of messages) {
    socket.send(message)
    answers.push(await socket.next())
  }
  socket.socket.close()
  await socket.closed
  return answers
}

describe('WebSocket API integrations beyond Lambda proxy', { timeout: 60_000 }, () => {
  it('MOCK: the request template names the status, the integration response template answers with $context', async () => {
    const apiId = await apiWith({
      ping: {
        integration: { IntegrationType: 'MOCK', TemplateSelectionExpression: '\\$default', RequestTemplates: { '$default': '{"statusCode": 200}' } },
        responses: [{ IntegrationResponseKey: '$default', TemplateSelectionExpression: '\\$default',
          ResponseTemplates: { '$default': '{"pong": "$context.routeKey", "stage": "$context.stage", "tier": "$stageVariables.tier", "id": "$context.connectionId"}' } }],
      },
      // No integration response: the two-way route has nothing to send (AWS logs a configuration error).
      bare: { integration: { IntegrationType: 'MOCK', RequestTemplates: { '$default': '{"statusCode": 200}' } } },
      strict: { integration: { IntegrationType: 'MOCK', PassthroughBehavior: 'NEVER', TemplateSelectionExpression: '${request.body.kind}', RequestTemplates: { known: '{"statusCode": 200}' } },
        responses: [{ IntegrationResponseKey: '$default', ResponseTemplates: { '$default': 'ok' } }] },
    })
    const [pong, bare, strict, known] = await exchange(apiId, ['{"action":"ping"}', '{"action":"bare"}', '{"action":"strict","kind":"other"}', '{"action":"strict","kind":"known"}'])
    const parsed = JSON.parse(pong!) as Record<string, string>
    assert.deepEqual([parsed['pong'], parsed['stage'], parsed['tier']], ['ping', 'dev', 'gold'])
    assert.match(parsed['id']!, /^[\w=+-]{10,}$/)
    assert.match(bare!, /^\{"message": "Internal server error", "connectionId":"[^"]+", "requestId":"[^"]+"\}$/)
    assert.match(strict!, /^\{"message": "Unsupported Media Type", "connectionId":"[^"]+"/)
    assert.equal(known, 'ok')
  })

  it('MOCK $connect: the mapped statusCode accepts or refuses the upgrade', async () => {
    const refusing = await apiWith({ $connect: { integration: { IntegrationType: 'MOCK', RequestTemplates: { '$default': '{"statusCode": 403}' } } } })
    const host = (apiId: string) => `${apiId}.execute-api.localhost:${portOf(nimbus.current)}`
    assert.equal((await rawUpgrade(nimbus.current, host(refusing), '/dev')).status, 403)
    const accepting = await apiWith({ $connect: { integration: { IntegrationType: 'MOCK', RequestTemplates: { '$default': '{"statusCode": 200}' } } } })
    const accepted = await rawUpgrade(nimbus.current, host(accepting), '/dev')
    assert.equal(accepted.status, 101)
    ;(accepted as { socket: import('node:net').Socket }).socket.destroy()
  })

  it('AWS (Lambda custom): templates by TemplateSelectionExpression, integration responses by errorMessage', async () => {
    const lambda = lambdaClient(nimbus.current)
    const source = `exports.handler = async (event) => {
      if (event.name === 'boom') throw new Error('boom: no such name')
      return { hello: event.name, conn: event.conn, kind: event.kind }
    }`
    const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: await createFunction(lambda, source) }))).Configuration!.FunctionArn!
    const apiId = await apiWith({
      greet: {
        integration: {
          IntegrationType: 'AWS', IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`,
          TemplateSelectionExpression: '${request.body.kind}',
          RequestTemplates: {
            formal: '{"name": $input.json(\'$.name\'), "conn": "$context.connectionId", "kind": "formal"}',
            '$default': '{"name": $input.json(\'$.name\'), "kind": "default"}',
          },
        },
        responses: [
          { IntegrationResponseKey: '/boom.*/', ResponseTemplates: { '$default': '{"error": $input.json(\'$.errorMessage\')}' } },
          { IntegrationResponseKey: '$default', ResponseTemplates: { '$default': '{"reply": "Hello, $input.path(\'$.hello\')", "kind": $input.json(\'$.kind\')}' } },
        ],
      },
    })
    const [formal, other, boom] = await exchange(apiId, [
      '{"action":"greet","kind":"formal","name":"Ada"}', '{"action":"greet","kind":"casual","name":"Bob"}', '{"action":"greet","name":"boom"}',
    ])
    assert.deepEqual(JSON.parse(formal!), { reply: 'Hello, Ada', kind: 'formal' })
    // No template for `casual`: the `$default` one, the catch-all.
    assert.deepEqual(JSON.parse(other!), { reply: 'Hello, Bob', kind: 'default' })
    assert.deepEqual(JSON.parse(boom!), { error: 'boom: no such name' })
  })

  it('AWS_PROXY: the function named by a stage variable in the integration URI (the stages guide)', async () => {
    const lambda = lambdaClient(nimbus.current)
    const prefix = uniqueName('staged')
    await createFunction(lambda, 'exports.handler = async (event) => ({ statusCode: 200, body: "from gold: " + event.body })', { FunctionName: `${prefix}-gold` })
    const apiId = await apiWith({
      hello: { integration: { IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${prefix}-\${stageVariables.tier}/invocations` } },
    })
    assert.deepEqual(await exchange(apiId, ['{"action":"hello"}']), ['from gold: {"action":"hello"}'])
  })

  it('AWS service integration: SQS SendMessage by path override with a form template', async () => {
    const sqs = new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const name = uniqueName('wsq')
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }))
    const apiId = await apiWith({
      $default: {
        integration: {
          IntegrationType: 'AWS', IntegrationMethod: 'POST', IntegrationUri: `arn:aws:apigateway:us-east-1:sqs:path/000000000000/${name}`,
          RequestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
          RequestTemplates: { '$default': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
        },
        responses: [{ IntegrationResponseKey: '/2\\d\\d/', ResponseTemplates: { '$default': '{"queued": true}' } },
          { IntegrationResponseKey: '$default', ResponseTemplates: { '$default': '{"queued": false}' } }],
      },
    })
    const [answer] = await exchange(apiId, ['hello & goodbye'])
    assert.deepEqual(JSON.parse(answer!), { queued: true })
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }))
    assert.equal(Messages?.[0]?.Body, 'hello & goodbye')
  })

  it('HTTP_PROXY sends the message as it is; HTTP maps it both ways, selecting the response by status', async () => {
    const apiId = await apiWith({
      proxy: { integration: { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'POST', IntegrationUri: `${backendUrl}/proxy` } },
      mapped: {
        integration: { IntegrationType: 'HTTP', IntegrationMethod: 'PUT', IntegrationUri: `${backendUrl}/mapped`,
          RequestTemplates: { '$default': '{"text": $input.json(\'$.text\'), "via": "$context.routeKey"}' } },
        responses: [
          { IntegrationResponseKey: '/2\\d\\d/', TemplateSelectionExpression: '${integration.response.statuscode}',
            ResponseTemplates: { '200': '{"status": 200, "backend": $input.json(\'$.got\'), "method": "$input.path(\'$.method\')"}' } },
          { IntegrationResponseKey: '$default', ResponseTemplates: { '$default': '{"failed": true}' } },
        ],
      },
      missing: { integration: { IntegrationType: 'HTTP', IntegrationUri: `${backendUrl}/missing` },
        responses: [{ IntegrationResponseKey: '/4\\d\\d/', ResponseTemplates: { '$default': '{"notFound": true}' } }] },
    })
    const [proxied, mapped, missing] = await exchange(apiId, ['{"action":"proxy","n":1}', '{"action":"mapped","text":"hi"}', '{"action":"missing"}'])
    assert.deepEqual(JSON.parse(proxied!), { got: '{"action":"proxy","n":1}', method: 'POST' })
    assert.deepEqual(JSON.parse(mapped!), { status: 200, backend: '{"text": "hi", "via": "mapped"}', method: 'PUT' })
    assert.deepEqual(JSON.parse(missing!), { notFound: true })
  })
})
