// HTTP and WebSocket APIs' control plane beyond create/get/delete, with the SDK as users call it:
// tags on every taggable resource by AWS's ARN forms, UpdateAuthorizer/UpdateDeployment, the
// stage's Delete* operations, UpdateApi's quick-create members, VPC links on the clock, models and
// their template, route/integration response updates and UpdateDomainName — plus boto3's strict parser.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, it } from 'node:test'
import {
  CreateApiCommand, CreateAuthorizerCommand, CreateDeploymentCommand, CreateDomainNameCommand, CreateIntegrationCommand,
  CreateIntegrationResponseCommand, CreateModelCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand,
  CreateVpcLinkCommand, DeleteAccessLogSettingsCommand, DeleteModelCommand, DeleteRouteRequestParameterCommand, DeleteRouteSettingsCommand,
  DeleteVpcLinkCommand, GetApiCommand, GetModelCommand, GetModelTemplateCommand, GetModelsCommand, GetRouteCommand, GetRoutesCommand,
  GetStageCommand, GetTagsCommand, GetVpcLinkCommand, GetVpcLinksCommand, TagResourceCommand, UntagResourceCommand, UpdateApiCommand,
  UpdateAuthorizerCommand, UpdateDeploymentCommand, UpdateDomainNameCommand, UpdateIntegrationResponseCommand, UpdateModelCommand,
  UpdateRouteResponseCommand, UpdateStageCommand, UpdateVpcLinkCommand, GetDeploymentCommand, GetAuthorizerCommand, GetIntegrationsCommand,
  ExportApiCommand, ImportApiCommand,
} from '@aws-sdk/client-apigatewayv2'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { awsCliEnv } from '../../helpers/aws-cli.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const region = 'us-east-1'

describe('HTTP API control plane: tags', () => {
  it('tags APIs, stages, domain names and VPC links by their ARNs; GetApi/GetStage show the same tags', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('tags'), ProtocolType: 'HTTP', Tags: { team: 'a' } }))
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev' }))
    const domainName = `${uniqueName('tags')}.example.com`
    await client.send(new CreateDomainNameCommand({ DomainName: domainName, DomainNameConfigurations: [{ EndpointType: 'REGIONAL' }] }))
    const link = await client.send(new CreateVpcLinkCommand({ Name: 'link', SubnetIds: ['subnet-0abc'], Tags: { kind: 'link' } }))

    const apiArn = `arn:aws:apigateway:${region}::/apis/${api.ApiId}`
    await client.send(new TagResourceCommand({ ResourceArn: apiArn, Tags: { env: 'test' } }))
    assert.deepEqual((await client.send(new GetTagsCommand({ ResourceArn: apiArn }))).Tags, { team: 'a', env: 'test' })
    assert.deepEqual((await client.send(new GetApiCommand({ ApiId: api.ApiId }))).Tags, { team: 'a', env: 'test' })
    await client.send(new UntagResourceCommand({ ResourceArn: apiArn, TagKeys: ['team'] }))
    assert.deepEqual((await client.send(new GetTagsCommand({ ResourceArn: apiArn }))).Tags, { env: 'test' })

    const stageArn = `${apiArn}/stages/dev`
    await client.send(new TagResourceCommand({ ResourceArn: stageArn, Tags: { tier: 'dev' } }))
    assert.deepEqual((await client.send(new GetStageCommand({ ApiId: api.ApiId, StageName: 'dev' }))).Tags, { tier: 'dev' })

    const domainArn = `arn:aws:apigateway:${region}::/domainnames/${domainName}`
    await client.send(new TagResourceCommand({ ResourceArn: domainArn, Tags: { d: '1' } }))
    assert.deepEqual((await client.send(new GetTagsCommand({ ResourceArn: domainArn }))).Tags, { d: '1' })

    const linkArn = `arn:aws:apigateway:${region}::/vpclinks/${link.VpcLinkId}`
    await client.send(new TagResourceCommand({ ResourceArn: linkArn, Tags: { more: 'yes' } }))
    assert.deepEqual((await client.send(new GetVpcLinkCommand({ VpcLinkId: link.VpcLinkId }))).Tags, { kind: 'link', more: 'yes' })

    const missing = await sdkError(client.send(new GetTagsCommand({ ResourceArn: `arn:aws:apigateway:${region}::/apis/nosuchapi1` })))
    assert.deepEqual([missing.name, missing.status, missing.message], ['NotFoundException', 404, 'Invalid API identifier specified nosuchapi1'])
    const bad = await sdkError(client.send(new GetTagsCommand({ ResourceArn: 'not-an-arn' })))
    assert.deepEqual([bad.name, bad.status], ['BadRequestException', 400])
    const reserved = await sdkError(client.send(new TagResourceCommand({ ResourceArn: apiArn, Tags: { 'aws:x': 'y' } })))
    assert.deepEqual([reserved.name, reserved.status], ['BadRequestException', 400])
  })
})

