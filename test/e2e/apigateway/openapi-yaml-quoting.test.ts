// ImportRestApi of a YAML body whose flow collections hold single-quoted strings with YAML's doubled
// quote (`'$input.params(''id'')'`), as hand-written mapping templates do: read, deployed and served.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetIntegrationCommand, GetResourcesCommand, ImportRestApiCommand } from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, deploy, invoke } from '../../helpers/apigateway.ts'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

const body = `swagger: "2.0"
info: {title: quoting, version: "1"}
paths:
  /items/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, type: string}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {"application/json": '{"statusCode": 200}'}
        responses: {default: {statusCode: "200", responseTemplates: {"application/json": '{"id": "$input.params(''id'')", "note": ''it''''s''}'}}}
`

describe('OpenAPI import: YAML quoting in flow collections', () => {
  it('reads doubled single quotes inside a flow map and serves the template they spell', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(body) }))
    assert.equal(api.name, 'quoting')
    const resource = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items!.find((r) => r.path === '/items/{id}')!
    const integration = await client.send(new GetIntegrationCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET' }))
    assert.equal(integration.integrationResponses!['200']!.responseTemplates!['application/json'], `{"id": "$input.params('id')", "note": 'it''s'}`)
    await deploy(client, api.id!, 'dev')
    const res = await invoke(nimbus.current, 'host', api.id!, 'dev', '/items/42')
    assert.equal(res.status, 200)
    assert.equal(res.body.toString(), `{"id": "42", "note": 'it''s'}`)
  })
})
