// WebSocket APIs' AWS/ApiGateway metrics on the manual clock, as "Monitor WebSocket API execution with
// CloudWatch metrics" lists them: ConnectCount, MessageCount (from and to the client, @connections posts
// included), ClientError, IntegrationError, ExecutionError and IntegrationLatency (none for mocks), by
// ApiId, {ApiId, Stage} and, with the route's detailed metrics, {ApiId, Stage, Route}.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import {
  CreateApiCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import { GetMetricStatisticsCommand, ListMetricsCommand, type Statistic } from '@aws-sdk/client-cloudwatch'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { managementClient, openSocket, pathFormUrl } from '../../helpers/websocket.ts'

const nimbus = useNimbus()
const minute = 60_000

/** A backend that answers 500. */
let backend: Server
let backendUrl = ''
before(async () => {
  backend = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'application/json' })
      res.end('{"broken":true}')
    })
  })
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
})
after(() => new Promise<void>((resolve) => backend.close(() => resolve())))

async function stat(metric: string, dimensions: { Name: string; Value: string }[], from: number, statistics: Statistic[]) {
  const { Datapoints } = await cloudWatchClient(nimbus.current).send(new GetMetricStatisticsCommand({ Namespace: 'AWS/ApiGateway',
    MetricName: metric, Dimensions: dimensions, StartTime: new Date(from), EndTime: new Date(from + minute), Period: 60, Statistics: statistics }))
  return Datapoints!
}

describe('WebSocket API metrics', { timeout: 60_000 }, () => {
  it('counts connects, messages both ways and the three error kinds per API, stage and (detailed) route', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
    const twoWay = async (key: string, integration: Record<string, unknown>, template?: string) => {
      const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, ...integration } as never))
      await client.send(new CreateIntegrationResponseCommand({ ApiId, IntegrationId, IntegrationResponseKey: '$default',
        ...(template !== undefined && { ResponseTemplates: { $default: template } }) }))
      const route = await client.send(new CreateRouteCommand({ ApiId, RouteKey: key, Target: `integrations/${IntegrationId}`, RouteResponseSelectionExpression: '$default' }))
      await client.send(new CreateRouteResponseCommand({ ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }))
    }
    const connect = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' } }))
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: '$connect', Target: `integrations/${connect.IntegrationId}` }))
    await twoWay('echo', { IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' } }, '$context.connectionId')
    await twoWay('fail', { IntegrationType: 'HTTP', IntegrationMethod: 'POST', IntegrationUri: backendUrl })
    await twoWay('boom', { IntegrationType: 'AWS_PROXY', IntegrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:no-such-function' })
    await client.send(new CreateStageCommand({ ApiId, StageName: 'prod', AutoDeploy: true, RouteSettings: { echo: { DetailedMetricsEnabled: true } } }))

    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    const socket = await openSocket(pathFormUrl(nimbus.current, ApiId!, 'prod'))
    socket.send(JSON.stringify({ action: 'echo' }))
    const connectionId = await socket.next()
    socket.send(JSON.stringify({ action: 'fail' }))
    assert.equal(await socket.next(), '{"broken":true}')
    socket.send(JSON.stringify({ action: 'nope' }))
    assert.match(await socket.next(), /"message": "Forbidden"/)
    socket.send(JSON.stringify({ action: 'boom' }))
    assert.match(await socket.next(), /"message": "Internal server error"/)
    await managementClient(nimbus.current, ApiId!, 'prod').send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('pushed') }))
    assert.equal(await socket.next(), 'pushed')
    await advanceTo(nimbus.current, t + minute + 1000)

    const byApi = [{ Name: 'ApiId', Value: ApiId! }]
    const byStage = [...byApi, { Name: 'Stage', Value: 'prod' }]
    assert.deepEqual((await stat('ConnectCount', byStage, t, ['Sum', 'SampleCount'])).map((d) => [d.Sum, d.Unit]), [[1, 'Count']])
    // Four messages in, four answers out and the @connections post.
    assert.equal((await stat('MessageCount', byApi, t, ['Sum']))[0]!.Sum, 9)
    // The connect and four messages each count 0 or 1 in the error metrics: Average is the rate.
    const [clientError] = await stat('ClientError', byStage, t, ['Sum', 'SampleCount'])
    assert.deepEqual([clientError!.Sum, clientError!.SampleCount], [1, 5])
    assert.equal((await stat('IntegrationError', byStage, t, ['Sum']))[0]!.Sum, 1)
    assert.equal((await stat('ExecutionError', byStage, t, ['Sum']))[0]!.Sum, 1)
    // Only the HTTP and Lambda calls: mocks don't report IntegrationLatency.
    const [latency] = await stat('IntegrationLatency', byStage, t, ['SampleCount'])
    assert.deepEqual([latency!.SampleCount, latency!.Unit], [2, 'Milliseconds'])
    // The echo route's detailed metrics: its message and its answer.
    const byRoute = [...byStage, { Name: 'Route', Value: 'echo' }]
    assert.equal((await stat('MessageCount', byRoute, t, ['Sum']))[0]!.Sum, 2)
    assert.equal((await stat('MessageCount', [...byStage, { Name: 'Route', Value: 'fail' }], t, ['Sum'])).length, 0)
    const listed = await cloudWatchClient(nimbus.current).send(new ListMetricsCommand({ Namespace: 'AWS/ApiGateway', Dimensions: byApi }))
    const names = new Set(listed.Metrics!.map((m) => m.MetricName))
    for (const metric of ['ConnectCount', 'MessageCount', 'IntegrationError', 'ClientError', 'ExecutionError', 'IntegrationLatency']) assert.ok(names.has(metric), metric)
    // A WebSocket API has none of HTTP APIs' request metrics.
    assert.equal(names.has('Count'), false)
    socket.socket.close()
    await socket.closed
  })
})
