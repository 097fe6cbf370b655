// REST API Gateway's control plane beyond APIs and methods, with the SDK as users call it: VPC links on
// the clock, client certificates (a real PEM), tags on every taggable resource, documentation parts and
// versions, UpdateDomainName/UpdateBasePathMapping, GetModelTemplate, ImportApiKeys (CSV), UpdateUsage,
// the SDK operations, DeleteIntegrationResponse — plus boto3's strict parser on a few answers.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { promisify } from 'node:util'
import { describe, it } from 'node:test'
import {
  CreateApiKeyCommand, CreateBasePathMappingCommand, CreateDocumentationPartCommand, CreateDocumentationVersionCommand, CreateDomainNameCommand,
  CreateModelCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, CreateVpcLinkCommand, DeleteClientCertificateCommand,
  DeleteDocumentationPartCommand, DeleteIntegrationResponseCommand, DeleteVpcLinkCommand, GenerateClientCertificateCommand,
  GetApiKeyCommand, GetBasePathMappingCommand, GetClientCertificateCommand, GetClientCertificatesCommand, GetDocumentationPartCommand,
  GetDocumentationPartsCommand, GetDocumentationVersionsCommand, GetIntegrationResponseCommand, GetModelTemplateCommand, GetSdkCommand,
  GetSdkTypesCommand, GetStageCommand, GetTagsCommand, GetUsageCommand, GetUsagePlanCommand, GetVpcLinkCommand, GetVpcLinksCommand,
  ImportApiKeysCommand, ImportDocumentationPartsCommand, TagResourceCommand, UntagResourceCommand, UpdateBasePathMappingCommand,
  UpdateClientCertificateCommand, UpdateDocumentationPartCommand, UpdateDocumentationVersionCommand, UpdateDomainNameCommand,
  UpdateStageCommand, UpdateUsageCommand, UpdateVpcLinkCommand,
} from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, createApi, createPath, deploy, mockMethod } from '../../helpers/apigateway.ts'
import { awsCliEnv } from '../../helpers/aws-cli.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const nlb = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/my-nlb/0123456789abcdef'

