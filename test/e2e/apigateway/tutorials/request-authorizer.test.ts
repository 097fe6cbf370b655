// Walks the Lambda authorizer guide's REQUEST example ("Create a request-based Lambda authorizer function"): the
// guide's function, as written, authorizes when the headerauth1 header, the QueryString1 query parameter and the
// StageVar1 stage variable hold headerValue1, queryValue1 and stageValue1 — its identity sources are those three.
// Compared with what the guide says: 200 through, 401 `Unauthorized` for a wrong value (the function's
// `callback("Unauthorized")`) and for a missing identity source (the function never called), the context passed on.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateAuthorizerCommand, PutIntegrationCommand, PutMethodCommand, TestInvokeAuthorizerCommand } from '@aws-sdk/client-api-gateway'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, invoke, guideGeneratePolicy } from '../../../helpers/apigateway.ts'
import { createFunction, lambdaClient } from '../../../helpers/lambda.ts'
import { useNimbus } from '../../../helpers/nimbus.ts'

const nimbus = useNimbus()

const lambdaUri = (arn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`

// The guide's function (CommonJS, callback style), its policy helpers included.
const requestAuthorizer = `exports.handler = function(event, context, callback) {
    var headers = event.headers;
    var queryStringParameters = event.queryStringParameters;
    var stageVariables = event.stageVariables;
    var tmp = event.methodArn.split(':');
    var apiGatewayArnTmp = tmp[5].split('/');
    var resource = '/';
    if (apiGatewayArnTmp[3]) { resource += apiGatewayArnTmp[3]; }
    if (headers.headerauth1 === "headerValue1"
        && queryStringParameters.QueryString1 === "queryValue1"
        && stageVariables.StageVar1 === "stageValue1") {
        callback(null, generateAllow('me', event.methodArn));
    } else {
        callback("Unauthorized");
    }
}
${guideGeneratePolicy}
var generateAllow = function(principalId, resource) { return generatePolicy(principalId, 'Allow', resource); }`

describe('the Lambda authorizer guide\'s REQUEST example', () => {
  it('authorizes by header, query string and stage variable, refusing a wrong or missing one with 401', async () => {
    const lambda = lambdaClient(nimbus.current)
    const arn = async (source: string) => (await lambda.send(new GetFunctionCommand({
      FunctionName: await createFunction(lambda, [{ path: 'index.js', content: source }]) }))).Configuration!.FunctionArn!
    const authorizerArn = await arn(requestAuthorizer)
    const echo = await arn('exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e.requestContext.authorizer) })')
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const { id: authorizerId } = await client.send(new CreateAuthorizerCommand({
      restApiId: api.id, name: 'request', type: 'REQUEST', authorizerUri: lambdaUri(authorizerArn), authorizerResultTtlInSeconds: 0,
      identitySource: 'method.request.header.headerauth1, method.request.querystring.QueryString1, stageVariables.StageVar1',
    }))
    const resourceId = await createPath(client, api, 'request')
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId }))
    await client.send(new PutIntegrationCommand({
      restApiId: api.id, resourceId, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(echo),
    }))
    await deploy(client, api.id, 'test', { StageVar1: 'stageValue1' })
    const call = (query: string, headers: Record<string, string> = { headerauth1: 'headerValue1' }) =>
      invoke(nimbus.current, 'host', api.id, 'test', `/request${query}`, { headers })

    const allowed = await call('?QueryString1=queryValue1')
    assert.equal(allowed.status, 200)
    const { integrationLatency, ...context } = allowed.json() as Record<string, unknown>
    assert.equal(typeof integrationLatency, 'number')
    assert.deepEqual(context, { principalId: 'me', stringKey: 'stringval', numberKey: '123', booleanKey: 'true' })

    const wrong = await call('?QueryString1=other')
    assert.equal(wrong.status, 401)
    assert.deepEqual(wrong.json(), { message: 'Unauthorized' })
    assert.equal(wrong.headers['x-amzn-errortype'], 'UnauthorizedException')
    for (const missing of [await call(''), await call('?QueryString1=queryValue1', {})]) {
      assert.equal(missing.status, 401)
      assert.deepEqual(missing.json(), { message: 'Unauthorized' })
    }

    // The console's "Test authorizer": the identity sources as the request's parts and the stage's variables.
    const tested = await client.send(new TestInvokeAuthorizerCommand({
      restApiId: api.id, authorizerId, headers: { headerauth1: 'headerValue1' }, pathWithQueryString: '/request?QueryString1=queryValue1',
      stageVariables: { StageVar1: 'stageValue1' },
    }))
    // "Value is 0 if the authorizer succeeded" (TestInvokeAuthorizer's reference).
    assert.equal(tested.clientStatus, 0)
    assert.equal(tested.principalId, 'me')
    const refused = await client.send(new TestInvokeAuthorizerCommand({
      restApiId: api.id, authorizerId, headers: { headerauth1: 'headerValue1' }, pathWithQueryString: '/request?QueryString1=queryValue1',
      stageVariables: { StageVar1: 'other' },
    }))
    assert.equal(refused.clientStatus, 401)
  })
})
