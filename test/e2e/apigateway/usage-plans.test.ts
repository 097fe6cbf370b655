// API Gateway API keys and usage plans end to end: the control plane (ApiKeys, UsagePlans,
// UsagePlanKeys, GetUsage) and, for methods with apiKeyRequired, 403 Forbidden without a valid key,
// the plan's throttle (429 Too Many Requests, refilled on the manual clock) and its quota (429 Limit
// Exceeded until the next UTC day), with the key in the event's requestContext.identity.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateApiKeyCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, DeleteApiKeyCommand, DeleteUsagePlanKeyCommand, GetApiKeyCommand,
  GetApiKeysCommand, GetUsageCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand, PutIntegrationCommand, PutMethodCommand,
  UpdateApiKeyCommand, UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, invoke } from '../../helpers/apigateway.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

const echo = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.identity) })`

/** A deployed API whose GET /items requires an API key, served by the echo function. */
async function keyedApi(client: APIGatewayClient): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const fn = (await lambda.send(new GetFunctionCommand({ FunctionName: await createFunction(lambda, echo) }))).Configuration!.FunctionArn!
  const api = await createApi(client)
  const resourceId = await createPath(client, api, '/items')
  await client.send(new PutMethodCommand({ restApiId: api.id, resourceId, httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true }))
  await client.send(new PutIntegrationCommand({
    restApiId: api.id, resourceId, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST',
    uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn}/invocations`,
  }))
  await deploy(client, api.id, 'prod')
  return api.id
}

const today = () => new Date(nimbus.current.clock.now()).toISOString().slice(0, 10)

describe('API Gateway API keys and usage plans', () => {
  it('manages keys, plans and plan keys through the SDK', async () => {
    const client = apiGatewayClient(nimbus.current)
    const apiId = await keyedApi(client)
    const key = await client.send(new CreateApiKeyCommand({ name: 'partner', enabled: true, customerId: 'c-1' }))
    assert.match(key.value!, /^[A-Za-z0-9]{40}$/)
    assert.equal((await client.send(new GetApiKeyCommand({ apiKey: key.id! }))).value, undefined, 'the value only on request')
    assert.equal((await client.send(new GetApiKeyCommand({ apiKey: key.id!, includeValue: true }))).value, key.value)
    await assert.rejects(client.send(new CreateApiKeyCommand({ value: 'short' })), { name: 'BadRequestException' })
    await assert.rejects(client.send(new CreateApiKeyCommand({ value: key.value })), { name: 'ConflictException' })
    const disabled = await client.send(new UpdateApiKeyCommand({ apiKey: key.id!, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }))
    assert.equal(disabled.enabled, false)
    assert.ok((await client.send(new GetApiKeysCommand({ nameQuery: 'part' }))).items!.some((k) => k.id === key.id))

    const plan = await client.send(new CreateUsagePlanCommand({
      name: 'gold', apiStages: [{ apiId, stage: 'prod' }], throttle: { rateLimit: 10, burstLimit: 5 }, quota: { limit: 100, period: 'WEEK', offset: 1 },
    }))
    assert.deepEqual(plan.quota, { limit: 100, period: 'WEEK', offset: 1 })
    await assert.rejects(client.send(new CreateUsagePlanCommand({ name: 'x', apiStages: [{ apiId, stage: 'nope' }] })), { name: 'NotFoundException' })
    await assert.rejects(client.send(new CreateUsagePlanCommand({ name: 'x', quota: { limit: 1, period: 'DAY', offset: 2 } })), { name: 'BadRequestException' })
    const planKey = await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }))
    assert.deepEqual(planKey, { $metadata: planKey.$metadata, id: key.id, type: 'API_KEY', value: key.value, name: 'partner' })
    assert.equal((await client.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id! }))).items!.length, 1)
    assert.deepEqual((await client.send(new GetUsagePlansCommand({ keyId: key.id! }))).items!.map((p) => p.id), [plan.id])
    const updated = await client.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id!, patchOperations: [{ op: 'replace', path: '/quota/limit', value: '50' }] }))
    assert.equal(updated.quota!.limit, 50)
    await client.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id! }))
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }))
    await client.send(new DeleteApiKeyCommand({ apiKey: key.id! }))
    assert.deepEqual((await client.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id! }))).items, [], 'a deleted key leaves its plans')
    await assert.rejects(client.send(new GetApiKeyCommand({ apiKey: key.id! })), { name: 'NotFoundException', message: 'Invalid API Key identifier specified' })
  })

  it('answers 403 Forbidden without a valid key, throttles on the clock and enforces a daily quota', async () => {
    const client = apiGatewayClient(nimbus.current)
    const apiId = await keyedApi(client)
    const key = await client.send(new CreateApiKeyCommand({ name: 'k', enabled: true }))
    const get = (apiKey?: string) => invoke(nimbus.current, 'host', apiId, 'prod', '/items', { headers: apiKey === undefined ? {} : { 'x-api-key': apiKey } })

    for (const res of [await get(), await get('x'.repeat(30)), await get(key.value)]) {
      assert.equal(res.status, 403, 'no key, an unknown key, a key of no usage plan')
      assert.deepEqual(res.json(), { message: 'Forbidden' })
      assert.equal(res.headers['x-amzn-errortype'], 'ForbiddenException')
    }
    const plan = await client.send(new CreateUsagePlanCommand({
      name: 'metered', apiStages: [{ apiId, stage: 'prod' }], throttle: { rateLimit: 1, burstLimit: 2 }, quota: { limit: 4, period: 'DAY' },
    }))
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }))

    const ok = await get(key.value)
    assert.equal(ok.status, 200)
    const identity = ok.json() as Record<string, unknown>
    assert.equal(identity['apiKey'], key.value)
    assert.equal(identity['apiKeyId'], key.id)
    assert.equal((await get(key.value)).status, 200, 'the burst of 2')
    const throttled = await get(key.value)
    assert.equal(throttled.status, 429)
    assert.deepEqual(throttled.json(), { message: 'Too Many Requests' })
    assert.equal(throttled.headers['x-amzn-errortype'], 'TooManyRequestsException')
    await advance(nimbus.current, 1000)
    assert.equal((await get(key.value)).status, 200, 'one token back after a second')
    await advance(nimbus.current, 1000)
    assert.equal((await get(key.value)).status, 200, 'the fourth request: the quota is used up')
    await advance(nimbus.current, 1000)
    const exceeded = await get(key.value)
    assert.equal(exceeded.status, 429)
    assert.deepEqual(exceeded.json(), { message: 'Limit Exceeded' })
    assert.equal(exceeded.headers['x-amzn-errortype'], 'LimitExceededException')

    const day = today()
    const usage = await client.send(new GetUsageCommand({ usagePlanId: plan.id!, startDate: day, endDate: day }))
    assert.deepEqual(usage.items, { [key.id!]: [[4, 0]] })

    // The next UTC day starts a new quota period.
    const now = nimbus.current.clock.now()
    await advance(nimbus.current, 86_400_000 - (now % 86_400_000))
    assert.equal((await get(key.value)).status, 200)
    await client.send(new UpdateApiKeyCommand({ apiKey: key.id!, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }))
    assert.equal((await get(key.value)).status, 403, 'a disabled key')
  })
})
