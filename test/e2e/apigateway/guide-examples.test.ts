// REST APIs as the developer guide's tutorials and examples build them, checked against the outputs
// the guide documents: the TOKEN Lambda authorizer example (allow, deny, unauthorized, anything else;
// its context stringified in `$context.authorizer` and the proxy event) and the Lambda non-proxy
// tutorial (a request template reading path, query string, header and body); the usage plan guide's
// CLI commands for method-level throttling (UpdateUsagePlan's `/apiStages/{api}:{stage}/throttle…` paths);
// the mapping template override tutorials (request headers combined, a status overridden, and a second
// override of one parameter failing as "overrides are final"); the AWS variables for OpenAPI import
// (`${AWS::Region}`…) in the guide's YAML example. More in guide-payloads.test.ts.
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import {
  CreateApiKeyCommand, CreateAuthorizerCommand, CreateResourceCommand, GetResourcesCommand, ImportRestApiCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, PutIntegrationCommand,
  PutMethodCommand, UpdateMethodCommand, UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod, nonProxyMethod, guideGeneratePolicy } from '../../helpers/apigateway.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

const lambdaUri = (arn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`

async function functionArn(source: string, file = 'index.js'): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const name = await createFunction(lambda, [{ path: file, content: source }])
  return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
}

// The guide's TOKEN authorizer example ("Create a token-based Lambda authorizer function"), as written.
const tokenAuthorizer = `export const handler = function(event, context, callback) {
    var token = event.authorizationToken;
    switch (token) {
        case 'allow': callback(null, generatePolicy('user', 'Allow', event.methodArn)); break;
        case 'deny': callback(null, generatePolicy('user', 'Deny', event.methodArn)); break;
        case 'unauthorized': callback("Unauthorized"); break;
        default: callback("Error: Invalid token");
    }
};
${guideGeneratePolicy}`

describe('the Lambda authorizer guide\'s TOKEN example', () => {
  it('answers allow, deny, unauthorized and a failure as documented, and passes the context on stringified', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const authorizer = await functionArn(tokenAuthorizer, 'index.mjs')
    const echo = await functionArn('exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e.requestContext.authorizer) })')
    const { id: authorizerId } = await client.send(new CreateAuthorizerCommand({
      restApiId: api.id, name: 'token', type: 'TOKEN', authorizerUri: lambdaUri(authorizer),
      identitySource: 'method.request.header.authorizationToken', authorizerResultTtlInSeconds: 0,
    }))
    const proxy = await createPath(client, api, 'proxy')
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: proxy, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId }))
    await client.send(new PutIntegrationCommand({
      restApiId: api.id, resourceId: proxy, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(echo),
    }))
    const { id: mapped } = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.root, pathPart: 'mapped' }))
    await nonProxyMethod(client, { restApiId: api.id, resourceId: mapped, httpMethod: 'GET' },
      { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      [{ statusCode: '200', responseTemplates: { 'application/json': '{"p":"$context.authorizer.principalId","s":"$context.authorizer.stringKey","n":"$context.authorizer.numberKey","b":"$context.authorizer.booleanKey"}' } }])
    await client.send(new UpdateMethodCommand({ restApiId: api.id, resourceId: mapped, httpMethod: 'GET', patchOperations: [
      { op: 'replace', path: '/authorizationType', value: 'CUSTOM' }, { op: 'replace', path: '/authorizerId', value: authorizerId },
    ] }))
    await deploy(client, api.id, 'test')
    const call = (path: string, token?: string) =>
      invoke(nimbus.current, 'host', api.id, 'test', path, { headers: token === undefined ? {} : { authorizationToken: token } })

    const allowed = await call('/proxy', 'allow')
    assert.equal(allowed.status, 200)
    const { integrationLatency, ...passed } = allowed.json() as Record<string, unknown>
    assert.equal(typeof integrationLatency, 'number')
    // "calling $context.authorizer.numKey returns the "1" string, and … boolKey returns the "true" string".
    assert.deepEqual(passed, { principalId: 'user', stringKey: 'stringval', numberKey: '123', booleanKey: 'true' })
    const viaTemplate = await call('/mapped', 'allow')
    assert.deepEqual(viaTemplate.json(), { p: 'user', s: 'stringval', n: '123', b: 'true' })

    const denied = await call('/proxy', 'deny')
    assert.equal(denied.status, 403)
    assert.deepEqual(denied.json(), { Message: 'User is not authorized to access this resource with an explicit deny' })
    const unauthorized = await call('/proxy', 'unauthorized')
    assert.equal(unauthorized.status, 401)
    assert.deepEqual(unauthorized.json(), { message: 'Unauthorized' })
    const missing = await call('/proxy')
    assert.equal(missing.status, 401)
    assert.deepEqual(missing.json(), { message: 'Unauthorized' })
    const failed = await call('/proxy', 'fail')
    assert.equal(failed.status, 500)
    assert.equal(failed.headers['x-amzn-errortype'], 'AuthorizerConfigurationException')
  })
})

describe('the Lambda non-proxy integration tutorial', () => {
  it('maps the path, query string, header and body into the event and passes the function\'s answer back', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const greeter = await functionArn(`exports.handler = async (event) => {
      let greeting = 'Good ' + event.time + ', ' + event.name + ' of ' + event.city + '.'
      if (event.day) greeting += ' Happy ' + event.day + '!'
      return { greeting }
    }`)
    const city = await createPath(client, api, '{city}')
    const template = `#set($inputRoot = $input.path('$'))
{
  "city": "$input.params('city')",
  "time": "$input.params('time')",
  "day":  "$input.params('day')",
  "name": "$inputRoot.callerName"
}`
    await nonProxyMethod(client, { restApiId: api.id, resourceId: city, httpMethod: 'POST' },
      { type: 'AWS', integrationHttpMethod: 'POST', uri: lambdaUri(greeter), requestTemplates: { 'application/json': template } },
      [{ statusCode: '200' }])
    await deploy(client, api.id, 'test')
    const answer = await invoke(nimbus.current, 'path', api.id, 'test', '/Seattle?time=morning', {
      method: 'POST', headers: { 'content-type': 'application/json', day: 'Wednesday' }, body: '{"callerName": "John"}',
    })
    assert.equal(answer.status, 200)
    assert.deepEqual(answer.json(), { greeting: 'Good morning, John of Seattle. Happy Wednesday!' })
  })
})

describe('the usage plan guide\'s method-level throttling commands', () => {
  it('adds, replaces and removes a method\'s throttle in a plan\'s API stage, and the method is throttled by it', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const pets = await createPath(client, api, 'pets')
    for (const resourceId of [api.root, pets]) {
      await mockMethod(client, api.id, resourceId, 'GET', 200, '{"ok": true}')
      await client.send(new UpdateMethodCommand({ restApiId: api.id, resourceId, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/apiKeyRequired', value: 'true' }] }))
    }
    await deploy(client, api.id, 'prod')
    const key = await client.send(new CreateApiKeyCommand({ name: 'walkthrough', enabled: true }))
    const plan = await client.send(new CreateUsagePlanCommand({
      name: 'plan', apiStages: [{ apiId: api.id, stage: 'prod' }], throttle: { rateLimit: 100, burstLimit: 100 },
    }))
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }))
    const update = (...patchOperations: { op: 'replace' | 'remove'; path: string; value?: string }[]) =>
      client.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id!, patchOperations }))
    const stagePath = `/apiStages/${api.id}:prod/throttle`

    let updated = await update({ op: 'replace', path: `${stagePath}/~1pets/GET/rateLimit`, value: '0.1' })
    updated = await update({ op: 'replace', path: `${stagePath}/~1pets/GET/burstLimit`, value: '1' })
    assert.deepEqual(updated.apiStages, [{ apiId: api.id, stage: 'prod', throttle: { '/pets/GET': { rateLimit: 0.1, burstLimit: 1 } } }])
    const get = (path: string) => invoke(nimbus.current, 'host', api.id, 'prod', path, { headers: { 'x-api-key': key.value! } })
    assert.equal((await get('/pets')).status, 200)
    const throttled = await get('/pets')
    assert.equal(throttled.status, 429, 'the method\'s burst of 1')
    assert.deepEqual(throttled.json(), { message: 'Too Many Requests' })
    assert.equal((await get('/')).status, 200, 'the root keeps the plan\'s throttle')
    await advance(nimbus.current, 10_000)
    assert.equal((await get('/pets')).status, 200, 'a token back after 10 s at 0.1/s')

    updated = await update({ op: 'remove', path: `${stagePath}/~1pets/GET`, value: '' })
    assert.deepEqual(updated.apiStages, [{ apiId: api.id, stage: 'prod' }])
    // The Pet Store example: the whole map at once, the root keyed `//GET`.
    updated = await update({ op: 'replace', path: stagePath, value: '{"/pets/GET":{"rateLimit":1.0,"burstLimit":1},"//GET":{"rateLimit":1.0,"burstLimit":1}}' })
    assert.deepEqual(updated.apiStages?.[0]?.throttle, { '/pets/GET': { rateLimit: 1, burstLimit: 1 }, '//GET': { rateLimit: 1, burstLimit: 1 } })
    assert.equal((await get('/')).status, 200)
    assert.equal((await get('/')).status, 429, 'the root\'s own burst of 1')
    updated = await update({ op: 'remove', path: stagePath, value: '' })
    assert.deepEqual(updated.apiStages, [{ apiId: api.id, stage: 'prod' }])
    assert.equal((await get('/')).status, 200, 'back to the plan\'s throttle')

    const unknown = await sdkError(update({ op: 'replace', path: '/apiStages/nope:prod/throttle/~1pets/GET/rateLimit', value: '1' }))
    assert.equal(unknown.name, 'BadRequestException')
  })
})

