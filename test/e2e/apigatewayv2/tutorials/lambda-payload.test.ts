// Walks the HTTP API guide's "Create AWS Lambda proxy integrations for HTTP APIs" with a quick-created API (the AWS
// CLI's `create-api --target`, as the guide's getting-started does), sending the request its payload format 2.0
// example shows (a repeated query parameter, a comma-valued header, two cookies, a body) and comparing the event's
// shape with the example's. Bodies: JSON and text arrive as they are; a form post arrives base64-encoded, as users
// of HTTP APIs report AWS sends it (the guide: "If the content type of the request is binary, the body is base64-encoded").
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { invokeHttpApi } from '../../../helpers/apigatewayv2.ts'
import { awsCli } from '../../../helpers/aws-cli.ts'
import { createFunction, lambdaClient } from '../../../helpers/lambda.ts'
import { useNimbus } from '../../../helpers/nimbus.ts'

const nimbus = useNimbus()

describe('the HTTP API Lambda proxy guide\'s payload format 2.0', () => {
  it('hands a quick-created API\'s function the event the guide\'s example shows, a form body base64-encoded', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, [{ path: 'index.mjs', content: 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) })' }])
    const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
    const api = await awsCli<{ ApiId: string; ProtocolType: string }>(nimbus.current, 'apigatewayv2', 'create-api', '--name', 'my-api',
      '--protocol-type', 'HTTP', '--target', arn)
    assert.equal(api.ProtocolType, 'HTTP')
    const send = (contentType: string | undefined, body: string) => invokeHttpApi(nimbus.current, api.ApiId,
      '/my/path?parameter1=value1&parameter1=value2&parameter2=value', { method: 'POST', body, headers: {
        header1: 'value1', header2: 'value1,value2', cookie: 'cookie1; cookie2', 'content-length': String(Buffer.byteLength(body)),
        ...(contentType !== undefined && { 'content-type': contentType }) } })

    const text = await send('text/plain', 'Hello from Lambda')
    assert.equal(text.status, 200)
    const event = text.json() as Record<string, unknown> & { requestContext: Record<string, unknown> & { http: Record<string, unknown> } }
    assert.deepEqual(Object.keys(event).sort(), ['body', 'cookies', 'headers', 'isBase64Encoded', 'queryStringParameters', 'rawPath',
      'rawQueryString', 'requestContext', 'routeKey', 'version'])
    assert.deepEqual([event['version'], event['routeKey'], event['rawPath'], event['rawQueryString']],
      ['2.0', '$default', '/my/path', 'parameter1=value1&parameter1=value2&parameter2=value'])
    assert.deepEqual(event['cookies'], ['cookie1', 'cookie2'])
    assert.deepEqual(event['queryStringParameters'], { parameter1: 'value1,value2', parameter2: 'value' })
    const headers = event['headers'] as Record<string, string>
    assert.deepEqual([headers['header1'], headers['header2'], headers['cookie']], ['value1', 'value1,value2', undefined])
    assert.deepEqual(Object.keys(event.requestContext).sort(), ['accountId', 'apiId', 'domainName', 'domainPrefix', 'http', 'requestId',
      'routeKey', 'stage', 'time', 'timeEpoch'])
    assert.deepEqual(event.requestContext.http, { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1',
      userAgent: event.requestContext.http['userAgent'] })
    assert.deepEqual([event.requestContext['stage'], event['body'], event['isBase64Encoded']], ['$default', 'Hello from Lambda', false])

    const json = (await send('application/json', '{"a":1}')).json() as { body: string; isBase64Encoded: boolean }
    assert.deepEqual([json.body, json.isBase64Encoded], ['{"a":1}', false])
    const form = (await send('application/x-www-form-urlencoded', 'key1=data1')).json() as { body: string; isBase64Encoded: boolean }
    assert.deepEqual([form.body, form.isBase64Encoded], [Buffer.from('key1=data1').toString('base64'), true])
    const untyped = (await send(undefined, 'raw')).json() as { body: string; isBase64Encoded: boolean }
    assert.deepEqual([untyped.body, untyped.isBase64Encoded], [Buffer.from('raw').toString('base64'), true])
  })
})
