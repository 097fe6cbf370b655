// Custom domain names across a restart on one data dir: a REST API's domain with its base path
// mapping and an HTTP API's domain with its API mapping and CORS configuration still answer at their Hosts.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { CreateBasePathMappingCommand, CreateDomainNameCommand } from '@aws-sdk/client-api-gateway'
import { CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand as CreateDomainNameV2Command } from '@aws-sdk/client-apigatewayv2'
import { startNimbus } from '../../../src/index.ts'
import { apiGatewayClient, createApi, createPath, deploy, mockMethod, sendTo } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-apigateway-domains-'))
after(() => rmSync(dataDir, { recursive: true, force: true }))

const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })

describe('API Gateway custom domain names across restarts', () => {
  it('keeps domains, mappings and CORS configuration', async () => {
    const backend = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url })))
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
    let nimbus = await open()
    const rest = apiGatewayClient(nimbus)
    const api = await createApi(rest)
    await mockMethod(rest, api.id, await createPath(rest, api, '/ping'), 'GET', 200, '{"pong": "$context.stage"}')
    await deploy(rest, api.id, 'prod')
    await rest.send(new CreateDomainNameCommand({ domainName: 'rest.durable.localhost', certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/a' }))
    await rest.send(new CreateBasePathMappingCommand({ domainName: 'rest.durable.localhost', restApiId: api.id, stage: 'prod', basePath: 'v1' }))
    const v2 = apiGatewayV2Client(nimbus)
    const http = await v2.send(new CreateApiCommand({ Name: 'h', ProtocolType: 'HTTP', Target: `${base}/b`, CorsConfiguration: { AllowOrigins: ['*'] } }))
    await v2.send(new CreateDomainNameV2Command({ DomainName: 'http.durable.localhost', DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/a' }] }))
    await v2.send(new CreateApiMappingCommand({ DomainName: 'http.durable.localhost', ApiId: http.ApiId!, Stage: '$default' }))
    rest.destroy()
    v2.destroy()
    await nimbus.stop()

    nimbus = await open()
    const port = new URL(nimbus.endpoint).port
    const restRes = await sendTo(nimbus, `rest.durable.localhost:${port}`, '/v1/ping', {})
    assert.deepEqual(restRes.json(), { pong: 'prod' })
    const httpRes = await sendTo(nimbus, `http.durable.localhost:${port}`, '/x', { headers: { origin: 'https://site.example' } })
    assert.deepEqual(httpRes.json(), { url: '/b' })
    assert.equal(httpRes.headers['access-control-allow-origin'], '*')
    await nimbus.stop()
    backend.closeAllConnections()
    await new Promise((resolve) => backend.close(resolve))
  })
})
