// HTTP API parameter mapping beyond HTTP_PROXY: request parameters on Lambda proxy integrations (the
// 2.0 and 1.0 events show the transformed headers, query string and path), response parameters on
// Lambda and first-class AWS integrations, the guide's reserved headers refused, and a Lambda
// authorizer's IAM-policy `principalId` as `$context.authorizer.principalId` (mapping and access logs).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import {
  CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, GetIntegrationCommand,
} from '@aws-sdk/client-apigatewayv2'
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { logsClient } from '../../helpers/logs.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

async function functionArn(source: string): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: await createFunction(lambda, source) }))).Configuration!.FunctionArn!
}

const echo = `exports.handler = async (event) => ({ statusCode: event.headers['x-status'] ? Number(event.headers['x-status']) : 200,
  headers: { 'x-backend': 'lambda' }, body: JSON.stringify(event) })`

const requestParameters = {
  'append:header.x-request': '$context.requestId',
  'overwrite:header.x-renamed': '$request.header.x-old',
  'remove:header.x-old': "''",
  'overwrite:querystring.page': '2',
  'append:querystring.tag': 'mapped',
  'remove:querystring.secret': "''",
  'overwrite:path': '/backend/${request.path.id}',
  'overwrite:header.x-stage': '$stageVariables.env',
}

describe('HTTP API parameter mapping on Lambda proxy integrations', () => {
  it('the 2.0 and 1.0 events show the mapped headers, query string and path', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const fn = await functionArn(echo)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('map'), ProtocolType: 'HTTP' }))
    for (const version of ['2.0', '1.0']) {
      const integration = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn,
        PayloadFormatVersion: version, RequestParameters: requestParameters }))
      assert.deepEqual(integration.RequestParameters, requestParameters)
      await client.send(new CreateRouteCommand({ ApiId, RouteKey: `GET /v${version[0]}/items/{id}`, Target: `integrations/${integration.IntegrationId}` }))
    }
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true, StageVariables: { env: 'test' } }))
    const call = (prefix: string) => invokeHttpApi(nimbus.current, ApiId!, `/${prefix}/items/42?page=1&tag=a&secret=s`, { headers: { 'x-old': 'value' } })

    const v2 = await call('v2')
    assert.equal(v2.status, 200, v2.text)
    const e2 = v2.json() as { headers: Record<string, string>; rawPath: string; rawQueryString: string; queryStringParameters: Record<string, string>;
      requestContext: { requestId: string; http: { path: string } } }
    assert.equal(e2.headers['x-request'], e2.requestContext.requestId)
    assert.equal(e2.headers['x-renamed'], 'value')
    assert.equal(e2.headers['x-old'], undefined)
    assert.equal(e2.headers['x-stage'], 'test')
    assert.deepEqual(e2.queryStringParameters, { page: '2', tag: 'a,mapped' })
    assert.equal(e2.rawQueryString, 'page=2&tag=a&tag=mapped')
    assert.equal(e2.rawPath, '/backend/42')
    assert.equal(e2.requestContext.http.path, '/backend/42')

    const v1 = await call('v1')
    assert.equal(v1.status, 200, v1.text)
    const e1 = v1.json() as { headers: Record<string, string>; multiValueHeaders: Record<string, string[]>; path: string;
      queryStringParameters: Record<string, string>; multiValueQueryStringParameters: Record<string, string[]>; requestContext: { path: string } }
    assert.equal(e1.headers['x-renamed'], 'value')
    assert.equal(e1.headers['x-old'], undefined)
    assert.deepEqual(e1.multiValueHeaders['x-renamed'], ['value'])
    assert.deepEqual(e1.multiValueQueryStringParameters, { page: ['2'], tag: ['a', 'mapped'] })
    assert.deepEqual(e1.queryStringParameters, { page: '2', tag: 'mapped' })
    assert.equal(e1.path, '/backend/42')
    assert.equal(e1.requestContext.path, '/backend/42')
  })

  it('a header-only mapping leaves the rest of the event as it is without one (query string, cookies, headers)', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const fn = await functionArn(echo)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('map'), ProtocolType: 'HTTP' }))
    for (const version of ['2.0', '1.0']) {
      for (const mapped of [false, true]) {
        const integration = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn,
          PayloadFormatVersion: version, ...(mapped && { RequestParameters: { 'append:header.x-added': 'yes' } }) }))
        await client.send(new CreateRouteCommand({ ApiId, RouteKey: `GET /v${version[0]}/${mapped ? 'mapped' : 'plain'}`, Target: `integrations/${integration.IntegrationId}` }))
      }
    }
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }))
    const call = async (path: string) => {
      const answer = await invokeHttpApi(nimbus.current, ApiId!, `${path}?q=a%20b&p=x%2Fy&q=c&e=`, { headers: { cookie: 'a=1; b=2', 'x-multi': 'one' } })
      assert.equal(answer.status, 200, answer.text)
      const event = answer.json() as Record<string, unknown> & { headers: Record<string, string> }
      assert.equal(event.headers['x-added'], path.endsWith('mapped') ? 'yes' : undefined)
      delete event.headers['x-added']
      delete event.headers['x-amzn-trace-id'] // one of its own each call
      const { rawQueryString, queryStringParameters, multiValueQueryStringParameters, cookies, headers, multiValueHeaders } = event
      delete (multiValueHeaders as Record<string, unknown> | undefined)?.['x-added']
      delete (multiValueHeaders as Record<string, unknown> | undefined)?.['x-amzn-trace-id']
      return { rawQueryString, queryStringParameters, multiValueQueryStringParameters, cookies, headers, multiValueHeaders }
    }
    assert.deepEqual(await call('/v2/mapped'), await call('/v2/plain'))
    assert.deepEqual(await call('/v1/mapped'), await call('/v1/plain'))
  })

  it('response parameters transform a Lambda answer by its status code', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const fn = await functionArn(echo)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('map'), ProtocolType: 'HTTP' }))
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn,
      PayloadFormatVersion: '2.0', ResponseParameters: {
        500: { 'overwrite:statuscode': '403', 'append:header.x-request': '$context.requestId' },
        200: { 'remove:header.x-backend': "''", 'overwrite:header.x-version': '$response.body.version' },
      } }))
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /r', Target: `integrations/${IntegrationId}` }))
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }))
    const ok = await invokeHttpApi(nimbus.current, ApiId!, '/r')
    assert.equal(ok.status, 200)
    assert.equal(ok.headers['x-backend'], undefined)
    assert.equal(ok.headers['x-version'], '2.0')
    const failed = await invokeHttpApi(nimbus.current, ApiId!, '/r', { headers: { 'x-status': '500' } })
    assert.equal(failed.status, 403)
    assert.equal(failed.headers['x-request'], failed.headers['apigw-requestid'])
    assert.equal(failed.headers['x-backend'], 'lambda')
  })

  it('response parameters transform a first-class integration\'s answer', async () => {
    const sqs = new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('map-q') }))
    const client = apiGatewayV2Client(nimbus.current)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('map'), ProtocolType: 'HTTP' }))
    const integration = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationSubtype: 'SQS-SendMessage',
      PayloadFormatVersion: '1.0', CredentialsArn: 'arn:aws:iam::000000000000:role/http-api',
      RequestParameters: { QueueUrl: QueueUrl!, MessageBody: '$request.body' },
      ResponseParameters: { 200: { 'overwrite:statuscode': '202', 'overwrite:header.x-queued': 'yes' } } }))
    assert.deepEqual((await client.send(new GetIntegrationCommand({ ApiId, IntegrationId: integration.IntegrationId }))).ResponseParameters,
      { 200: { 'overwrite:statuscode': '202', 'overwrite:header.x-queued': 'yes' } })
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'POST /send', Target: `integrations/${integration.IntegrationId}` }))
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }))
    const sent = await invokeHttpApi(nimbus.current, ApiId!, '/send', { method: 'POST', body: 'hello' })
    assert.equal(sent.status, 202, sent.text)
    assert.equal(sent.headers['x-queued'], 'yes')
    assert.match(sent.text, /SendMessageResponse/)
  })

  it('refuses mappings of the reserved headers', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('map'), ProtocolType: 'HTTP' }))
    for (const [request, response] of [
      [{ 'overwrite:header.Authorization': 'x' }, undefined],
      [{ 'append:header.x-amzn-thing': 'x' }, undefined],
      [undefined, { 200: { 'overwrite:header.access-control-allow-origin': '*' } }],
    ] as const) {
      const error = await sdkError(client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'http://127.0.0.1:9',
        IntegrationMethod: 'ANY', PayloadFormatVersion: '1.0', RequestParameters: request, ResponseParameters: response })))
      assert.deepEqual([error.name, error.status], ['BadRequestException', 400])
      assert.match(error.message, /are restricted/)
    }
  })
})