describe('HTTP API control plane: updates', () => {
  it('UpdateAuthorizer merges and re-checks; UpdateDeployment changes the description', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('auth'), ProtocolType: 'HTTP' }))
    const authorizer = await client.send(new CreateAuthorizerCommand({
      ApiId: api.ApiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['a'] },
    }))
    const updated = await client.send(new UpdateAuthorizerCommand({
      ApiId: api.ApiId, AuthorizerId: authorizer.AuthorizerId, Name: 'renamed', JwtConfiguration: { Issuer: 'https://other.example.com', Audience: ['b', 'c'] },
    }))
    assert.equal(updated.Name, 'renamed')
    assert.deepEqual(updated.JwtConfiguration, { Issuer: 'https://other.example.com', Audience: ['b', 'c'] })
    const read = await client.send(new GetAuthorizerCommand({ ApiId: api.ApiId, AuthorizerId: authorizer.AuthorizerId }))
    assert.deepEqual(read.IdentitySource, ['$request.header.Authorization'])
    const bad = await sdkError(client.send(new UpdateAuthorizerCommand({ ApiId: api.ApiId, AuthorizerId: authorizer.AuthorizerId, JwtConfiguration: { Audience: [] } })))
    assert.deepEqual([bad.name, bad.status], ['BadRequestException', 400])
    const missing = await sdkError(client.send(new UpdateAuthorizerCommand({ ApiId: api.ApiId, AuthorizerId: 'nope123', Name: 'x' })))
    assert.deepEqual([missing.name, missing.message], ['NotFoundException', 'Invalid Authorizer identifier specified nope123'])

    const deployment = await client.send(new CreateDeploymentCommand({ ApiId: api.ApiId, Description: 'first' }))
    const changed = await client.send(new UpdateDeploymentCommand({ ApiId: api.ApiId, DeploymentId: deployment.DeploymentId, Description: 'second' }))
    assert.equal(changed.Description, 'second')
    assert.equal((await client.send(new GetDeploymentCommand({ ApiId: api.ApiId, DeploymentId: deployment.DeploymentId }))).Description, 'second')
    const none = await sdkError(client.send(new UpdateDeploymentCommand({ ApiId: api.ApiId, DeploymentId: 'nope123', Description: 'x' })))
    assert.deepEqual([none.name, none.status], ['NotFoundException', 404])
  })

  it('drops a stage\'s access log settings and one route\'s settings (its throttle no longer applies); stores a client certificate id', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('stage'), ProtocolType: 'HTTP' }))
    await client.send(new CreateStageCommand({
      ApiId: api.ApiId, StageName: 'dev', AccessLogSettings: { DestinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:g', Format: '$context.requestId' },
      RouteSettings: { 'GET /a': { ThrottlingBurstLimit: 0, ThrottlingRateLimit: 0 } },
    }))
    const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'http://127.0.0.1:9/x', IntegrationMethod: 'GET' }))
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /a', Target: `integrations/${integration.IntegrationId}` }))
    await client.send(new UpdateStageCommand({ ApiId: api.ApiId, StageName: 'dev', AutoDeploy: true }))
    assert.equal((await invokeHttpApi(nimbus.current, api.ApiId!, '/dev/a')).status, 429)

    await client.send(new DeleteRouteSettingsCommand({ ApiId: api.ApiId, StageName: 'dev', RouteKey: 'GET /a' }))
    assert.notEqual((await invokeHttpApi(nimbus.current, api.ApiId!, '/dev/a')).status, 429)
    await client.send(new DeleteAccessLogSettingsCommand({ ApiId: api.ApiId, StageName: 'dev' }))
    const stage = await client.send(new GetStageCommand({ ApiId: api.ApiId, StageName: 'dev' }))
    assert.equal(stage.AccessLogSettings, undefined)
    assert.deepEqual(stage.RouteSettings, {})
    const again = await sdkError(client.send(new DeleteRouteSettingsCommand({ ApiId: api.ApiId, StageName: 'dev', RouteKey: 'GET /a' })))
    assert.deepEqual([again.name, again.status], ['NotFoundException', 404])

    const withCert = await client.send(new UpdateStageCommand({ ApiId: api.ApiId, StageName: 'dev', ClientCertificateId: 'abc123' }))
    assert.equal(withCert.ClientCertificateId, 'abc123')
  })

  it('UpdateApi with Target and RouteKey updates the quick-created integration and route, which then serve', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const lambda = lambdaClient(nimbus.current)
    const first = await createFunction(lambda, 'exports.handler = async () => ({ statusCode: 200, body: "first" })')
    const second = await createFunction(lambda, 'exports.handler = async () => ({ statusCode: 200, body: "second" })')
    const arn = async (name: string) => (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('quick'), ProtocolType: 'HTTP', Target: await arn(first) }))
    assert.equal((await invokeHttpApi(nimbus.current, api.ApiId!, '/x')).body.toString(), 'first')

    await client.send(new UpdateApiCommand({ ApiId: api.ApiId, Target: await arn(second), RouteKey: 'GET /only' }))
    const routes = (await client.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!
    assert.deepEqual(routes.map((r) => [r.RouteKey, r.ApiGatewayManaged]), [['GET /only', true]])
    const integrations = (await client.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!
    assert.equal(integrations.length, 1)
    assert.equal(integrations[0]!.IntegrationUri, await arn(second))
    assert.equal((await invokeHttpApi(nimbus.current, api.ApiId!, '/only')).body.toString(), 'second')
    assert.equal((await invokeHttpApi(nimbus.current, api.ApiId!, '/x')).status, 404)

    const plain = await client.send(new CreateApiCommand({ Name: uniqueName('plain'), ProtocolType: 'HTTP' }))
    const refused = await sdkError(client.send(new UpdateApiCommand({ ApiId: plain.ApiId, RouteKey: 'GET /a' })))
    assert.deepEqual([refused.name, refused.status], ['BadRequestException', 400])
    lambda.destroy()
  })

  it('UpdateDomainName replaces the configuration and the truststore', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const name = `${uniqueName('dom')}.example.com`
    await client.send(new CreateDomainNameCommand({ DomainName: name, DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/a' }] }))
    const updated = await client.send(new UpdateDomainNameCommand({
      DomainName: name, DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/b', SecurityPolicy: 'TLS_1_2' }],
      MutualTlsAuthentication: { TruststoreUri: 's3://bucket/truststore.pem' },
    }))
    assert.equal(updated.DomainNameConfigurations![0]!.CertificateArn, 'arn:aws:acm:us-east-1:000000000000:certificate/b')
    assert.equal(updated.MutualTlsAuthentication?.TruststoreUri, 's3://bucket/truststore.pem')
    const missing = await sdkError(client.send(new UpdateDomainNameCommand({ DomainName: 'nope.example.com' })))
    assert.deepEqual([missing.name, missing.status], ['NotFoundException', 404])
  })
})

