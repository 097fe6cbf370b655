// API Gateway mapping templates end to end: VTL request and response templates on MOCK and AWS
// (custom, non-proxy) Lambda integrations, passthrough behaviours (415), selection patterns on a
// function's errorMessage, response parameter mapping, $context.responseOverride, asynchronous
// invocation, the integration timeout on the clock (504), and an invalid template answered with
// AWS's 500 while Nimbus keeps serving.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, invoke, nonProxyMethod as method } from '../../helpers/apigateway.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { watchFunctionLog } from '../../helpers/function-log.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

async function functionUri(source: string, timeout?: number): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const name = await createFunction(lambda, source, timeout === undefined ? {} : { Timeout: timeout })
  const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
  return `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`
}

const json = { 'content-type': 'application/json' }

describe('API Gateway mapping templates', () => {
  it('renders MOCK request and response templates with $input, $util, $context, #if and #foreach', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const common = { restApiId: api.id, resourceId: await createPath(client, api, '/things/{id}'), httpMethod: 'POST' }
    await method(client, common, {
      type: 'MOCK',
      requestTemplates: { 'application/json': "#if($input.params('id') == 'missing'){\"statusCode\": 404}#else{\"statusCode\": 200}#end" },
    }, [
      { statusCode: '200', responseTemplates: { 'application/json': [
        '#set($names = ["a", "b", "c"])',
        '{',
        '  "id": "$input.params(\'id\')",',
        '  "q": "$util.escapeJavaScript($input.params(\'q\'))",',
        '  "stage": "$context.stage", "path": "$context.resourcePath", "color": "$stageVariables.color",',
        '  "names": [#foreach($n in $names)"$n.toUpperCase()"#if($foreach.hasNext),#end#end]',
        '}',
      ].join('\n') } },
      { statusCode: '404', selectionPattern: '404', responseTemplates: { 'application/json': '{"message": "no $input.params(\'id\') here"}' } },
    ])
    await deploy(client, api.id, 'dev', { color: 'blue' })
    const ok = await invoke(nimbus.current, 'host', api.id, 'dev', '/things/7?q=say%20%22hi%22', { method: 'POST', headers: json, body: '{}' })
    assert.equal(ok.status, 200)
    assert.deepEqual(ok.json(), { id: '7', q: 'say "hi"', stage: 'dev', path: '/things/{id}', color: 'blue', names: ['A', 'B', 'C'] })
    const missing = await invoke(nimbus.current, 'path', api.id, 'dev', '/things/missing', { method: 'POST' })
    assert.equal(missing.status, 404)
    assert.deepEqual(missing.json(), { message: 'no missing here' })
  })

  it('picks the response template by the Accept header, else application/json’s, and sets its Content-Type', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const common = { restApiId: api.id, resourceId: await createPath(client, api, '/doc'), httpMethod: 'GET' }
    await method(client, common, { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, [{
      statusCode: '200', responseTemplates: { 'application/xml': '<doc stage="$context.stage"/>', 'application/json': '{"stage": "$context.stage"}' },
    }])
    await deploy(client, api.id, 'dev')
    const xml = await invoke(nimbus.current, 'host', api.id, 'dev', '/doc', { headers: { accept: 'text/html, application/xml;q=0.9' } })
    assert.equal(xml.headers['content-type'], 'application/xml')
    assert.equal(xml.text, '<doc stage="dev"/>')
    const other = await invoke(nimbus.current, 'host', api.id, 'dev', '/doc', { headers: { accept: 'text/csv' } })
    assert.equal(other.headers['content-type'], 'application/json')
    assert.deepEqual(other.json(), { stage: 'dev' })
  })

  it('runs a custom Lambda integration: mapped event in, selection by errorMessage, mapped headers and overrides out', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const uri = await functionUri(`exports.handler = async (event) => {
      if (event.action === 'fail') throw new Error('NotFound: no item ' + event.id)
      return { received: event, tag: 'v1' }
    }`)
    const common = { restApiId: api.id, resourceId: await createPath(client, api, '/items/{id}'), httpMethod: 'POST' }
    await method(client, common, {
      type: 'AWS', integrationHttpMethod: 'POST', uri, passthroughBehavior: 'NEVER',
      requestTemplates: { 'application/json': '{"id": "$input.params(\'id\')", "action": $input.json(\'$.action\'), "ua": "$input.params(\'User-Agent\')"}' },
    }, [
      { statusCode: '200', responseParameters: { 'method.response.header.X-Tag': 'integration.response.body.tag', 'method.response.header.X-Static': "'fixed'" },
        responseTemplates: { 'application/json': '#set($r = $input.path(\'$.received\')){"item": "$r.id", "ua": "$r.ua"}' } },
      { statusCode: '404', selectionPattern: 'NotFound:.*',
        responseTemplates: { 'application/json': '#set($context.responseOverride.header.X-Reason = "missing"){"error": $input.json(\'$.errorMessage\')}' } },
    ])
    await deploy(client, api.id, 'dev')
    const ok = await invoke(nimbus.current, 'host', api.id, 'dev', '/items/9', { method: 'POST', headers: { ...json, 'User-Agent': 'ua-1' }, body: '{"action":"get"}' })
    assert.equal(ok.status, 200)
    assert.deepEqual(ok.json(), { item: '9', ua: 'ua-1' })
    assert.equal(ok.headers['x-tag'], 'v1')
    assert.equal(ok.headers['x-static'], 'fixed')
    const failed = await invoke(nimbus.current, 'host', api.id, 'dev', '/items/3', { method: 'POST', headers: json, body: '{"action":"fail"}' })
    assert.equal(failed.status, 404)
    assert.deepEqual(failed.json(), { error: 'NotFound: no item 3' })
    assert.equal(failed.headers['x-reason'], 'missing')
    // NEVER: a Content-Type without a template is refused before the function runs.
    const xml = await invoke(nimbus.current, 'host', api.id, 'dev', '/items/3', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' })
    assert.equal(xml.status, 415)
    assert.deepEqual(xml.json(), { message: 'Unsupported Media Type' })
  })

  it('invokes asynchronously when X-Amz-Invocation-Type is mapped to Event', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, "exports.handler = async (event) => { console.log('JOB ' + JSON.stringify(event)) }")
    const log = watchFunctionLog(nimbus.current, name)
    const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
    const common = { restApiId: api.id, resourceId: await createPath(client, api, '/jobs'), httpMethod: 'POST' }
    await method(client, common, {
      type: 'AWS', integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`,
      requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" },
      requestTemplates: { 'application/json': '{"job": $input.json(\'$.job\')}' },
    }, [{ statusCode: '202', responseTemplates: { 'application/json': '{"queued": true}' } }])
    await deploy(client, api.id, 'dev')
    const res = await invoke(nimbus.current, 'host', api.id, 'dev', '/jobs', { method: 'POST', headers: json, body: '{"job": "resize"}' })
    assert.equal(res.status, 202)
    assert.deepEqual(res.json(), { queued: true })
    await log.waitFor('JOB ')
    assert.deepEqual(log.tagged('JOB'), [{ job: 'resize' }])
    log.stop()
  })

  it('answers 504 when a custom Lambda integration outlasts its timeoutInMillis on the clock', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const uri = await functionUri('exports.handler = () => new Promise((resolve) => setTimeout(() => resolve({}), 600000))', 120)
    const common = { restApiId: api.id, resourceId: await createPath(client, api, '/slow'), httpMethod: 'GET' }
    await method(client, common, { type: 'AWS', integrationHttpMethod: 'POST', uri, timeoutInMillis: 5_000 }, [{ statusCode: '200' }])
    await deploy(client, api.id, 'dev')
    const pending = invoke(nimbus.current, 'host', api.id, 'dev', '/slow')
    const inFlight = () => (nimbus.current.health().apigateway as { inFlight?: number }).inFlight ?? 0
    while (inFlight() === 0) await new Promise((resolve) => setImmediate(resolve))
    await advance(nimbus.current, 4_999)
    assert.equal(inFlight(), 1, 'still waiting at 4.999 s')
    await advance(nimbus.current, 1)
    const res = await pending
    assert.equal(res.status, 504)
    assert.deepEqual(res.json(), { message: 'Endpoint request timed out' })
  })

  it('passes bodies through as WHEN_NO_MATCH and WHEN_NO_TEMPLATES say, and refuses as AWS documents', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const uri = await functionUri('exports.handler = async (event) => ({ got: event })')
    const cases = [['match', 'WHEN_NO_MATCH', true], ['templates', 'WHEN_NO_TEMPLATES', true], ['none', 'WHEN_NO_TEMPLATES', false]] as const
    for (const [path, passthroughBehavior, withTemplate] of cases) {
      const common = { restApiId: api.id, resourceId: await createPath(client, api, `/${path}`), httpMethod: 'POST' }
      await method(client, common, {
        type: 'AWS', integrationHttpMethod: 'POST', uri, passthroughBehavior,
        ...(withTemplate && { requestTemplates: { 'application/json': '{"templated": true}' } }),
      }, [{ statusCode: '200' }])
    }
    await deploy(client, api.id, 'dev')
    const send = (path: string, type: string, body: string) =>
      invoke(nimbus.current, 'host', api.id, 'dev', `/${path}`, { method: 'POST', headers: { 'content-type': type }, body })
    // A matching Content-Type is templated; without a template the function gets the body as sent (no template → passed through as is).
    assert.deepEqual((await send('match', 'application/json', '{"x":1}')).json(), { got: { templated: true } })
    assert.deepEqual((await send('match', 'text/plain', '{"raw":1}')).json(), { got: { raw: 1 } })
    const refused = await send('templates', 'text/plain', '{"raw":1}')
    assert.equal(refused.status, 415)
    assert.deepEqual((await send('none', 'text/plain', '{"raw":2}')).json(), { got: { raw: 2 } })
  })

  it('answers 500 {"message": "Internal server error"} for an invalid template and keeps serving', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const broken = { restApiId: api.id, resourceId: await createPath(client, api, '/broken'), httpMethod: 'GET' }
    await method(client, broken, { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      [{ statusCode: '200', responseTemplates: { 'application/json': '#if($input.params("a") {"unterminated": true}' } }])
    const throws = { restApiId: api.id, resourceId: await createPath(client, api, '/throws'), httpMethod: 'GET' }
    await method(client, throws, { type: 'MOCK', requestTemplates: { 'application/json': '#set($s = "abc"){"statusCode": 200, "x": "$s.substring(9)"}' } },
      [{ statusCode: '200' }])
    const fine = { restApiId: api.id, resourceId: await createPath(client, api, '/fine'), httpMethod: 'GET' }
    await method(client, fine, { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }])
    await deploy(client, api.id, 'dev')
    for (const path of ['/broken', '/throws']) {
      const res = await invoke(nimbus.current, 'host', api.id, 'dev', path)
      assert.equal(res.status, 500, path)
      assert.deepEqual(res.json(), { message: 'Internal server error' })
    }
    const after = await invoke(nimbus.current, 'host', api.id, 'dev', '/fine')
    assert.equal(after.status, 200)
    assert.deepEqual(after.json(), { ok: true })
  })
})