describe('the mapping template override tutorials', () => {
  let backend: Server
  let base = ''
  const seen: IncomingHttpHeaders[] = []
  before(async () => {
    // The PetStore's answer to a petId out of range, which the response template turns into a 400.
    backend = createServer((req, res) => {
      seen.push(req.headers)
      req.resume()
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(req.url === '/pets/-1' ? '{"errors": [{"key": "GetPetRequest.petId", "message": "The value is out of range."}]}' : '{"id": 1}')
    })
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
  })
  after(async () => {
    backend.closeAllConnections()
    await new Promise((resolve) => backend.close(resolve))
  })

  it('combines request headers, overrides the status on an error body, and answers 5XX for a second override of one parameter', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const pets = await createPath(client, api, 'pets')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: pets, httpMethod: 'GET' }, {
      type: 'HTTP', integrationHttpMethod: 'GET', uri: `${base}/pets`,
      requestParameters: { 'integration.request.header.header1': 'method.request.header.header1', 'integration.request.header.header2': 'method.request.header.header2' },
      requestTemplates: { 'application/json': `#set($header1Override = "foo")
#set($header3Value = "$input.params('header1')$input.params('header2')")
$input.json("$")
#set($context.requestOverride.header.header3 = $header3Value)
#set($context.requestOverride.header.header1 = $header1Override)` },
    }, [{ statusCode: '200' }])
    const petId = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: pets, pathPart: '{petId}' }))
    await nonProxyMethod(client, { restApiId: api.id, resourceId: petId.id!, httpMethod: 'GET' }, {
      type: 'HTTP', integrationHttpMethod: 'GET', uri: `${base}/pets/{petId}`, requestParameters: { 'integration.request.path.petId': 'method.request.path.petId' },
    }, [{ statusCode: '200', responseTemplates: { 'application/json': `#set($inputRoot = $input.path('$'))
$input.json("$")
#if($inputRoot.toString().contains("error"))
#set($context.responseOverride.status = 400)
#end` } }])
    const twice = await createPath(client, api, 'twice')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: twice, httpMethod: 'GET' },
      { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      [{ statusCode: '200', responseTemplates: { 'application/json': '#set($context.responseOverride.status = 400)\n#set($context.responseOverride.status = 401)\n{}' } }])
    await deploy(client, api.id, 'test')

    const combined = await invoke(nimbus.current, 'host', api.id, 'test', '/pets', { headers: { header1: 'header1Val', header2: 'header2Val' } })
    assert.equal(combined.status, 200)
    assert.equal(seen.at(-1)!['header3'], 'header1Valheader2Val')
    assert.equal(seen.at(-1)!['header1'], 'foo')
    assert.equal(seen.at(-1)!['header2'], 'header2Val')
    const outOfRange = await invoke(nimbus.current, 'host', api.id, 'test', '/pets/-1')
    assert.equal(outOfRange.status, 400)
    assert.deepEqual(outOfRange.json(), { errors: [{ key: 'GetPetRequest.petId', message: 'The value is out of range.' }] })
    assert.equal((await invoke(nimbus.current, 'host', api.id, 'test', '/pets/1')).status, 200)
    const overriddenTwice = await invoke(nimbus.current, 'host', api.id, 'test', '/twice')
    assert.equal(overriddenTwice.status, 500)
    assert.deepEqual(overriddenTwice.json(), { message: 'Internal server error' })
  })
})

