// An imported REST API across a restart on one data dir: its resources, methods, models, validators
// and authorizers are ordinary rows — the export after the restart is the export before, and the
// deployed stage keeps serving.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { GetExportCommand, ImportRestApiCommand } from '@aws-sdk/client-api-gateway'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { apiGatewayClient, deploy, invoke } from '../../helpers/apigateway.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-apigateway-openapi-'))
after(() => rmSync(dataDir, { recursive: true, force: true }))

const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })

const definition = JSON.stringify({
  openapi: '3.0.1', info: { title: 'durable', version: '1' },
  'x-amazon-apigateway-request-validators': { body: { validateRequestBody: true, validateRequestParameters: false } },
  components: { schemas: { Note: { type: 'object', properties: { text: { type: 'string' } } } } },
  paths: { '/notes': { post: {
    'x-amazon-apigateway-request-validator': 'body',
    requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } } },
    responses: { 201: { description: 'created' } },
    'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 201}' },
      responses: { default: { statusCode: '201', responseTemplates: { 'application/json': '{"saved": true}' } } } },
  } } },
})

describe('An imported REST API across restarts', () => {
  it('exports the same document and serves the same stage after a restart', async () => {
    let nimbus: Nimbus = await open()
    let client = apiGatewayClient(nimbus)
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(definition) }))
    await deploy(client, api.id!, 'dev')
    const exportOf = async () => Buffer.from((await client.send(new GetExportCommand({ restApiId: api.id, stageName: 'dev', exportType: 'oas30',
      parameters: { extensions: 'apigateway' } }))).body!).toString('utf8')
    const before = await exportOf()

    client.destroy()
    await nimbus.stop()
    nimbus = await open()
    client = apiGatewayClient(nimbus)
    try {
      assert.equal(await exportOf(), before)
      assert.match(before, /"x-amazon-apigateway-request-validator": "body"/)
      const saved = await invoke(nimbus, 'path', api.id!, 'dev', '/notes', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: '{"text": "hi"}' })
      assert.equal(saved.status, 201)
      assert.deepEqual(saved.json(), { saved: true })
    } finally {
      client.destroy()
      await nimbus.stop()
    }
  })
})