describe('HTTP API control plane: VPC links', () => {
  it('are PENDING, then AVAILABLE a minute later on the clock; update, list, delete', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const link = await client.send(new CreateVpcLinkCommand({ Name: 'l1', SubnetIds: ['subnet-1a', 'subnet-2b'], SecurityGroupIds: ['sg-1'] }))
    assert.equal(link.VpcLinkStatus, 'PENDING')
    assert.equal(link.VpcLinkVersion, 'V2')
    await advance(nimbus.current, 60_000)
    assert.equal((await client.send(new GetVpcLinkCommand({ VpcLinkId: link.VpcLinkId }))).VpcLinkStatus, 'AVAILABLE')
    assert.equal((await client.send(new UpdateVpcLinkCommand({ VpcLinkId: link.VpcLinkId, Name: 'l2' }))).Name, 'l2')
    assert.ok((await client.send(new GetVpcLinksCommand({}))).Items!.some((l) => l.VpcLinkId === link.VpcLinkId && l.Name === 'l2'))
    await client.send(new DeleteVpcLinkCommand({ VpcLinkId: link.VpcLinkId }))
    const gone = await sdkError(client.send(new GetVpcLinkCommand({ VpcLinkId: link.VpcLinkId })))
    assert.deepEqual([gone.name, gone.status], ['NotFoundException', 404])
    const bad = await sdkError(client.send(new CreateVpcLinkCommand({ Name: 'x', SubnetIds: ['nope'] })))
    assert.deepEqual([bad.name, bad.status], ['BadRequestException', 400])
  })
})

