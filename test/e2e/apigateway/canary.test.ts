// API Gateway canary releases end to end: CreateDeployment with canarySettings on an existing stage,
// the deterministic split (exactly round(N·p/100) of N requests served by the canary's deployment
// with its stage variable overrides), UpdateStage's canary paths, the documented promotion
// (copy deploymentId and overrides, percentTraffic 0.0) and removing the canary.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateDeploymentCommand, CreateStageCommand, DeleteDeploymentCommand, GetStageCommand, PutIntegrationResponseCommand, UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod } from '../../helpers/apigateway.ts'
import { logsClient } from '../../helpers/logs.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

async function versions(apiId: string, n: number, form: 'host' | 'path' = 'host'): Promise<string[]> {
  const seen: string[] = []
  for (let i = 0; i < n; i++) {
    const response = await invoke(nimbus.current, form, apiId, 'prod', '/v')
    assert.equal(response.status, 200)
    const body = response.json() as { v: number; color: string }
    seen.push(`${body.v}${body.color}`)
  }
  return seen
}

describe('API Gateway canary releases', () => {
  it('splits a stage between its deployment and the canary, updates and promotes it', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resource = await createPath(client, api, '/v')
    const template = (v: number) => `{"v": ${v}, "color": "$stageVariables.color"}`
    await mockMethod(client, api.id, resource, 'GET', 200, template(1))
    const first = await deploy(client, api.id, 'prod', { color: 'red' })

    // A canary needs an existing stage.
    await assert.rejects(client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'nope', canarySettings: { percentTraffic: 10 } })),
      { name: 'NotFoundException' })
    await assert.rejects(client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod', canarySettings: { percentTraffic: 150 } })),
      { name: 'BadRequestException' })

    await client.send(new PutIntegrationResponseCommand({
      restApiId: api.id, resourceId: resource, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': template(2) },
    }))
    const second = (await client.send(new CreateDeploymentCommand({
      restApiId: api.id, stageName: 'prod', canarySettings: { percentTraffic: 25, stageVariableOverrides: { color: 'green' } },
    }))).id!
    const stage = await client.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' }))
    assert.equal(stage.deploymentId, first, 'the stage keeps its deployment')
    assert.deepEqual(stage.canarySettings, { percentTraffic: 25, deploymentId: second, stageVariableOverrides: { color: 'green' }, useStageCache: false })

    // 25 %: every 4 requests, one canary (the 2nd, 6th…), whichever URL form.
    assert.deepEqual(await versions(api.id, 4), ['1red', '2green', '1red', '1red'])
    assert.deepEqual(await versions(api.id, 4, 'path'), ['1red', '2green', '1red', '1red'])
    await assert.rejects(client.send(new DeleteDeploymentCommand({ restApiId: api.id, deploymentId: second })), { name: 'BadRequestException' })

    // UpdateStage's canary paths: a new percentage starts the count over.
    const updated = await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [
      { op: 'replace', path: '/canarySettings/percentTraffic', value: '50.0' },
      { op: 'replace', path: '/canarySettings/stageVariableOverrides/color', value: 'blue' },
      { op: 'replace', path: '/canarySettings/useStageCache', value: 'true' },
    ] }))
    assert.deepEqual(updated.canarySettings, { percentTraffic: 50, deploymentId: second, stageVariableOverrides: { color: 'blue' }, useStageCache: true })
    const half = await versions(api.id, 10)
    assert.equal(half.filter((v) => v === '2blue').length, 5)
    assert.equal(half.filter((v) => v === '1red').length, 5)
    await assert.rejects(client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [
      { op: 'replace', path: '/canarySettings/percentTraffic', value: '101' }] })), { name: 'BadRequestException' })
    await assert.rejects(client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [
      { op: 'replace', path: '/canarySettings/deploymentId', value: 'nope12' }] })), { name: 'NotFoundException' })

    // The promotion AWS documents.
    const promoted = await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [
      { op: 'replace', path: '/canarySettings/percentTraffic', value: '0.0' },
      { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' },
      { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' },
    ] }))
    assert.equal(promoted.deploymentId, second)
    assert.deepEqual(promoted.variables, { color: 'blue' })
    assert.equal(promoted.canarySettings?.percentTraffic, 0, 'promotion leaves the canary on the stage at 0 %')
    assert.deepEqual(await versions(api.id, 4), ['2blue', '2blue', '2blue', '2blue'])

    const removed = await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [{ op: 'remove', path: '/canarySettings' }] }))
    assert.equal(removed.canarySettings, undefined)
    await client.send(new DeleteDeploymentCommand({ restApiId: api.id, deploymentId: first }))
  })

  it('takes canarySettings on CreateStage, 100 % serving the canary', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resource = await createPath(client, api, '/v')
    await mockMethod(client, api.id, resource, 'GET', 200, '{"v": 1, "color": "$stageVariables.color"}')
    const first = await deploy(client, api.id, 'dev')
    await client.send(new PutIntegrationResponseCommand({
      restApiId: api.id, resourceId: resource, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"v": 2, "color": "$stageVariables.color"}' },
    }))
    const second = await deploy(client, api.id, 'dev')
    const stage = await client.send(new CreateStageCommand({
      restApiId: api.id, stageName: 'prod', deploymentId: first, variables: { color: 'red' },
      canarySettings: { deploymentId: second, percentTraffic: 100, stageVariableOverrides: { color: 'gold' } },
    }))
    assert.equal(stage.canarySettings?.deploymentId, second)
    assert.deepEqual(await versions(api.id, 3), ['2gold', '2gold', '2gold'])
  })

  it('keeps canary requests out of the stage cache without useStageCache, logging them to the /Canary group', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/v'), 'GET', 200, '{"id": "$context.requestId", "deployment": "$context.deploymentId"}')
    await deploy(client, api.id, 'prod')
    await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [
      { op: 'replace', path: '/cacheClusterEnabled', value: 'true' },
      { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
      { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
    ] }))
    await advance(nimbus.current, 60_000)
    const canaryDeployment = (await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod', canarySettings: { percentTraffic: 50 } }))).id!
    const ids: { id: string; deployment: string }[] = []
    for (let i = 0; i < 4; i++) ids.push((await invoke(nimbus.current, 'host', api.id, 'prod', '/v')).json() as { id: string; deployment: string })
    // 50 %: the 1st and 3rd go to the canary, never cached; the 2nd and 4th to the stage (the 4th a cache hit).
    assert.deepEqual(ids.map((x) => x.deployment === canaryDeployment), [true, false, true, false])
    assert.notEqual(ids[0]!.id, ids[2]!.id)
    assert.equal(ids[1]!.id, ids[3]!.id)
    const group = `API-Gateway-Execution-Logs_${api.id}/prod/Canary`
    const events = (await logsClient(nimbus.current).send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? []
    assert.ok(events.some((e) => e.message!.includes('Starting execution for request')), 'canary requests log to the /Canary group')
  })

  it('writes a canary request\'s access log line to the stage\'s group and to its /Canary group', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/v'), 'GET', 200, '{}')
    await deploy(client, api.id, 'prod')
    const group = `/access/${api.id}`
    await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:000000000000:log-group:${group}` },
      { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId $context.isCanaryRequest' }] }))
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod', canarySettings: { percentTraffic: 50 } }))
    const sent: string[] = []
    for (let i = 0; i < 2; i++) sent.push(String((await invoke(nimbus.current, 'host', api.id, 'prod', '/v')).headers['x-amzn-requestid']))
    const read = async (name: string) => ((await logsClient(nimbus.current).send(new FilterLogEventsCommand({ logGroupName: name }))).events ?? []).map((e) => e.message)
    // 50 %: the 1st goes to the canary.
    assert.deepEqual(await read(group), [`${sent[0]} true`, `${sent[1]} false`])
    assert.deepEqual(await read(`${group}/Canary`), [`${sent[0]} true`])
  })
})