describe('HTTP API Lambda authorizers: an IAM policy answer\'s principalId', () => {
  it('is $context.authorizer.principalId in parameter mapping and access logs; the event keeps authorizer.lambda', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const fn = await functionArn(echo)
    const authorizerFn = await functionArn(`exports.handler = async (event) => ({ principalId: 'user-7',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.routeArn ?? event.methodArn }] },
      context: { tenant: 'acme' } })`)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('principal'), ProtocolType: 'HTTP' }))
    const authorizer = await client.send(new CreateAuthorizerCommand({ ApiId, Name: 'policy', AuthorizerType: 'REQUEST',
      IdentitySource: ['$request.header.x-key'], AuthorizerUri: authorizerFn, AuthorizerPayloadFormatVersion: '2.0' }))
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn,
      PayloadFormatVersion: '2.0', RequestParameters: { 'overwrite:header.x-principal': '$context.authorizer.principalId',
        'overwrite:header.x-tenant': '$context.authorizer.tenant' } }))
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /me', Target: `integrations/${IntegrationId}`,
      AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }))
    const group = uniqueName('/aws/http-api/principal')
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true, AccessLogSettings: {
      DestinationArn: `arn:aws:logs:us-east-1:000000000000:log-group:${group}`,
      Format: JSON.stringify({ id: '$context.requestId', principal: '$context.authorizer.principalId', tenant: '$context.authorizer.tenant' }) } }))
    const served = await invokeHttpApi(nimbus.current, ApiId!, '/me', { headers: { 'x-key': 'k' } })
    assert.equal(served.status, 200, served.text)
    const event = served.json() as { headers: Record<string, string>; requestContext: { authorizer: unknown } }
    assert.equal(event.headers['x-principal'], 'user-7')
    assert.equal(event.headers['x-tenant'], 'acme')
    assert.deepEqual(event.requestContext.authorizer, { lambda: { tenant: 'acme' } })
    const events = await logsClient(nimbus.current).send(new FilterLogEventsCommand({ logGroupName: group }))
    assert.deepEqual(JSON.parse(events.events![0]!.message!), { id: served.headers['apigw-requestid'], principal: 'user-7', tenant: 'acme' })
  })
})
