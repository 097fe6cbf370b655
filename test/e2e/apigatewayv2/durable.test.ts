// HTTP APIs across restarts on one data dir (in process): the API, its routes, stages and
// deployments read back identical and the invoke URL keeps serving; a deleted API stays deleted.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { type ApiGatewayV2Client, CreateApiCommand, DeleteApiCommand, GetApiCommand, GetRoutesCommand, GetStagesCommand } from '@aws-sdk/client-apigatewayv2'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-apigatewayv2-durable-'))
after(() => rmSync(dataDir, { recursive: true, force: true }))

const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })

async function snapshot(client: ApiGatewayV2Client, apiId: string) {
  const { $metadata: _a, ApiEndpoint: _e, ...api } = await client.send(new GetApiCommand({ ApiId: apiId }))
  const { $metadata: _r, ...routes } = await client.send(new GetRoutesCommand({ ApiId: apiId }))
  const { $metadata: _s, ...stages } = await client.send(new GetStagesCommand({ ApiId: apiId }))
  return { api, routes, stages }
}

describe('HTTP APIs across restarts on a data dir', () => {
  it('keeps APIs, routes and stages, and keeps serving; deletes stay deleted', async () => {
    let nimbus: Nimbus = await open()
    let client = apiGatewayV2Client(nimbus)
    const lambda = lambdaClient(nimbus)
    const name = await createFunction(lambda, `exports.handler = async (e) => ({ path: e.rawPath })`)
    const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
    lambda.destroy()
    const api = await client.send(new CreateApiCommand({ Name: 'kept', ProtocolType: 'HTTP', Target: arn }))
    const gone = await client.send(new CreateApiCommand({ Name: 'gone', ProtocolType: 'HTTP' }))
    await client.send(new DeleteApiCommand({ ApiId: gone.ApiId }))
    const before = await snapshot(client, api.ApiId!)
    assert.deepEqual((await invokeHttpApi(nimbus, api.ApiId!, '/a/b')).json(), { path: '/a/b' })

    client.destroy()
    await nimbus.stop()
    nimbus = await open()
    client = apiGatewayV2Client(nimbus)
    try {
      assert.deepEqual(await snapshot(client, api.ApiId!), before)
      await assert.rejects(client.send(new GetApiCommand({ ApiId: gone.ApiId })), { name: 'NotFoundException' })
      const res = await invokeHttpApi(nimbus, api.ApiId!, '/c')
      assert.equal(res.status, 200)
      assert.deepEqual(res.json(), { path: '/c' })
    } finally {
      client.destroy()
      await nimbus.stop()
    }
  })
})