describe('the AWS variables for OpenAPI import', () => {
  it('resolves ${AWS::Partition}, ${AWS::Region} and ${AWS::AccountId} in the guide\'s YAML example', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, 'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify([{ id: 1, resource: e.resource }]) })')
    const yaml = `openapi: "3.0.1"
info:
  title: "tasks-api"
  version: "v1.0"
paths:
  /:
    get:
      summary: List tasks
      description: Returns a list of tasks
      responses:
        200:
          description: "OK"
        500:
          description: "Internal Server Error"
          content: {}
      x-amazon-apigateway-integration:
        uri:
          arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}/invocations
        responses:
          default:
            statusCode: "200"
        passthroughBehavior: "when_no_match"
        httpMethod: "POST"
        contentHandling: "CONVERT_TO_TEXT"
        type: "aws_proxy"
`
    const client = apiGatewayClient(nimbus.current)
    const { id } = await client.send(new ImportRestApiCommand({ body: Buffer.from(yaml) }))
    const root = (await client.send(new GetResourcesCommand({ restApiId: id, embed: ['methods'] }))).items!.find((r) => r.path === '/')!
    assert.equal(root.resourceMethods?.['GET']?.methodIntegration?.uri,
      `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${name}/invocations`)
    await deploy(client, id!, 'v1')
    assert.deepEqual((await invoke(nimbus.current, 'path', id!, 'v1', '/')).json(), [{ id: 1, resource: '/' }])
  })
})
