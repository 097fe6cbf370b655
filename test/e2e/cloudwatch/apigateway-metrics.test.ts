// AWS/ApiGateway request metrics on the manual clock: a REST API's Count, 4XXError, 5XXError, Latency
// and IntegrationLatency by API, stage and (with detailed metrics) method and resource; an HTTP API's
// Count, 4xx, 5xx, Latency and DataProcessed by API id, stage and (detailed) route.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetRestApiCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway'
import { CreateApiCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2'
import { GetMetricStatisticsCommand, ListMetricsCommand, type Statistic } from '@aws-sdk/client-cloudwatch'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const minute = 60_000

async function stat(metric: string, dimensions: { Name: string; Value: string }[], from: number, statistics: Statistic[]) {
  const { Datapoints } = await cloudWatchClient(nimbus.current).send(new GetMetricStatisticsCommand({ Namespace: 'AWS/ApiGateway',
    MetricName: metric, Dimensions: dimensions, StartTime: new Date(from), EndTime: new Date(from + minute), Period: 60, Statistics: statistics }))
  return Datapoints!
}

describe('AWS/ApiGateway metrics', () => {
  it('a REST API counts requests, 4XX and 5XX errors and latencies per API and stage, and per method with detailed metrics', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/ok'), 'GET', 200, '{"ok":true}')
    await mockMethod(client, api.id, await createPath(client, api, '/broken'), 'GET', 500, '{"broken":true}')
    await deploy(client, api.id, 'prod')
    await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod',
      patchOperations: [{ op: 'replace', path: '/~1ok/GET/metrics/enabled', value: 'true' }] }))
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    for (let i = 0; i < 3; i++) assert.equal((await invoke(nimbus.current, 'host', api.id, 'prod', '/ok')).status, 200)
    assert.equal((await invoke(nimbus.current, 'path', api.id, 'prod', '/broken')).status, 500)
    assert.equal((await invoke(nimbus.current, 'host', api.id, 'prod', '/missing')).status, 403)
    await advanceTo(nimbus.current, t + minute + 1000)
    const { name } = await client.send(new GetRestApiCommand({ restApiId: api.id }))
    const byStage = [{ Name: 'ApiName', Value: name! }, { Name: 'Stage', Value: 'prod' }]
    const [count] = await stat('Count', byStage, t, ['SampleCount', 'Sum'])
    assert.deepEqual([count!.SampleCount, count!.Sum, count!.Unit], [5, 5, 'Count'])
    const [client4xx] = await stat('4XXError', byStage, t, ['Sum', 'Average'])
    assert.deepEqual([client4xx!.Sum, client4xx!.Average], [1, 0.2])
    assert.equal((await stat('5XXError', [{ Name: 'ApiName', Value: name! }], t, ['Sum']))[0]!.Sum, 1)
    const [latency] = await stat('Latency', byStage, t, ['SampleCount', 'Maximum'])
    assert.equal(latency!.SampleCount, 5)
    assert.equal(latency!.Unit, 'Milliseconds')
    assert.ok(latency!.Maximum! >= 0)
    // The refused request (no resource) never reached an integration.
    assert.equal((await stat('IntegrationLatency', byStage, t, ['SampleCount']))[0]!.SampleCount, 4)
    const byMethod = [{ Name: 'ApiName', Value: name! }, { Name: 'Method', Value: 'GET' }, { Name: 'Resource', Value: '/ok' }, { Name: 'Stage', Value: 'prod' }]
    assert.equal((await stat('Count', byMethod, t, ['SampleCount']))[0]!.SampleCount, 3)
    const broken = [{ Name: 'ApiName', Value: name! }, { Name: 'Method', Value: 'GET' }, { Name: 'Resource', Value: '/broken' }, { Name: 'Stage', Value: 'prod' }]
    assert.equal((await stat('Count', broken, t, ['SampleCount'])).length, 0, 'no detailed metrics for a method without them')
    const listed = await cloudWatchClient(nimbus.current).send(new ListMetricsCommand({ Namespace: 'AWS/ApiGateway', Dimensions: [{ Name: 'ApiName', Value: name! }] }))
    const names = new Set(listed.Metrics!.map((m) => m.MetricName))
    for (const metric of ['Count', '4XXError', '5XXError', 'Latency', 'IntegrationLatency']) assert.ok(names.has(metric), metric)
  })

  it('an HTTP API counts requests, 4xx and bytes processed per API id and stage', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }))
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    for (let i = 0; i < 2; i++) assert.equal((await invokeHttpApi(nimbus.current, api.ApiId!, '/nothing-here')).status, 404)
    await advanceTo(nimbus.current, t + minute + 1000)
    const byStage = [{ Name: 'ApiId', Value: api.ApiId! }, { Name: 'Stage', Value: '$default' }]
    assert.equal((await stat('Count', byStage, t, ['SampleCount']))[0]!.SampleCount, 2)
    assert.equal((await stat('4xx', [{ Name: 'ApiId', Value: api.ApiId! }], t, ['Sum']))[0]!.Sum, 2)
    assert.equal((await stat('5xx', byStage, t, ['Sum']))[0]!.Sum, 0)
    const [data] = await stat('DataProcessed', byStage, t, ['Sum'])
    assert.equal(data!.Unit, 'Bytes')
    assert.equal(data!.Sum, 2 * Buffer.byteLength('{"message":"Not Found"}'))
  })
})
