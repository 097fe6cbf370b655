// API Gateway's account-level throttle: one token bucket per account and region shared by its REST and
// HTTP APIs (AWS: 10,000 requests per second, bursts of 5,000 — lowered here through Nimbus's
// apiGatewayAccountThrottle option), refilling on the manual clock; GetAccount shows the limits.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { GetAccountCommand } from '@aws-sdk/client-api-gateway'
import { CreateApiCommand } from '@aws-sdk/client-apigatewayv2'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus({ apiGatewayAccountThrottle: { rateLimit: 2, burstLimit: 4 } })
let backend: Server
let base = ''

before(async () => {
  backend = createServer((_req, res) => res.end('ok'))
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
})
after(() => backend.close())

describe('API Gateway account-level throttle', () => {
  it('throttles every REST and HTTP API of the account together, refilling on the clock', async () => {
    const client = apiGatewayClient(nimbus.current)
    assert.deepEqual((await client.send(new GetAccountCommand({}))).throttleSettings, { burstLimit: 4, rateLimit: 2 })
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/a'), 'GET', 200, '{"a": 1}')
    await deploy(client, api.id, 'dev')
    const v2 = apiGatewayV2Client(nimbus.current)
    const { ApiId } = await v2.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP', Target: base }))

    const rest = async () => (await invoke(nimbus.current, 'host', api.id, 'dev', '/a')).status
    const http = async () => (await invokeHttpApi(nimbus.current, ApiId!, '/x')).status
    // No method or route has settings of its own: the account's burst of 4 is shared by both APIs.
    assert.deepEqual([await rest(), await http(), await rest(), await http()], [200, 200, 200, 200])
    const throttled = await invoke(nimbus.current, 'host', api.id, 'dev', '/a')
    assert.equal(throttled.status, 429)
    assert.deepEqual(throttled.json(), { message: 'Too Many Requests' })
    const httpThrottled = await invokeHttpApi(nimbus.current, ApiId!, '/x')
    assert.equal(httpThrottled.status, 429)
    assert.deepEqual(JSON.parse(httpThrottled.text), { message: 'Too Many Requests' })

    // 2 per second on the clock.
    await advance(nimbus.current, 1000)
    assert.deepEqual([await rest(), await http(), await rest()], [200, 200, 429])
    // Another account has a bucket of its own.
    const other = apiGatewayClient(nimbus.current)
    other.config.credentials = async () => ({ accessKeyId: '111111111111', secretAccessKey: 'test' })
    const otherApi = await createApi(other)
    await mockMethod(other, otherApi.id, await createPath(other, otherApi, '/b'), 'GET', 200, '{"b": 1}')
    await deploy(other, otherApi.id, 'dev')
    assert.equal((await invoke(nimbus.current, 'host', otherApi.id, 'dev', '/b')).status, 200)
  })
})
