// REST APIs' payloads as the developer guide's examples handle them: the binary support examples
// (images through an S3 AWS integration by binaryMediaTypes, and a Lambda non-proxy integration
// converting with contentHandling CONVERT_TO_TEXT / CONVERT_TO_BINARY), and the request validation
// sample API, imported and called as its test page does, then exported with `extensions=validators`.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import {
  GetExportCommand, ImportRestApiCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { apiGatewayClient, createApi, createPath, deploy, invoke, nonProxyMethod } from '../../helpers/apigateway.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'

const nimbus = useNimbus()

const lambdaUri = (arn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`

async function functionArn(source: string): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const name = await createFunction(lambda, source)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
}

describe('the binary support examples', () => {
  const image = Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256))

  it('lists buckets, gets and puts an image through S3 AWS integrations: bytes for a binary Accept, base64 text otherwise', async () => {
    const s3 = s3Client(nimbus.current)
    const bucket = bucketName('images')
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.png', Body: image, ContentType: 'image/png' }))
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client, { binaryMediaTypes: ['image/png'] })
    const item = await createPath(client, api, '{item}')
    for (const httpMethod of ['GET', 'PUT']) {
      await client.send(new PutMethodCommand({
        restApiId: api.id, resourceId: item, httpMethod, authorizationType: 'NONE', requestParameters: { 'method.request.path.item': true },
      }))
      await client.send(new PutIntegrationCommand({
        restApiId: api.id, resourceId: item, httpMethod, type: 'AWS', integrationHttpMethod: httpMethod,
        uri: `arn:aws:apigateway:us-east-1:s3:path/${bucket}/{object}`, credentials: 'arn:aws:iam::000000000000:role/apigateway-s3',
        requestParameters: { 'integration.request.path.object': 'method.request.path.item' },
      }))
      await client.send(new PutMethodResponseCommand({
        restApiId: api.id, resourceId: item, httpMethod, statusCode: '200', responseParameters: { 'method.response.header.Content-Type': true },
      }))
      await client.send(new PutIntegrationResponseCommand({
        restApiId: api.id, resourceId: item, httpMethod, statusCode: '200',
        responseParameters: { 'method.response.header.Content-Type': 'integration.response.header.Content-Type' },
      }))
    }
    // The S3 proxy tutorial's GET / lists the buckets by the path override `path//`.
    await nonProxyMethod(client, { restApiId: api.id, resourceId: api.root, httpMethod: 'GET' }, {
      type: 'AWS', integrationHttpMethod: 'GET', uri: 'arn:aws:apigateway:us-east-1:s3:path//', credentials: 'arn:aws:iam::000000000000:role/apigateway-s3',
    }, [{ statusCode: '200' }])
    await deploy(client, api.id, 'v1')
    const buckets = await invoke(nimbus.current, 'host', api.id, 'v1', '/')
    assert.equal(buckets.status, 200)
    assert.match(buckets.text, new RegExp(`<ListAllMyBucketsResult[^>]*>.*<Name>${bucket}</Name>`))
    const asBytes = await invoke(nimbus.current, 'host', api.id, 'v1', '/a.png', { headers: { accept: 'image/png' } })
    assert.equal(asBytes.status, 200)
    assert.equal(asBytes.headers['content-type'], 'image/png')
    assert.deepEqual(asBytes.body, image)
    const asText = await invoke(nimbus.current, 'host', api.id, 'v1', '/a.png', { headers: { accept: 'application/json' } })
    assert.equal(asText.text, image.toString('base64'), 'binary data to a text Accept: base64-encoded')
    const put = await invoke(nimbus.current, 'host', api.id, 'v1', '/b.png', { method: 'PUT', headers: { 'content-type': 'image/png' }, body: image })
    assert.equal(put.status, 200)
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'b.png' }))
    assert.deepEqual(Buffer.from(await stored.Body!.transformToByteArray()), image)
  })

  it('converts a binary upload to base64 text for a Lambda function and its base64 answer back to bytes', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client, { binaryMediaTypes: ['image/png'] })
    const reverse = await functionArn(`exports.handler = async (event) => Buffer.from(event.content, 'base64').reverse().toString('base64')`)
    const resource = await createPath(client, api, 'lambda')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: resource, httpMethod: 'POST' },
      { type: 'AWS', integrationHttpMethod: 'POST', uri: lambdaUri(reverse), contentHandling: 'CONVERT_TO_TEXT', requestTemplates: { 'image/png': '{"content": "$input.body"}' } },
      [{ statusCode: '200', contentHandling: 'CONVERT_TO_BINARY', responseTemplates: { 'image/png': "$input.path('$')" } }])
    await deploy(client, api.id, 'v1')
    const answer = await invoke(nimbus.current, 'host', api.id, 'v1', '/lambda', {
      method: 'POST', headers: { 'content-type': 'image/png', accept: 'image/png' }, body: image,
    })
    assert.equal(answer.status, 200)
    assert.deepEqual(answer.body, Buffer.from(image).reverse())
  })
})