describe('WebSocket API control plane: models, route and integration responses', () => {
  it('creates, reads, updates and deletes models; GetModelTemplate writes the VTL; HTTP APIs take none', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
    const schema = JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } } })
    const model = await client.send(new CreateModelCommand({ ApiId: api.ApiId, Name: 'Person', Schema: schema, ContentType: 'application/json' }))
    assert.equal((await client.send(new GetModelCommand({ ApiId: api.ApiId, ModelId: model.ModelId }))).Name, 'Person')
    const template = (await client.send(new GetModelTemplateCommand({ ApiId: api.ApiId, ModelId: model.ModelId }))).Value!
    assert.ok(template.startsWith("#set($inputRoot = $input.path('$'))"))
    assert.match(template, /"name" : "\$inputRoot\.name"/)
    assert.match(template, /"age" : \$inputRoot\.age/)
    assert.equal((await client.send(new UpdateModelCommand({ ApiId: api.ApiId, ModelId: model.ModelId, Description: 'a person' }))).Description, 'a person')
    const dup = await sdkError(client.send(new CreateModelCommand({ ApiId: api.ApiId, Name: 'Person', Schema: '{}' })))
    assert.deepEqual([dup.name, dup.status], ['ConflictException', 409])
    const badSchema = await sdkError(client.send(new CreateModelCommand({ ApiId: api.ApiId, Name: 'Bad', Schema: 'not json' })))
    assert.deepEqual([badSchema.name, badSchema.status], ['BadRequestException', 400])

    const route = await client.send(new CreateRouteCommand({
      ApiId: api.ApiId, RouteKey: 'send', RequestModels: { $default: 'Person' }, ModelSelectionExpression: '$default',
      RequestParameters: { 'route.request.querystring.id': { Required: true } },
    }))
    const inUse = await sdkError(client.send(new DeleteModelCommand({ ApiId: api.ApiId, ModelId: model.ModelId })))
    assert.deepEqual([inUse.name, inUse.status], ['ConflictException', 409])
    await client.send(new DeleteRouteRequestParameterCommand({ ApiId: api.ApiId, RouteId: route.RouteId, RequestParameterKey: 'route.request.querystring.id' }))
    assert.deepEqual((await client.send(new GetRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId }))).RequestParameters, {})
    const noParam = await sdkError(client.send(new DeleteRouteRequestParameterCommand({ ApiId: api.ApiId, RouteId: route.RouteId, RequestParameterKey: 'x' })))
    assert.deepEqual([noParam.name, noParam.status], ['NotFoundException', 404])

    const response = await client.send(new CreateRouteResponseCommand({ ApiId: api.ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }))
    const updatedResponse = await client.send(new UpdateRouteResponseCommand({
      ApiId: api.ApiId, RouteId: route.RouteId, RouteResponseId: response.RouteResponseId, ModelSelectionExpression: '$default', ResponseModels: { $default: 'Person' },
    }))
    assert.deepEqual(updatedResponse.ResponseModels, { $default: 'Person' })
    const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'MOCK' }))
    const ir = await client.send(new CreateIntegrationResponseCommand({ ApiId: api.ApiId, IntegrationId: integration.IntegrationId, IntegrationResponseKey: '$default' }))
    const updatedIr = await client.send(new UpdateIntegrationResponseCommand({
      ApiId: api.ApiId, IntegrationId: integration.IntegrationId, IntegrationResponseId: ir.IntegrationResponseId,
      ResponseTemplates: { $default: '{"ok":true}' }, TemplateSelectionExpression: '$default',
    }))
    assert.deepEqual(updatedIr.ResponseTemplates, { $default: '{"ok":true}' })
    // The key is checked as CreateIntegrationResponse checks it.
    const badKey = await sdkError(client.send(new UpdateIntegrationResponseCommand({
      ApiId: api.ApiId, IntegrationId: integration.IntegrationId, IntegrationResponseId: ir.IntegrationResponseId, IntegrationResponseKey: '4xx',
    })))
    assert.deepEqual([badKey.name, badKey.status], ['BadRequestException', 400])

    assert.equal((await client.send(new GetModelsCommand({ ApiId: api.ApiId }))).Items!.length, 1)

    const http = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    const refused = await sdkError(client.send(new CreateModelCommand({ ApiId: http.ApiId, Name: 'M', Schema: '{}' })))
    assert.deepEqual([refused.name, refused.status], ['BadRequestException', 400])
  })

  it('boto3 reads the new operations\' answers (strict parsing)', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('py'), ProtocolType: 'HTTP', Tags: { a: 'b' } }))
    const script = `import boto3
c = boto3.client('apigatewayv2', endpoint_url='${nimbus.current.endpoint}', region_name='${region}')
arn = 'arn:aws:apigateway:${region}::/apis/${api.ApiId}'
c.tag_resource(ResourceArn=arn, Tags={'x': 'y'})
c.untag_resource(ResourceArn=arn, TagKeys=['a'])
link = c.create_vpc_link(Name='py', SubnetIds=['subnet-1'])
print(sorted(c.get_tags(ResourceArn=arn)['Tags'].items()), link['VpcLinkStatus'], type(link['CreatedDate']).__name__)`
    const { stdout } = await promisify(execFile)('python3', ['-c', script], { env: awsCliEnv })
    assert.equal(stdout.trim(), "[('x', 'y')] PENDING datetime")
  })
})

