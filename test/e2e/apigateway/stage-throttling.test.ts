// API Gateway stage method settings end to end: UpdateStage patches (variables, description,
// `*/*` and per-method settings, as the Serverless throttling plugin and the console send them),
// and the stage's throttle — a token bucket per method on the manual clock → 429 Too Many Requests.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetStageCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod } from '../../helpers/apigateway.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

describe('API Gateway stage method settings and throttling', () => {
  it('updates a stage and throttles every method, and one method on its own limits', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/a'), 'GET', 200, '{"a": "$stageVariables.color"}')
    await mockMethod(client, api.id, await createPath(client, api, '/b'), 'GET', 200, '{"b": 1}')
    await deploy(client, api.id, 'dev', { color: 'red' })

    const stage = await client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [
        { op: 'replace', path: '/description', value: 'throttled' },
        { op: 'replace', path: '/variables/color', value: 'blue' },
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: '1' },
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: '2' },
        { op: 'replace', path: '/~1b/GET/throttling/burstLimit', value: '1' },
        { op: 'replace', path: '/~1b/GET/metrics/enabled', value: 'true' },
      ],
    }))
    assert.equal(stage.description, 'throttled')
    assert.deepEqual(stage.variables, { color: 'blue' })
    assert.equal(stage.methodSettings!['*/*']!.throttlingRateLimit, 1)
    assert.deepEqual({ ...stage.methodSettings!['~1b/GET'] }, {
      metricsEnabled: true, dataTraceEnabled: false, throttlingBurstLimit: 1, throttlingRateLimit: 1, cachingEnabled: false,
      cacheTtlInSeconds: 300, cacheDataEncrypted: false, requireAuthorizationForCacheControl: true,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
    })
    await assert.rejects(client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/*/*/throttling/nope', value: '1' }],
    })), { name: 'BadRequestException' })

    const a = () => invoke(nimbus.current, 'host', api.id, 'dev', '/a')
    const b = () => invoke(nimbus.current, 'host', api.id, 'dev', '/b')
    const first = await a()
    assert.deepEqual(first.json(), { a: 'blue' }, 'the updated variable is served')
    assert.equal((await a()).status, 200, 'the burst of 2')
    const throttled = await a()
    assert.equal(throttled.status, 429)
    assert.deepEqual(throttled.json(), { message: 'Too Many Requests' })
    assert.equal(throttled.headers['x-amzn-errortype'], 'TooManyRequestsException')
    assert.equal((await b()).status, 200, '/b has its own bucket')
    assert.equal((await b()).status, 429, "/b's burst is 1")
    await advance(nimbus.current, 1000)
    assert.equal((await a()).status, 200, 'refilled at 1 per second')
    assert.equal((await b()).status, 200)

    await client.send(new UpdateStageCommand({
      restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'remove', path: '/*/*' }, { op: 'remove', path: '/~1b/GET' }],
    }))
    assert.deepEqual((await client.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }))).methodSettings, {})
    for (let i = 0; i < 5; i++) assert.equal((await a()).status, 200, 'no throttle once the settings are removed')
  })
})