describe('REST control plane: VPC links and client certificates', () => {
  it('VPC links are PENDING, AVAILABLE a minute later on the clock; patched, listed, tagged, deleted', async () => {
    const client = apiGatewayClient(nimbus.current)
    const link = await client.send(new CreateVpcLinkCommand({ name: 'link', targetArns: [nlb], tags: { a: '1' } }))
    assert.equal(link.status, 'PENDING')
    await advance(nimbus.current, 60_000)
    assert.equal((await client.send(new GetVpcLinkCommand({ vpcLinkId: link.id }))).status, 'AVAILABLE')
    const patched = await client.send(new UpdateVpcLinkCommand({ vpcLinkId: link.id, patchOperations: [{ op: 'replace', path: '/description', value: 'd' }] }))
    assert.equal(patched.description, 'd')
    assert.ok((await client.send(new GetVpcLinksCommand({}))).items!.some((l) => l.id === link.id))
    const arn = `arn:aws:apigateway:us-east-1::/vpclinks/${link.id}`
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { b: '2' } }))
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn: arn }))).tags, { a: '1', b: '2' })
    // 50 tags a resource, counting those it has.
    const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']))
    const tooMany = await sdkError(client.send(new TagResourceCommand({ resourceArn: arn, tags: many })))
    assert.deepEqual([tooMany.name, tooMany.status], ['BadRequestException', 400])
    const badPath = await sdkError(client.send(new UpdateVpcLinkCommand({ vpcLinkId: link.id, patchOperations: [{ op: 'replace', path: '/targetArns', value: 'x' }] })))
    assert.deepEqual([badPath.name, badPath.status], ['BadRequestException', 400])
    await client.send(new DeleteVpcLinkCommand({ vpcLinkId: link.id }))
    const gone = await sdkError(client.send(new GetVpcLinkCommand({ vpcLinkId: link.id })))
    assert.deepEqual([gone.name, gone.status], ['NotFoundException', 404])
    const noTarget = await sdkError(client.send(new CreateVpcLinkCommand({ name: 'x', targetArns: ['arn:aws:s3:::bucket'] })))
    assert.deepEqual([noTarget.name, noTarget.status], ['BadRequestException', 400])
  })

  it('client certificates carry a PEM node:crypto parses, valid a year; a stage takes one by id', async () => {
    const client = apiGatewayClient(nimbus.current)
    const cert = await client.send(new GenerateClientCertificateCommand({ description: 'backend', tags: { t: 'v' } }))
    const parsed = new X509Certificate(cert.pemEncodedCertificate!)
    assert.ok(parsed.publicKey.asymmetricKeyType === 'rsa')
    assert.equal(cert.expirationDate!.getTime() - cert.createdDate!.getTime(), 365 * 86_400_000)
    assert.equal((await client.send(new GetClientCertificateCommand({ clientCertificateId: cert.clientCertificateId }))).description, 'backend')
    const updated = await client.send(new UpdateClientCertificateCommand({
      clientCertificateId: cert.clientCertificateId, patchOperations: [{ op: 'replace', path: '/description', value: 'renamed' }],
    }))
    assert.equal(updated.description, 'renamed')
    assert.ok((await client.send(new GetClientCertificatesCommand({}))).items!.some((c) => c.clientCertificateId === cert.clientCertificateId))

    const api = await createApi(client)
    await mockMethod(client, api.id, api.root, 'GET', 200, '{}')
    await deploy(client, api.id, 'dev')
    const stage = await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev',
      patchOperations: [{ op: 'replace', path: '/clientCertificateId', value: cert.clientCertificateId }] }))
    assert.equal(stage.clientCertificateId, cert.clientCertificateId)
    const unknown = await sdkError(client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev',
      patchOperations: [{ op: 'replace', path: '/clientCertificateId', value: 'nope12' }] })))
    assert.deepEqual([unknown.name, unknown.status], ['NotFoundException', 404])

    await client.send(new DeleteClientCertificateCommand({ clientCertificateId: cert.clientCertificateId }))
    const gone = await sdkError(client.send(new GetClientCertificateCommand({ clientCertificateId: cert.clientCertificateId })))
    assert.deepEqual([gone.name, gone.status, gone.message], ['NotFoundException', 404, 'Invalid Client Certificate identifier specified'])
  })

  it('tags API keys, usage plans and domain names by their ARNs', async () => {
    const client = apiGatewayClient(nimbus.current)
    const key = await client.send(new CreateApiKeyCommand({ name: uniqueName('k') }))
    const plan = await client.send(new CreateUsagePlanCommand({ name: uniqueName('p') }))
    const domainName = `${uniqueName('d')}.example.com`
    await client.send(new CreateDomainNameCommand({ domainName, regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/x', endpointConfiguration: { types: ['REGIONAL'] } }))
    for (const arn of [`arn:aws:apigateway:us-east-1::/apikeys/${key.id}`, `arn:aws:apigateway:us-east-1::/usageplans/${plan.id}`,
      `arn:aws:apigateway:us-east-1::/domainnames/${domainName}`]) {
      await client.send(new TagResourceCommand({ resourceArn: arn, tags: { k: 'v', drop: 'x' } }))
      await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['drop'] }))
      assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn: arn }))).tags, { k: 'v' }, arn)
    }
    assert.deepEqual((await client.send(new GetApiKeyCommand({ apiKey: key.id }))).tags, { k: 'v' })
    assert.deepEqual((await client.send(new GetUsagePlanCommand({ usagePlanId: plan.id }))).tags, { k: 'v' })
    const bad = await sdkError(client.send(new GetTagsCommand({ resourceArn: 'arn:aws:apigateway:us-east-1::/nothing/x' })))
    assert.deepEqual([bad.name, bad.status], ['BadRequestException', 400])
  })
})

