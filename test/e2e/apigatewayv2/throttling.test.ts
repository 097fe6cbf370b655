// HTTP API stage throttling: DefaultRouteSettings and per-route RouteSettings (rate and burst) on
// CreateStage/UpdateStage, shown by GetStage; each route has its own token bucket on the clock, and
// an empty one answers 429 {"message":"Too Many Requests"} without reaching the integration.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import {
  CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, GetStageCommand, UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
let backend: Server
let base = ''
let calls = 0

before(async () => {
  backend = createServer((_req, res) => {
    calls++
    res.end('ok')
  })
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
})
after(() => backend.close())

describe('HTTP API throttling', () => {
  it('throttles each route by its own settings, else the stage default, refilling on the clock', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('throttled'), ProtocolType: 'HTTP' }))
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY',
      IntegrationUri: base, PayloadFormatVersion: '1.0' }))
    for (const RouteKey of ['GET /slow', 'GET /fast']) await client.send(new CreateRouteCommand({ ApiId, RouteKey, Target: `integrations/${IntegrationId}` }))
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 },
      RouteSettings: { 'GET /fast': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 5 } } }))
    const stage = await client.send(new GetStageCommand({ ApiId, StageName: '$default' }))
    assert.deepEqual(stage.DefaultRouteSettings, { DetailedMetricsEnabled: false, ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 })
    assert.deepEqual(stage.RouteSettings, { 'GET /fast': { DetailedMetricsEnabled: false, ThrottlingRateLimit: 100, ThrottlingBurstLimit: 5 } })

    const statuses = async (path: string, n: number) => {
      const out: number[] = []
      for (let i = 0; i < n; i++) out.push((await invokeHttpApi(nimbus.current, ApiId!, path)).status)
      return out
    }
    const before = calls
    // The default burst of 2, then 429s that never reach the backend.
    assert.deepEqual(await statuses('/slow', 4), [200, 200, 429, 429])
    const refused = await invokeHttpApi(nimbus.current, ApiId!, '/slow')
    assert.equal(refused.status, 429)
    assert.deepEqual(JSON.parse(refused.body.toString()), { message: 'Too Many Requests' })
    // The other route has its own bucket and settings.
    assert.deepEqual(await statuses('/fast', 6), [200, 200, 200, 200, 200, 429])
    assert.equal(calls - before, 7)
    // One token a second comes back on the clock.
    await advance(nimbus.current, 1_000)
    assert.deepEqual(await statuses('/slow', 2), [200, 429])

    // UpdateStage lifts the default; a bad limit is refused.
    await client.send(new UpdateStageCommand({ ApiId, StageName: '$default', DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 1000 } }))
    assert.deepEqual(await statuses('/slow', 3), [200, 200, 200])
    const error = await sdkError(client.send(new UpdateStageCommand({ ApiId, StageName: '$default', DefaultRouteSettings: { ThrottlingBurstLimit: -1 } })))
    assert.equal(error.name, 'BadRequestException')
  })
})
