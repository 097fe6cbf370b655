// API Gateway across restarts on one data dir (in process): APIs with their resources, methods,
// integrations, deployments and stages read back identical, invoke URLs keep serving the deployed
// snapshot, deletes stay deleted, and a reset empties it.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  type APIGatewayClient, DeleteRestApiCommand, GetResourcesCommand, GetRestApiCommand, GetRestApisCommand, GetStagesCommand, GetTagsCommand,
} from '@aws-sdk/client-api-gateway'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod } from '../../helpers/apigateway.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-apigateway-durable-'))
after(() => rmSync(dataDir, { recursive: true, force: true }))

const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })

async function snapshot(client: APIGatewayClient) {
  const apis = (await client.send(new GetRestApisCommand({}))).items ?? []
  return Promise.all(apis.map(async (api) => ({
    api: { ...api },
    resources: (await client.send(new GetResourcesCommand({ restApiId: api.id!, embed: ['methods'] }))).items,
    stages: (await client.send(new GetStagesCommand({ restApiId: api.id! }))).item,
    tags: (await client.send(new GetTagsCommand({ resourceArn: `arn:aws:apigateway:us-east-1::/restapis/${api.id}` }))).tags,
  })))
}

describe('API Gateway across restarts on a data dir', () => {
  it('keeps APIs, their deployed stages and invoke URLs; deletes stay deleted; reset empties it', async () => {
    let nimbus: Nimbus = await open()
    let client = apiGatewayClient(nimbus)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/ping/{id}'), 'GET', 200, '{"pong": "$context.stage"}')
    await deploy(client, api.id, 'dev', { k: 'v' })
    const gone = await createApi(client)
    await client.send(new DeleteRestApiCommand({ restApiId: gone.id }))
    const before = await snapshot(client)

    client.destroy()
    await nimbus.stop()
    nimbus = await open()
    client = apiGatewayClient(nimbus)
    assert.deepEqual(JSON.parse(JSON.stringify(await snapshot(client), dropMetadata)), JSON.parse(JSON.stringify(before, dropMetadata)))
    await assert.rejects(client.send(new GetRestApiCommand({ restApiId: gone.id })), { name: 'NotFoundException' })
    const res = await invoke(nimbus, 'host', api.id, 'dev', '/ping/1')
    assert.equal(res.status, 200)
    assert.deepEqual(res.json(), { pong: 'dev' })

    nimbus.reset()
    client.destroy()
    await nimbus.stop()
    nimbus = await open()
    client = apiGatewayClient(nimbus)
    assert.deepEqual((await client.send(new GetRestApisCommand({}))).items ?? [], [])
    client.destroy()
    await nimbus.stop()
  })
})

function dropMetadata(key: string, value: unknown): unknown {
  return key === '$metadata' ? undefined : value
}