describe('REST control plane: documentation', () => {
  it('creates, reads, filters, patches and deletes parts; imports them; versions snapshot them and a stage shows one', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const pets = await createPath(client, api, '/pets')
    await mockMethod(client, api.id, pets, 'GET', 200, '{}')
    const apiPart = await client.send(new CreateDocumentationPartCommand({ restApiId: api.id, location: { type: 'API' }, properties: '{"description":"Pets"}' }))
    const methodPart = await client.send(new CreateDocumentationPartCommand({
      restApiId: api.id, location: { type: 'METHOD', path: '/pets', method: 'get' }, properties: '{"summary":"List pets"}',
    }))
    assert.deepEqual(methodPart.location, { type: 'METHOD', path: '/pets', method: 'GET' })
    const dup = await sdkError(client.send(new CreateDocumentationPartCommand({ restApiId: api.id, location: { type: 'API' }, properties: '{}' })))
    assert.deepEqual([dup.name, dup.status], ['ConflictException', 409])
    const badProps = await sdkError(client.send(new CreateDocumentationPartCommand({ restApiId: api.id, location: { type: 'RESOURCE', path: '/pets' }, properties: 'nope' })))
    assert.deepEqual([badProps.name, badProps.status], ['BadRequestException', 400])
    const needsName = await sdkError(client.send(new CreateDocumentationPartCommand({ restApiId: api.id, location: { type: 'MODEL' }, properties: '{}' })))
    assert.deepEqual([needsName.name, needsName.status], ['BadRequestException', 400])
    await client.send(new CreateDocumentationPartCommand({ restApiId: api.id, location: { type: 'RESOURCE', path: '/gone' }, properties: '{}' }))

    assert.deepEqual((await client.send(new GetDocumentationPartsCommand({ restApiId: api.id, type: 'METHOD' }))).items!.map((p) => p.id), [methodPart.id])
    assert.deepEqual((await client.send(new GetDocumentationPartsCommand({ restApiId: api.id, locationStatus: 'UNDOCUMENTED' }))).items!.map((p) => p.location!.path), ['/gone'])
    const patched = await client.send(new UpdateDocumentationPartCommand({
      restApiId: api.id, documentationPartId: apiPart.id, patchOperations: [{ op: 'replace', path: '/properties', value: '{"description":"All pets"}' }],
    }))
    assert.equal(patched.properties, '{"description":"All pets"}')

    const version = await client.send(new CreateDocumentationVersionCommand({ restApiId: api.id, documentationVersion: 'v1', stageName: undefined, description: 'first' }))
    assert.equal(version.version, 'v1')
    await client.send(new DeleteDocumentationPartCommand({ restApiId: api.id, documentationPartId: methodPart.id }))
    const gone = await sdkError(client.send(new GetDocumentationPartCommand({ restApiId: api.id, documentationPartId: methodPart.id })))
    assert.deepEqual([gone.name, gone.status], ['NotFoundException', 404])

    const imported = await client.send(new ImportDocumentationPartsCommand({
      restApiId: api.id, mode: 'overwrite', body: Buffer.from(JSON.stringify({
        swagger: '2.0', info: { title: 'x', version: '1' }, paths: {},
        'x-amazon-apigateway-documentation': { version: '2', documentationParts: [
          { location: { type: 'API' }, properties: { description: 'Imported' } },
          { location: { type: 'METHOD', path: '/pets', method: 'GET' }, properties: { summary: 'Imported list' } },
          { location: { type: 'NOPE' }, properties: {} },
        ] },
      })),
    }))
    assert.equal(imported.ids!.length, 2)
    assert.equal(imported.warnings!.length, 1)
    assert.equal((await client.send(new GetDocumentationPartsCommand({ restApiId: api.id }))).items!.length, 2)

    await deploy(client, api.id, 'prod')
    await client.send(new CreateDocumentationVersionCommand({ restApiId: api.id, documentationVersion: 'v2', stageName: 'prod' }))
    assert.equal((await client.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' }))).documentationVersion, 'v2')
    const described = await client.send(new UpdateDocumentationVersionCommand({ restApiId: api.id, documentationVersion: 'v1',
      patchOperations: [{ op: 'replace', path: '/description', value: 'the first' }] }))
    assert.equal(described.description, 'the first')
    assert.deepEqual((await client.send(new GetDocumentationVersionsCommand({ restApiId: api.id }))).items!.map((v) => v.version), ['v1', 'v2'])
    const again = await sdkError(client.send(new CreateDocumentationVersionCommand({ restApiId: api.id, documentationVersion: 'v1' })))
    assert.deepEqual([again.name, again.status], ['ConflictException', 409])
  })
})

describe('REST control plane: domains, models, keys, usage, SDKs', () => {
  it('UpdateDomainName and UpdateBasePathMapping patch the documented paths', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, api.root, 'GET', 200, '{}')
    await deploy(client, api.id, 'dev')
    await deploy(client, api.id, 'prod')
    const domainName = `${uniqueName('dom')}.example.com`
    await client.send(new CreateDomainNameCommand({ domainName, regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/a', endpointConfiguration: { types: ['REGIONAL'] } }))
    const updated = await client.send(new UpdateDomainNameCommand({ domainName, patchOperations: [
      { op: 'replace', path: '/regionalCertificateArn', value: 'arn:aws:acm:us-east-1:000000000000:certificate/b' },
      { op: 'replace', path: '/securityPolicy', value: 'TLS_1_2' },
    ] }))
    assert.equal(updated.regionalCertificateArn, 'arn:aws:acm:us-east-1:000000000000:certificate/b')
    const badPolicy = await sdkError(client.send(new UpdateDomainNameCommand({ domainName, patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_0_9' }] })))
    assert.deepEqual([badPolicy.name, badPolicy.status], ['BadRequestException', 400])

    await client.send(new CreateBasePathMappingCommand({ domainName, restApiId: api.id, basePath: 'v1', stage: 'dev' }))
    const mapping = await client.send(new UpdateBasePathMappingCommand({ domainName, basePath: 'v1', patchOperations: [
      { op: 'replace', path: '/basePath', value: 'v2' }, { op: 'replace', path: '/stage', value: 'prod' },
    ] }))
    assert.deepEqual([mapping.basePath, mapping.stage, mapping.restApiId], ['v2', 'prod', api.id])
    assert.equal((await client.send(new GetBasePathMappingCommand({ domainName, basePath: 'v2' }))).stage, 'prod')
    const missing = await sdkError(client.send(new GetBasePathMappingCommand({ domainName, basePath: 'v1' })))
    assert.deepEqual([missing.name, missing.status], ['NotFoundException', 404])
    const badStage = await sdkError(client.send(new UpdateBasePathMappingCommand({ domainName, basePath: 'v2', patchOperations: [{ op: 'replace', path: '/stage', value: 'nope' }] })))
    assert.deepEqual([badStage.name, badStage.status], ['BadRequestException', 400])
  })

  it('GetModelTemplate writes a mapping template; DeleteIntegrationResponse removes one', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await client.send(new CreateModelCommand({ restApiId: api.id, name: 'Pet', contentType: 'application/json',
      schema: JSON.stringify({ type: 'object', properties: { id: { type: 'integer' }, type: { type: 'string' } } }) }))
    await client.send(new CreateModelCommand({ restApiId: api.id, name: 'Pets', contentType: 'application/json',
      schema: JSON.stringify({ type: 'array', items: { $ref: `https://apigateway.amazonaws.com/restapis/${api.id}/models/Pet` } }) }))
    const template = (await client.send(new GetModelTemplateCommand({ restApiId: api.id, modelName: 'Pets' }))).value!
    assert.ok(template.startsWith("#set($inputRoot = $input.path('$'))\n["))
    assert.match(template, /#foreach\(\$elem in \$inputRoot\)/)
    assert.match(template, /"id" : \$elem\.id/)
    assert.match(template, /"type" : "\$elem\.type"/)
    const none = await sdkError(client.send(new GetModelTemplateCommand({ restApiId: api.id, modelName: 'Nope' })))
    assert.deepEqual([none.name, none.status], ['NotFoundException', 404])

    await mockMethod(client, api.id, api.root, 'GET', 200, '{}')
    await client.send(new DeleteIntegrationResponseCommand({ restApiId: api.id, resourceId: api.root, httpMethod: 'GET', statusCode: '200' }))
    const gone = await sdkError(client.send(new GetIntegrationResponseCommand({ restApiId: api.id, resourceId: api.root, httpMethod: 'GET', statusCode: '200' })))
    assert.deepEqual([gone.name, gone.status], ['NotFoundException', 404])
  })

  it('ImportApiKeys reads AWS\'s CSV (keys join their usage plans); UpdateUsage extends a key\'s remaining quota', async () => {
    const client = apiGatewayClient(nimbus.current)
    const plan = await client.send(new CreateUsagePlanCommand({ name: uniqueName('plan'), quota: { limit: 100, period: 'DAY' } }))
    const csv = `Name,key,description,Enabled,usageplanIds\nfirst,${'a'.repeat(30)},one,TRUE,${plan.id}\nsecond,short,two,true,\n`
    const result = await client.send(new ImportApiKeysCommand({ format: 'csv', body: Buffer.from(csv) }))
    assert.equal(result.ids!.length, 1)
    assert.equal(result.warnings!.length, 1)
    const key = await client.send(new GetApiKeyCommand({ apiKey: result.ids![0], includeValue: true }))
    assert.deepEqual([key.name, key.value, key.enabled, key.description], ['first', 'a'.repeat(30), true, 'one'])
    const strict = await sdkError(client.send(new ImportApiKeysCommand({ format: 'csv', failOnWarnings: true, body: Buffer.from(csv.replace('a'.repeat(30), 'b'.repeat(30))) })))
    assert.deepEqual([strict.name, strict.status], ['BadRequestException', 400])

    const usage = await client.send(new UpdateUsageCommand({ usagePlanId: plan.id, keyId: key.id,
      patchOperations: [{ op: 'replace', path: `/keys/${key.id}/remaining`, value: '250' }] }))
    assert.deepEqual(usage.items![key.id!], [[0, 250]])
    const today = new Date(nimbus.current.clock.now()).toISOString().slice(0, 10)
    const read = await client.send(new GetUsageCommand({ usagePlanId: plan.id, keyId: key.id, startDate: today, endDate: today }))
    assert.deepEqual(read.items![key.id!], [[0, 250]])
    const other = await client.send(new CreateApiKeyCommand({ name: uniqueName('k') }))
    const notInPlan = await sdkError(client.send(new UpdateUsageCommand({ usagePlanId: plan.id, keyId: other.id,
      patchOperations: [{ op: 'replace', path: `/keys/${other.id}/remaining`, value: '1' }] })))
    assert.deepEqual([notInPlan.name, notInPlan.status], ['NotFoundException', 404])
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: other.id, keyType: 'API_KEY' }))
    const badPath = await sdkError(client.send(new UpdateUsageCommand({ usagePlanId: plan.id, keyId: other.id,
      patchOperations: [{ op: 'replace', path: '/quota', value: '1' }] })))
    assert.deepEqual([badPath.name, badPath.status], ['BadRequestException', 400])
  })

  it('lists the SDK types; GetSdk checks its input, then answers that Nimbus generates none', async () => {
    const client = apiGatewayClient(nimbus.current)
    assert.ok((await client.send(new GetSdkTypesCommand({}))).items!.some((t) => t.id === 'javascript'))
    const api = await createApi(client)
    await mockMethod(client, api.id, api.root, 'GET', 200, '{}')
    await deploy(client, api.id, 'dev')
    const noStage = await sdkError(client.send(new GetSdkCommand({ restApiId: api.id, stageName: 'nope', sdkType: 'javascript' })))
    assert.deepEqual([noStage.name, noStage.status], ['NotFoundException', 404])
    const badType = await sdkError(client.send(new GetSdkCommand({ restApiId: api.id, stageName: 'dev', sdkType: 'cobol' })))
    assert.deepEqual([badType.name, badType.status], ['BadRequestException', 400])
    const none = await sdkError(client.send(new GetSdkCommand({ restApiId: api.id, stageName: 'dev', sdkType: 'javascript' })))
    assert.equal(none.status, 501)
  })

  it('boto3 reads the new answers (strict parsing)', async () => {
    const script = `import boto3
c = boto3.client('apigateway', endpoint_url='${nimbus.current.endpoint}', region_name='us-east-1')
cert = c.generate_client_certificate(description='py')
link = c.create_vpc_link(name='py', targetArns=['${nlb}'])
print(cert['pemEncodedCertificate'].startswith('-----BEGIN CERTIFICATE-----'), type(cert['expirationDate']).__name__, link['status'], len(c.get_sdk_types()['items']) > 0)`
    const { stdout } = await promisify(execFile)('python3', ['-c', script], { env: awsCliEnv })
    assert.equal(stdout.trim(), 'True datetime PENDING True')
  })
})
