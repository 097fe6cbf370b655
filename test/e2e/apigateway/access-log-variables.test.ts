// The access-log `$context` variables AWS documents for what happened inside a request: the
// integration's latency and statuses (`integrationLatency`, `integration.latency`, `integration.status`
// — the Lambda function's own status code —, `integrationStatus` / `integration.integrationStatus`),
// the Lambda authorizer's `principalId` and context keys, `authorizer.status`, `error.responseType` —
// for a REST API and an HTTP API, read back with the CloudWatch Logs client.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { CreateAuthorizerCommand, PutIntegrationCommand, PutMethodCommand, UpdateRestApiCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway'
import {
  CreateApiCommand, CreateAuthorizerCommand as CreateV2AuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, invoke } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { logsClient } from '../../helpers/logs.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

async function functionArn(source: string): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: await createFunction(lambda, source) }))).Configuration!.FunctionArn!
}

async function lines(group: string): Promise<Record<string, string>[]> {
  const events = await logsClient(nimbus.current).send(new FilterLogEventsCommand({ logGroupName: group }))
  return (events.events ?? []).map((e) => JSON.parse(e.message!) as Record<string, string>)
}

const created = `exports.handler = async () => ({ statusCode: 201, body: 'made' })`
const uri = (arn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`

describe('API Gateway access-log $context variables', () => {
  it('REST: integration latency and statuses, the authorizer\'s principal, context and status', async () => {
    const client = apiGatewayClient(nimbus.current)
    const backend = await functionArn(created)
    const authorizerFn = await functionArn(`exports.handler = async (event) => ({ principalId: 'user-1',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
      context: { tenant: 'acme', count: 3 } })`)
    const api = await createApi(client)
    const resourceId = await createPath(client, api, '/orders')
    const auth = await client.send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'tok', type: 'TOKEN',
      identitySource: 'method.request.header.Authorization', authorizerUri: uri(authorizerFn) }))
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId, httpMethod: 'POST', authorizationType: 'CUSTOM', authorizerId: auth.id }))
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uri(backend) }))
    // A resource policy whose explicit Deny (on one user agent) refuses before the authorizer is called.
    await client.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'replace', path: '/policy', value: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
      { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringEquals: { 'aws:UserAgent': 'blocked' } } }] }) }] }))
    await deploy(client, api.id, 'dev')
    const group = uniqueName('/aws/apigateway/vars')
    const format = JSON.stringify({ id: '$context.requestId', latency: '$context.integrationLatency', latency2: '$context.integration.latency',
      status: '$context.integration.status', lambdaStatus: '$context.integrationStatus', lambdaStatus2: '$context.integration.integrationStatus',
      principal: '$context.authorizer.principalId', tenant: '$context.authorizer.tenant', count: '$context.authorizer.count',
      authStatus: '$context.authorizer.status', type: '$context.error.responseType', waf: '$context.wafResponseCode' })
    await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:000000000000:log-group:${group}` },
      { op: 'replace', path: '/accessLogSettings/format', value: format }] }))
    const served = await invoke(nimbus.current, 'host', api.id, 'dev', '/orders', { method: 'POST', headers: { Authorization: 'tok' } })
    assert.equal(served.status, 201)
    const refused = await invoke(nimbus.current, 'host', api.id, 'dev', '/orders', { method: 'POST' })
    assert.equal(refused.status, 401)
    const blocked = await invoke(nimbus.current, 'host', api.id, 'dev', '/orders', { method: 'POST', headers: { Authorization: 'tok', 'User-Agent': 'blocked' } })
    assert.equal(blocked.status, 403)
    const [first, second, third] = await lines(group)
    assert.match(first!.latency!, /^\d+$/)
    assert.equal(first!.latency2, first!.latency)
    assert.deepEqual({ ...first, latency: 'n', latency2: 'n' }, {
      id: String(served.headers['x-amzn-requestid']), latency: 'n', latency2: 'n', status: '201', lambdaStatus: '200', lambdaStatus2: '200',
      principal: 'user-1', tenant: 'acme', count: '3', authStatus: '200', type: '-', waf: '-',
    })
    assert.deepEqual(second, {
      id: String(refused.headers['x-amzn-requestid']), latency: '-', latency2: '-', status: '-', lambdaStatus: '-', lambdaStatus2: '-',
      principal: '-', tenant: '-', count: '-', authStatus: '401', type: 'UNAUTHORIZED', waf: '-',
    })
    // The authorizer never ran: no status of its own.
    assert.deepEqual(third, {
      id: String(blocked.headers['x-amzn-requestid']), latency: '-', latency2: '-', status: '-', lambdaStatus: '-', lambdaStatus2: '-',
      principal: '-', tenant: '-', count: '-', authStatus: '-', type: 'ACCESS_DENIED', waf: '-',
    })
  })

  it('HTTP API: the integration\'s statuses and a Lambda authorizer\'s context', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const backend = await functionArn(created)
    const authorizerFn = await functionArn(`exports.handler = async () => ({ isAuthorized: true, context: { tenant: 'acme' } })`)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('vars'), ProtocolType: 'HTTP' }))
    const authorizer = await client.send(new CreateV2AuthorizerCommand({ ApiId, Name: 'lambda', AuthorizerType: 'REQUEST', IdentitySource: ['$request.header.x-key'],
      AuthorizerUri: uri(authorizerFn), AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true }))
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: backend, PayloadFormatVersion: '2.0' }))
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /orders', Target: `integrations/${IntegrationId}`, AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }))
    const group = uniqueName('/aws/http-api/vars')
    const format = JSON.stringify({ id: '$context.requestId', latency: '$context.integrationLatency', status: '$context.integration.status',
      status2: '$context.integrationStatus', lambdaStatus: '$context.integration.integrationStatus', tenant: '$context.authorizer.tenant' })
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true, AccessLogSettings: {
      DestinationArn: `arn:aws:logs:us-east-1:000000000000:log-group:${group}`, Format: format } }))
    const served = await invokeHttpApi(nimbus.current, ApiId!, '/orders', { headers: { 'x-key': 'k' } })
    assert.equal(served.status, 201)
    const [line] = await lines(group)
    assert.match(line!.latency!, /^\d+$/)
    assert.deepEqual({ ...line, latency: 'n' }, {
      id: String(served.headers['apigw-requestid']), latency: 'n', status: '201', status2: '200', lambdaStatus: '200', tenant: 'acme',
    })
  })
})
