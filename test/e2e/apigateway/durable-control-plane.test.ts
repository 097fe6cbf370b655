// REST API Gateway's newer resources across a restart on one data dir: VPC links and client
// certificates (their own tables), documentation parts and versions and a stage's client certificate
// (in the API's row) read back as they were.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  CreateDocumentationPartCommand, CreateDocumentationVersionCommand, CreateVpcLinkCommand, GenerateClientCertificateCommand,
  GetClientCertificateCommand, GetDocumentationPartsCommand, GetDocumentationVersionCommand, GetStageCommand, GetVpcLinkCommand, UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import { startNimbus } from '../../../src/index.ts'
import { apiGatewayClient, createApi, deploy, mockMethod } from '../../helpers/apigateway.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-apigateway-cp-durable-'))
after(() => rmSync(dataDir, { recursive: true, force: true }))
const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })

describe('REST VPC links, client certificates and documentation across restarts', () => {
  it('reads them back as they were', async () => {
    let nimbus = await open()
    let client = apiGatewayClient(nimbus)
    const link = await client.send(new CreateVpcLinkCommand({ name: 'kept', targetArns: ['arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/n/0abc'] }))
    const cert = await client.send(new GenerateClientCertificateCommand({ description: 'kept' }))
    const api = await createApi(client)
    await mockMethod(client, api.id, api.root, 'GET', 200, '{}')
    await deploy(client, api.id, 'dev')
    await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/clientCertificateId', value: cert.clientCertificateId }] }))
    await client.send(new CreateDocumentationPartCommand({ restApiId: api.id, location: { type: 'API' }, properties: '{"description":"kept"}' }))
    await client.send(new CreateDocumentationVersionCommand({ restApiId: api.id, documentationVersion: '1.0' }))
    client.destroy()
    await nimbus.stop()

    nimbus = await open()
    client = apiGatewayClient(nimbus)
    try {
      assert.equal((await client.send(new GetVpcLinkCommand({ vpcLinkId: link.id }))).name, 'kept')
      assert.equal((await client.send(new GetClientCertificateCommand({ clientCertificateId: cert.clientCertificateId }))).pemEncodedCertificate, cert.pemEncodedCertificate)
      assert.equal((await client.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }))).clientCertificateId, cert.clientCertificateId)
      assert.deepEqual((await client.send(new GetDocumentationPartsCommand({ restApiId: api.id }))).items!.map((p) => p.properties), ['{"description":"kept"}'])
      assert.equal((await client.send(new GetDocumentationVersionCommand({ restApiId: api.id, documentationVersion: '1.0' }))).version, '1.0')
    } finally {
      client.destroy()
      await nimbus.stop()
    }
  })
})
