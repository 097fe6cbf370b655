// Execution logs of REST API stages: `logging/loglevel` INFO writes each request's lines to
// API-Gateway-Execution-Logs_{apiId}/{stage}, with the stage cache's hits and misses; ERROR writes
// failed requests only; OFF nothing. Read back with the real CloudWatch Logs client.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { UpdateStageCommand } from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod } from '../../helpers/apigateway.ts'
import { logsClient } from '../../helpers/logs.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

async function lines(group: string): Promise<string[]> {
  try {
    const events = await logsClient(nimbus.current).send(new FilterLogEventsCommand({ logGroupName: group }))
    return (events.events ?? []).map((e) => e.message!)
  } catch {
    return []
  }
}

describe('API Gateway execution logs', () => {
  it('writes INFO lines per request (cache hits and misses included), only failures at ERROR', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/pets'), 'GET', 200, '{"ok": true}')
    await deploy(client, api.id, 'dev')
    const group = `API-Gateway-Execution-Logs_${api.id}/dev`
    await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')
    assert.deepEqual(await lines(group), [], 'logging is OFF by default')

    await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [
      { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }] }))
    const ok = await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')
    const id = String(ok.headers['x-amzn-requestid'])
    const extended = String(ok.headers['x-amz-apigw-id'])
    const info = await lines(group)
    assert.deepEqual(info, [
      `(${id}) Extended Request Id: ${extended}`,
      `(${id}) Starting execution for request: ${id}`,
      `(${id}) HTTP Method: GET, Resource Path: /pets`,
      `(${id}) Successfully completed execution`,
      `(${id}) Method completed with status: 200`,
    ])

    await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [
      { op: 'replace', path: '/cacheClusterEnabled', value: 'true' }, { op: 'replace', path: '/*/*/caching/enabled', value: 'true' }] }))
    await advance(nimbus.current, 61_000)
    await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')
    await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')
    const cacheLines = (await lines(group)).filter((l) => /Cache (hit|miss) for key/.test(l))
    assert.deepEqual(cacheLines.map((l) => l.replace(/^\(\S+\) /, '').split(' for key')[0]), ['Cache miss', 'Cache hit'])

    await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [
      { op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR' }] }))
    const before = (await lines(group)).length
    await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')
    assert.equal((await lines(group)).length, before, 'a success writes nothing at ERROR')
    const missing = await invoke(nimbus.current, 'host', api.id, 'dev', '/nowhere')
    const failed = (await lines(group)).slice(before)
    const mid = String(missing.headers['x-amzn-requestid'])
    assert.deepEqual(failed, [
      `(${mid}) Extended Request Id: ${String(missing.headers['x-amz-apigw-id'])}`,
      `(${mid}) Execution failed due to MissingAuthenticationTokenException`,
      `(${mid}) Method completed with status: 403`,
    ])
  })
})
