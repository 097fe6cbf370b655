// User regexes in API Gateway run bounded (here 100 ms): a model `pattern` that backtracks
// catastrophically fails request validation (400 "Invalid request body"), a mapping template's
// `matches` fails the template (500), and a request sent meanwhile is answered once the bounded match is over, as are later ones.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateModelCommand, CreateRequestValidatorCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, createApi, createPath, deploy, invoke } from '../../helpers/apigateway.ts'
import { healthStatus, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus({ regexBudgetMs: 100 })
const catastrophic = `${'a'.repeat(40)}!`

describe('API Gateway user regexes are bounded', () => {
  it('fails request validation on a model pattern that runs past the bound, and keeps serving', { timeout: 60_000 }, async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await client.send(new CreateModelCommand({
      restApiId: api.id, name: 'Word', contentType: 'application/json',
      schema: JSON.stringify({ type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+b$' } }, patternProperties: { '(x+x+)+y': { type: 'string' } } }),
    }))
    const validator = await client.send(new CreateRequestValidatorCommand({ restApiId: api.id, name: 'body', validateRequestBody: true }))
    const resource = await createPath(client, api, '/words')
    const method = { restApiId: api.id, resourceId: resource, httpMethod: 'POST' }
    await client.send(new PutMethodCommand({ ...method, authorizationType: 'NONE', requestValidatorId: validator.id, requestModels: { 'application/json': 'Word' } }))
    await client.send(new PutIntegrationCommand({ ...method, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }))
    await client.send(new PutMethodResponseCommand({ ...method, statusCode: '200' }))
    await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }))
    await deploy(client, api.id, 'dev')
    const post = (body: object) => invoke(nimbus.current, 'host', api.id, 'dev', '/words', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })

    const [refused, during] = await Promise.all([post({ s: catastrophic }), healthStatus(nimbus.current)])
    assert.equal(refused.status, 400)
    assert.deepEqual(refused.json(), { message: 'Invalid request body' })
    assert.equal(during, 200)
    const key = await post({ [`${'x'.repeat(40)}!`]: 'v' })
    assert.deepEqual([key.status, key.json()], [400, { message: 'Invalid request body' }], 'a patternProperties name past the bound')
    const passed = await post({ s: 'aab' })
    assert.deepEqual([passed.status, passed.json()], [200, { ok: true }])
    assert.equal(await healthStatus(nimbus.current), 200)
  })

  it('fails a mapping template whose regex runs past the bound with 500, and keeps serving', { timeout: 60_000 }, async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resource = await createPath(client, api, '/check')
    const method = { restApiId: api.id, resourceId: resource, httpMethod: 'POST' }
    await client.send(new PutMethodCommand({ ...method, authorizationType: 'NONE' }))
    // The request template's regexes decide the mock's status: 200 only when both ran and matched as expected.
    await client.send(new PutIntegrationCommand({
      ...method, type: 'MOCK', requestTemplates: {
        'application/json': `#set($s = $input.path('$.s')){"statusCode": #if($s.matches("(a+)+b") && $s.replaceAll("a*b", "x") == "x")200#{else}404#{end}}`,
      },
    }))
    await client.send(new PutMethodResponseCommand({ ...method, statusCode: '200' }))
    await client.send(new PutMethodResponseCommand({ ...method, statusCode: '404' }))
    await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', responseTemplates: { 'application/json': '{"hit": true}' } }))
    await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '404', selectionPattern: '404', responseTemplates: { 'application/json': '{"hit": false}' } }))
    await deploy(client, api.id, 'dev')
    const post = (s: string) => invoke(nimbus.current, 'host', api.id, 'dev', '/check', { method: 'POST', body: JSON.stringify({ s }), headers: { 'Content-Type': 'application/json' } })

    const [failed, during] = await Promise.all([post(catastrophic), healthStatus(nimbus.current)])
    assert.deepEqual([failed.status, failed.json()], [500, { message: 'Internal server error' }])
    assert.equal(during, 200)
    const passed = await post('aab')
    assert.deepEqual([passed.status, passed.json()], [200, { hit: true }])
    const missed = await post('aac')
    assert.deepEqual([missed.status, missed.json()], [404, { hit: false }])
    assert.equal(await healthStatus(nimbus.current), 200)
  })
})
