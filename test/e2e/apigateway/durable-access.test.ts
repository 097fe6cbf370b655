// API Gateway's access control across a restart on one data dir: authorizers, API keys and usage
// plans read back as they were, and a key still opens its keyed method after the restart.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  CreateApiKeyCommand, CreateAuthorizerCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetApiKeyCommand, GetAuthorizersCommand,
  GetUsagePlanCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { apiGatewayClient, createApi, createPath, deploy, invoke } from '../../helpers/apigateway.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-apigateway-access-'))
after(() => rmSync(dataDir, { recursive: true, force: true }))

const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })

describe('API Gateway access control across restarts', () => {
  it('keeps authorizers, API keys and usage plans; a key still opens its method', async () => {
    let nimbus: Nimbus = await open()
    let client = apiGatewayClient(nimbus)
    const api = await createApi(client)
    const method = { restApiId: api.id, resourceId: await createPath(client, api, '/keyed'), httpMethod: 'GET' }
    await client.send(new PutMethodCommand({ ...method, authorizationType: 'NONE', apiKeyRequired: true }))
    await client.send(new PutIntegrationCommand({ ...method, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }))
    await client.send(new PutMethodResponseCommand({ ...method, statusCode: '200' }))
    await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }))
    await deploy(client, api.id, 'prod')
    const authorizer = await client.send(new CreateAuthorizerCommand({
      restApiId: api.id, name: 'tok', type: 'TOKEN', identitySource: 'method.request.header.Authorization',
      authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations',
    }))
    const key = await client.send(new CreateApiKeyCommand({ name: 'k', enabled: true }))
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.id, stage: 'prod' }], quota: { limit: 10, period: 'MONTH' } }))
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }))
    assert.equal((await invoke(nimbus, 'path', api.id, 'prod', '/keyed', { headers: { 'x-api-key': key.value! } })).status, 200)
    await nimbus.stop()

    nimbus = await open()
    client = apiGatewayClient(nimbus)
    try {
      const { $metadata: _, ...stored } = authorizer
      assert.deepEqual((await client.send(new GetAuthorizersCommand({ restApiId: api.id }))).items, [stored])
      assert.equal((await client.send(new GetApiKeyCommand({ apiKey: key.id!, includeValue: true }))).value, key.value)
      assert.deepEqual((await client.send(new GetUsagePlanCommand({ usagePlanId: plan.id! }))).quota, { limit: 10, period: 'MONTH', offset: 0 })
      const res = await invoke(nimbus, 'path', api.id, 'prod', '/keyed', { headers: { 'x-api-key': key.value! } })
      assert.equal(res.status, 200)
      assert.deepEqual(res.json(), { ok: true })
      assert.equal((await invoke(nimbus, 'path', api.id, 'prod', '/keyed')).status, 403)
    } finally {
      await nimbus.stop()
    }
  })
})
