// API Gateway stage cache end to end on the manual clock: the cluster provisioning
// (CREATE_IN_PROGRESS → AVAILABLE), per-method caching with its TTL (the second request within the
// TTL never reaches the Lambda, the first after it does), GET-only `*/*` caching, cache key
// parameters, `Cache-Control: max-age=0` per the invalidation settings, FlushStageCache.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStageCommand, FlushStageAuthorizersCacheCommand, GetRestApiCommand, FlushStageCacheCommand, GetStageCommand, PutIntegrationCommand, PutMethodCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, invoke, lambdaProxyMethod, sendTo } from '../../helpers/apigateway.ts'
import { signedHeaders } from '../../helpers/execute-api-signer.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

/** Every call answers a new id: two equal bodies mean the second never reached the function. */
const fresh = `const { randomUUID } = require('node:crypto')
exports.handler = async (event) => ({ statusCode: 200, headers: { 'X-From': 'lambda' },
  body: JSON.stringify({ id: randomUUID(), query: event.queryStringParameters }) })`

async function functionUri(): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const name = await createFunction(lambda, fresh)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
}

const lambdaUri = (arn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`

describe('API Gateway stage cache', () => {
  it('provisions the cluster on the clock, caches GET responses for the TTL, keyed on the cache key parameters', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const arn = await functionUri()
    const items = await createPath(client, api, '/items')
    // GET /items keys its entries on ?color (not on any other query parameter).
    await client.send(new PutMethodCommand({
      restApiId: api.id, resourceId: items, httpMethod: 'GET', authorizationType: 'NONE',
      requestParameters: { 'method.request.querystring.color': false },
    }))
    await client.send(new PutIntegrationCommand({
      restApiId: api.id, resourceId: items, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(arn),
      cacheKeyParameters: ['method.request.querystring.color'],
    }))
    await lambdaProxyMethod(client, api.id, items, 'POST', arn)
    const deploymentId = await deploy(client, api.id, 'plain')
    const created = await client.send(new CreateStageCommand({ restApiId: api.id, stageName: 'dev', deploymentId, cacheClusterEnabled: true }))
    assert.equal(created.cacheClusterStatus, 'CREATE_IN_PROGRESS')
    assert.equal(created.cacheClusterSize, '0.5')
    assert.equal((await client.send(new GetStageCommand({ restApiId: api.id, stageName: 'plain' }))).cacheClusterStatus, 'NOT_AVAILABLE')

    const settings = await client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [
        { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
        { op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '60' },
      ],
    }))
    assert.equal(settings.methodSettings!['*/*']!.cachingEnabled, true)
    assert.equal(settings.methodSettings!['*/*']!.cacheTtlInSeconds, 60)

    const get = async (query = '', headers: Record<string, string> = {}) => {
      const answer = await invoke(nimbus.current, 'host', api.id, 'dev', `/items${query}`, { headers })
      assert.equal(answer.status, 200, answer.text)
      return answer
    }
    const id = async (query = '') => ((await get(query)).json() as { id: string }).id
    assert.notEqual(await id(), await id(), 'nothing is cached while the cluster is being created')

    await advance(nimbus.current, 60_000)
    assert.equal((await client.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }))).cacheClusterStatus, 'AVAILABLE')
    const first = await get()
    const second = await get()
    assert.equal(second.text, first.text, 'the second request within the TTL is answered from the cache')
    assert.equal(second.headers['x-from'], 'lambda', 'with the cached headers')
    assert.notEqual(second.headers['x-amzn-requestid'], first.headers['x-amzn-requestid'], 'and its own request id')
    assert.equal(await id('?other=1'), (first.json() as { id: string }).id, 'a query parameter that is no cache key shares the entry')
    await advance(nimbus.current, 59_000)
    assert.equal((await get()).text, first.text, 'still within the TTL')
    await advance(nimbus.current, 1_000)
    const expired = await get()
    assert.notEqual(expired.text, first.text, 'the first request after the TTL reaches the function')
    assert.equal((await get()).text, expired.text, 'and is cached anew')

    const red = await id('?color=red')
    const blue = await id('?color=blue')
    assert.notEqual(red, blue, 'a cache key parameter keys its own entries')
    assert.equal(await id('?color=red'), red)
    assert.equal(await id('?color=blue&other=2'), blue)

    const post = async () => {
      const answer = await invoke(nimbus.current, 'host', api.id, 'dev', '/items', { method: 'POST', body: '{}' })
      return (answer.json() as { id: string }).id
    }
    assert.notEqual(await post(), await post(), "`*/*` caching covers GET methods only")
    await client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/~1items/POST/caching/enabled', value: 'true' }],
    }))
    assert.equal(await post(), await post(), "a method's own setting caches a POST")

    await client.send(new FlushStageCacheCommand({ restApiId: api.id, stageName: 'dev' }))
    assert.notEqual(await id('?color=red'), red, 'FlushStageCache empties the stage cache')
    await client.send(new FlushStageAuthorizersCacheCommand({ restApiId: api.id, stageName: 'dev' }))
    await assert.rejects(client.send(new FlushStageCacheCommand({ restApiId: api.id, stageName: 'nope' })), { name: 'NotFoundException' })

    // Disabling the cluster drops its data and stops caching.
    await client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'false' }],
    }))
    assert.equal((await client.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }))).cacheClusterStatus, 'NOT_AVAILABLE')
    assert.notEqual(await id(), await id())
  })

  it('honours Cache-Control: max-age=0 as the invalidation settings say', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await lambdaProxyMethod(client, api.id, await createPath(client, api, '/n'), 'GET', await functionUri())
    await deploy(client, api.id, 'dev')
    await client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [
        { op: 'replace', path: '/cacheClusterEnabled', value: 'true' },
        { op: 'replace', path: '/cacheClusterSize', value: '1.6' },
        { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
      ],
    }))
    await advance(nimbus.current, 60_000)
    const get = (headers: Record<string, string> = {}) => invoke(nimbus.current, 'path', api.id, 'dev', '/n', { headers })
    const cached = (await get()).text
    assert.equal((await get()).text, cached)

    // By default invalidation needs authorization (an IAM-signed caller): the header is ignored, with a warning.
    const warned = await get({ 'Cache-Control': 'max-age=0' })
    assert.equal(warned.status, 200)
    assert.equal(warned.text, cached)
    assert.match(String(warned.headers['warning']), /^199 /)

    const setting = (name: string, value: string) => client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: `/~1n/GET/caching/${name}`, value }],
    }))
    await setting('unauthorizedCacheControlHeaderStrategy', 'SUCCEED_WITHOUT_RESPONSE_HEADER')
    const silent = await get({ 'Cache-Control': 'max-age=0' })
    assert.equal(silent.text, cached)
    assert.equal(silent.headers['warning'], undefined)

    await setting('unauthorizedCacheControlHeaderStrategy', 'FAIL_WITH_403')
    const refused = await get({ 'Cache-Control': 'no-store, max-age=0' })
    assert.equal(refused.status, 403)
    assert.equal(refused.headers['x-amzn-errortype'], 'AccessDeniedException')
    assert.match(refused.text, /execute-api:InvalidateCache/)
    assert.equal((await get()).text, cached, 'a request without the header is served from the cache as before')
    // A SigV4-signed caller (here the account's root key) is authorized for execute-api:InvalidateCache.
    const host = new URL(nimbus.current.endpoint).host
    const path = `/restapis/${api.id}/dev/_user_request_/n`
    const signed = await sendTo(nimbus.current, host, path, {
      headers: { 'cache-control': 'max-age=0', ...(await signedHeaders(nimbus.current, testCredentials, 'GET', host, path)) },
    })
    assert.equal(signed.status, 200)
    assert.notEqual(signed.text, cached, 'the authorized invalidation reaches the function')
    assert.equal((await get()).text, signed.text, 'and replaces the cached entry')

    // Without "require authorization" any client refreshes its entry.
    await setting('requireAuthorizationForCacheControl', 'false')
    const refreshed = await get({ 'Cache-Control': 'max-age=0' })
    assert.equal(refreshed.status, 200)
    assert.notEqual(refreshed.text, cached, 'the invalidating request reaches the function')
    assert.equal((await get()).text, refreshed.text, 'and replaces the cached entry')

    // Resizing replaces the cluster (and its data), which provisions again.
    const resized = await client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/cacheClusterSize', value: '6.1' }],
    }))
    assert.equal(resized.cacheClusterStatus, 'CREATE_IN_PROGRESS')
    await advance(nimbus.current, 60_000)
    assert.notEqual((await get()).text, refreshed.text)
  })

  it('publishes CacheHitCount and CacheMissCount to CloudWatch', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const name = (await client.send(new GetRestApiCommand({ restApiId: api.id }))).name!
    await lambdaProxyMethod(client, api.id, await createPath(client, api, '/m'), 'GET', await functionUri())
    const deploymentId = await deploy(client, api.id, 'plain')
    await client.send(new CreateStageCommand({ restApiId: api.id, stageName: 'dev', deploymentId, cacheClusterEnabled: true }))
    await client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [
        { op: 'replace', path: '/*/*/caching/enabled', value: 'true' }, { op: 'replace', path: '/*/*/metrics/enabled', value: 'true' },
      ],
    }))
    await advance(nimbus.current, 60_000)
    for (let i = 0; i < 3; i++) assert.equal((await invoke(nimbus.current, 'host', api.id, 'dev', '/m')).status, 200)
    const now = nimbus.current.clock.now()
    const cw = new CloudWatchClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
    const sum = async (metric: string, dimensions: { Name: string; Value: string }[]) => {
      const stats = await cw.send(new GetMetricStatisticsCommand({
        Namespace: 'AWS/ApiGateway', MetricName: metric, Dimensions: dimensions, StartTime: new Date(now - 3_600_000), EndTime: new Date(now + 60_000),
        Period: 3600 * 2, Statistics: ['Sum'],
      }))
      return stats.Datapoints!.reduce((total, d) => total + d.Sum!, 0)
    }
    const stage = [{ Name: 'ApiName', Value: name }, { Name: 'Stage', Value: 'dev' }]
    assert.equal(await sum('CacheHitCount', stage), 2)
    assert.equal(await sum('CacheMissCount', stage), 1)
    assert.equal(await sum('CacheHitCount', [{ Name: 'ApiName', Value: name }]), 2)
    assert.equal(await sum('CacheHitCount', [stage[0]!, { Name: 'Method', Value: 'GET' }, { Name: 'Resource', Value: '/m' }, stage[1]!]), 2,
      'per method with detailed metrics on')
  })

  it('refuses a TTL over 3,600 seconds and a size AWS does not offer', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await lambdaProxyMethod(client, api.id, await createPath(client, api, '/x'), 'GET', await functionUri())
    const deploymentId = await deploy(client, api.id, 'dev')
    await assert.rejects(client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '3601' }],
    })), { name: 'BadRequestException' })
    await assert.rejects(client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/cacheClusterSize', value: '2' }],
    })), { name: 'BadRequestException' })
    await assert.rejects(client.send(new CreateStageCommand({
      restApiId: api.id, stageName: 'big', deploymentId, cacheClusterEnabled: true, cacheClusterSize: '7' as '6.1',
    })), { name: 'BadRequestException' })
    const stage = await client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '3600' }],
    }))
    assert.equal(stage.methodSettings!['*/*']!.cacheTtlInSeconds, 3600)
  })
})