describe('HTTP API OpenAPI: tags, endpoint configuration and VPC link integrations round-trip', () => {
  it('exports them with the extensions and imports them back', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('oas'), ProtocolType: 'HTTP', Tags: { team: 'x' }, DisableExecuteApiEndpoint: true }))
    const link = await client.send(new CreateVpcLinkCommand({ Name: 'oas', SubnetIds: ['subnet-1'] }))
    const integration = await client.send(new CreateIntegrationCommand({
      ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'http://internal.example/x', IntegrationMethod: 'ANY',
      ConnectionType: 'VPC_LINK', ConnectionId: link.VpcLinkId,
    }))
    assert.equal(integration.ConnectionId, link.VpcLinkId)
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /x', Target: `integrations/${integration.IntegrationId}` }))
    const body = Buffer.from((await client.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'JSON' }))).body!).toString('utf8')
    const doc = JSON.parse(body) as Record<string, unknown>
    assert.deepEqual(doc.tags, [{ name: 'team', 'x-amazon-apigateway-tag-value': 'x' }])
    assert.deepEqual(doc['x-amazon-apigateway-endpoint-configuration'], { disableExecuteApiEndpoint: true })
    const imported = await client.send(new ImportApiCommand({ Body: body }))
    assert.deepEqual(imported.Tags, { team: 'x' })
    assert.equal(imported.DisableExecuteApiEndpoint, true)
    const integrations = (await client.send(new GetIntegrationsCommand({ ApiId: imported.ApiId }))).Items!
    assert.equal(integrations[0]!.ConnectionId, link.VpcLinkId)
    const ws = await client.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
    const refused = await sdkError(client.send(new ExportApiCommand({ ApiId: ws.ApiId, Specification: 'OAS30', OutputType: 'JSON' })))
    assert.deepEqual([refused.name, refused.status], ['BadRequestException', 400])
  })
})
