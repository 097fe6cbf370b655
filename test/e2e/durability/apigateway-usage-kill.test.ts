// What API Gateway acknowledged about accounts and usage survives `kill -9`: the built CLI on a data dir takes
// UpdateAccount's role, a usage plan's metered requests and UpdateUsage's extension, is killed and started again on
// the same folder. GetAccount still shows the role, GetUsage the same counts, and the quota refuses exactly when
// the counts from before the kill say it must.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateApiKeyCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetAccountCommand, GetUsageCommand, PutIntegrationCommand,
  PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, UpdateAccountCommand, UpdateUsageCommand,
} from '@aws-sdk/client-api-gateway'
import type { Nimbus } from '../../../src/index.ts'
import { apiGatewayClient, createApi, createPath, deploy, invoke } from '../../helpers/apigateway.ts'
import { killTestDir } from '../../helpers/spawn-cli.ts'

const { dataDir, processes } = killTestDir('nimbus-apigw-usage-kill-')

const role = 'arn:aws:iam::000000000000:role/apigw-logs'

describe('API Gateway account settings and usage on a data dir, killed with SIGKILL', () => {
  it('keeps the account\'s role, the quota counts and UpdateUsage\'s extension', async () => {
    const first = await processes.start(['--data-dir', dataDir])
    let nimbus = { endpoint: first.endpoint } as Nimbus
    let client = apiGatewayClient(nimbus)
    const api = await createApi(client)
    const method = { restApiId: api.id, resourceId: await createPath(client, api, '/keyed'), httpMethod: 'GET' }
    await client.send(new PutMethodCommand({ ...method, authorizationType: 'NONE', apiKeyRequired: true }))
    await client.send(new PutIntegrationCommand({ ...method, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }))
    await client.send(new PutMethodResponseCommand({ ...method, statusCode: '200' }))
    await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }))
    await deploy(client, api.id, 'prod')
    const key = await client.send(new CreateApiKeyCommand({ name: 'k', enabled: true }))
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.id, stage: 'prod' }], quota: { limit: 5, period: 'DAY' } }))
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }))
    await client.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: role }] }))
    const call = () => invoke(nimbus, 'path', api.id, 'prod', '/keyed', { headers: { 'x-api-key': key.value! } })
    for (let i = 0; i < 3; i++) assert.equal((await call()).status, 200)
    // 3 of 5 used, 2 remaining: the extension leaves 4.
    const extended = await client.send(new UpdateUsageCommand({ usagePlanId: plan.id!, keyId: key.id!,
      patchOperations: [{ op: 'replace', path: `/keys/${key.id!}/remaining`, value: '4' }] }))
    const today = extended.startDate!
    assert.deepEqual(extended.items, { [key.id!]: [[3, 4]] })
    // One more request counted only by the data plane's group commit, read back once through the control plane.
    assert.equal((await call()).status, 200)
    const usage = { usagePlanId: plan.id!, keyId: key.id!, startDate: today, endDate: today }
    assert.deepEqual((await client.send(new GetUsageCommand(usage))).items, { [key.id!]: [[4, 3]] })
    client.destroy()

    await processes.kill(first)

    const second = await processes.start(['--data-dir', dataDir])
    nimbus = { endpoint: second.endpoint } as Nimbus
    client = apiGatewayClient(nimbus)
    assert.equal((await client.send(new GetAccountCommand({}))).cloudwatchRoleArn, role)
    assert.deepEqual((await client.send(new GetUsageCommand(usage))).items, { [key.id!]: [[4, 3]] })
    for (let i = 0; i < 3; i++) assert.equal((await call()).status, 200)
    const refused = await call()
    assert.equal(refused.status, 429)
    assert.deepEqual(refused.json(), { message: 'Limit Exceeded' })
    assert.deepEqual((await client.send(new GetUsageCommand(usage))).items, { [key.id!]: [[7, 0]] })
    client.destroy()
  })
})
