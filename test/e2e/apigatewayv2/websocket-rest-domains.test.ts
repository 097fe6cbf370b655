// WebSocket upgrades on custom domains whose mapping names a REST API: AWS's "You can't map WebSocket APIs to the
// same custom domain name as an HTTP API or REST API" means no WebSocket API answers there, and REST APIs serve no
// WebSocket — the upgrade is refused with the 403 a REST API's invoke URL answers, whichever API created the domain,
// while ordinary requests on the same mapping reach the REST API.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateBasePathMappingCommand, CreateDomainNameCommand as CreateRestDomainNameCommand } from '@aws-sdk/client-api-gateway'
import { CreateApiMappingCommand, CreateDomainNameCommand } from '@aws-sdk/client-apigatewayv2'
import { apiGatewayClient, createApi, createPath, deploy, mockMethod, sendTo } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { portOf, rawUpgrade } from '../../helpers/websocket.ts'

const nimbus = useNimbus()

async function restApi(): Promise<string> {
  const rest = apiGatewayClient(nimbus.current)
  const api = await createApi(rest)
  await mockMethod(rest, api.id, await createPath(rest, api, '/pets'), 'GET', 200, '{"served": "rest"}')
  await deploy(rest, api.id, 'prod')
  return api.id
}

const forbidden = (answer: Awaited<ReturnType<typeof rawUpgrade>>) => {
  assert.equal(answer.status, 403)
  assert.deepEqual(JSON.parse((answer as { body: string }).body), { message: 'Forbidden' })
}

describe('WebSocket upgrades on custom domains mapping REST APIs', () => {
  it('refuses the upgrade with 403 on an apigatewayv2 domain whose API mapping names a REST API', async () => {
    const apiId = await restApi()
    const http = apiGatewayV2Client(nimbus.current)
    const domain = `v2.${uniqueName('wsrest')}.localhost`.toLowerCase()
    await http.send(new CreateDomainNameCommand({ DomainName: domain, DomainNameConfigurations: [{ EndpointType: 'REGIONAL' }] }))
    await http.send(new CreateApiMappingCommand({ DomainName: domain, ApiId: apiId, Stage: 'prod', ApiMappingKey: 'shop' }))
    const host = `${domain}:${portOf(nimbus.current)}`
    assert.deepEqual((await sendTo(nimbus.current, host, '/shop/pets', {})).json(), { served: 'rest' })
    forbidden(await rawUpgrade(nimbus.current, host, '/shop/pets'))
    forbidden(await rawUpgrade(nimbus.current, host, '/shop'))
  })

  it('refuses it on an apigateway domain mapping a REST API, and on its unmapped paths', async () => {
    const apiId = await restApi()
    const rest = apiGatewayClient(nimbus.current)
    const domain = `v1.${uniqueName('wsrest')}.localhost`.toLowerCase()
    await rest.send(new CreateRestDomainNameCommand({ domainName: domain, regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/c',
      endpointConfiguration: { types: ['REGIONAL'] } }))
    await rest.send(new CreateBasePathMappingCommand({ domainName: domain, restApiId: apiId, stage: 'prod', basePath: 'shop' }))
    const host = `${domain}:${portOf(nimbus.current)}`
    assert.deepEqual((await sendTo(nimbus.current, host, '/shop/pets', {})).json(), { served: 'rest' })
    forbidden(await rawUpgrade(nimbus.current, host, '/shop/pets'))
    // A path no base path maps: the 403 REST domains answer.
    forbidden(await rawUpgrade(nimbus.current, host, '/nothing'))
  })
})