describe('the request validation sample API', () => {
  let backend: Server
  let base = ''
  before(async () => {
    // Stands in for the PetStore endpoint: echoes what it got.
    backend = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ url: req.url, h1: req.headers['custom_h1'] ?? null, body: Buffer.concat(chunks).toString('utf8') }))
      })
    })
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
  })
  after(async () => {
    backend.closeAllConnections()
    await new Promise((resolve) => backend.close(resolve))
  })

  it('validates as the test page shows and exports the validators with extensions=validators', async () => {
    const responses = {
      '2\\d{2}': { statusCode: '200' },
      default: { statusCode: '400', responseParameters: { 'method.response.header.test-method-response-header': "'static value'" },
        responseTemplates: { 'application/json': 'json 400 response template', 'application/xml': 'xml 400 response template' } },
    }
    const methodResponses = { 200: { schema: { type: 'array', items: { $ref: '#/definitions/Error' } }, headers: { 'test-method-response-header': { type: 'string' } } } }
    const sample = {
      swagger: '2.0', info: { title: 'ReqValidators Sample', version: '1.0.0' }, schemes: ['https'], basePath: '/v1', produces: ['application/json'],
      'x-amazon-apigateway-request-validators': {
        all: { validateRequestBody: true, validateRequestParameters: true }, 'params-only': { validateRequestBody: false, validateRequestParameters: true },
      },
      'x-amazon-apigateway-request-validator': 'params-only',
      paths: { '/validation': {
        post: {
          'x-amazon-apigateway-request-validator': 'all',
          parameters: [{ in: 'header', name: 'h1', required: true }, { in: 'body', name: 'RequestBodyModel', required: true, schema: { $ref: '#/definitions/RequestBodyModel' } }],
          responses: methodResponses, security: [{ api_key: [] }], 'x-amazon-apigateway-auth': { type: 'none' },
          'x-amazon-apigateway-integration': { type: 'http', uri: `${base}/petstore/pets`, httpMethod: 'POST',
            requestParameters: { 'integration.request.header.custom_h1': 'method.request.header.h1' }, responses },
        },
        get: {
          parameters: [{ name: 'q1', in: 'query', required: true }], responses: methodResponses, security: [{ api_key: [] }], 'x-amazon-apigateway-auth': { type: 'none' },
          'x-amazon-apigateway-integration': { type: 'http', uri: `${base}/petstore/pets`, httpMethod: 'GET',
            requestParameters: { 'integration.request.querystring.type': 'method.request.querystring.q1' }, responses },
        },
      } },
      definitions: {
        RequestBodyModel: { type: 'object', required: ['type', 'name', 'price'], properties: {
          id: { type: 'integer' }, type: { type: 'string', enum: ['dog', 'cat', 'fish'] }, name: { type: 'string' }, price: { type: 'number', minimum: 25, maximum: 500 },
        } },
        Error: { type: 'object', properties: {} },
      },
    }
    const client = apiGatewayClient(nimbus.current)
    const { id } = await client.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(sample)) }))
    await deploy(client, id!, 'testStage')
    const call = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
      invoke(nimbus.current, 'host', id!, 'testStage', path, { method, headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body })

    const found = await call('GET', '/validation?q1=cat')
    assert.equal(found.status, 200)
    assert.equal((found.json() as { url: string }).url, '/petstore/pets?type=cat')
    for (const path of ['/validation', '/validation?q1=']) {
      const missing = await call('GET', path)
      assert.equal(missing.status, 400, path)
      assert.deepEqual(missing.json(), { message: 'Missing required request parameters: [q1]' })
    }
    const pet = '{"name" : "Marco", "type" : "dog", "price" : 260}'
    const added = await call('POST', '/validation', { h1: 'v1' }, pet)
    assert.equal(added.status, 200)
    assert.deepEqual(added.json(), { url: '/petstore/pets', h1: 'v1', body: pet })
    const noHeader = await call('POST', '/validation', {}, pet)
    assert.equal(noHeader.status, 400)
    assert.deepEqual(noHeader.json(), { message: 'Missing required request parameters: [h1]' })
    for (const bad of ['{"name" : "Molly", "type" : "bird", "price" : 269}', '{"name" : "Molly", "type" : "dog", "price" : 501}']) {
      const invalid = await call('POST', '/validation', { h1: 'v1' }, bad)
      assert.equal(invalid.status, 400, bad)
      assert.deepEqual(invalid.json(), { message: 'Invalid request body' })
    }

    const exported = await client.send(new GetExportCommand({ restApiId: id, stageName: 'testStage', exportType: 'swagger', parameters: { extensions: 'validators' } }))
    const doc = JSON.parse(Buffer.from(exported.body!).toString('utf8')) as Record<string, unknown> & { paths: Record<string, Record<string, Record<string, unknown>>> }
    assert.deepEqual(doc['x-amazon-apigateway-request-validators'], sample['x-amazon-apigateway-request-validators'])
    assert.equal(doc.paths['/validation']!['post']!['x-amazon-apigateway-request-validator'], 'all')
    assert.equal(doc.paths['/validation']!['get']!['x-amazon-apigateway-request-validator'], 'params-only')
    assert.equal(doc.paths['/validation']!['get']!['x-amazon-apigateway-integration'], undefined, 'validators only')
  })
})
