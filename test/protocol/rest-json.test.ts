// restJson1 round trips with the real @aws-sdk/client-lambda: what it sends we parse; what we send it parses.
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { describe, it } from 'node:test'
import * as lambda from '@aws-sdk/client-lambda'
import { AwsError } from '../../src/protocol/errors.ts'
import { ServiceModel } from '../../src/protocol/model.ts'
import { restJson } from '../../src/protocol/rest-json/rest-json.ts'
import { model as lambdaModel } from '../../src/services/lambda/generated/model.ts'
import { ProtocolHarness, withoutMetadata } from './sdk-harness.ts'

const model = new ServiceModel(lambdaModel)

function setup() {
  const harness = new ProtocolHarness(restJson, model)
  const client = new lambda.LambdaClient({
    region: 'us-east-1', endpoint: 'http://localhost:4566', credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1, requestHandler: harness.requestHandler,
  })
  return { harness, client }
}

const functionConfig = {
  FunctionName: 'my-fn', FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:my-fn', Runtime: 'nodejs22.x' as const,
  Role: 'arn:aws:iam::000000000000:role/r', Handler: 'index.handler', CodeSize: 1234, Timeout: 30, MemorySize: 256,
  LastModified: '2024-05-01T12:00:00.000+0000', Environment: { Variables: { A: '1', B: 'two words' } },
  Layers: [{ Arn: 'arn:aws:lambda:us-east-1:000000000000:layer:l:1', CodeSize: 10 }],
  Architectures: ['arm64' as const], State: 'Active' as const, EphemeralStorage: { Size: 512 },
}

describe('restJson1 (Lambda) round trips', () => {
  it('CreateFunction: nested maps, lists, blobs, booleans and numbers in a JSON body; 201 from the model', async () => {
    const { harness, client } = setup()
    const input = {
      FunctionName: 'my-fn', Role: 'arn:aws:iam::000000000000:role/r', Runtime: 'nodejs22.x' as const, Handler: 'index.handler',
      Code: { ZipFile: Buffer.from([0x50, 0x4b, 3, 4, 0, 255]) }, Publish: true, Timeout: 30, MemorySize: 256,
      Environment: { Variables: { A: '1', B: 'two words' } }, Tags: { team: 'core', 'cost/center': '42' },
      VpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'], SecurityGroupIds: [] }, Architectures: ['arm64' as const],
      Layers: ['arn:aws:lambda:us-east-1:000000000000:layer:l:1'],
    }
    const { parsed, request, result } = await harness.call(() => client.send(new lambda.CreateFunctionCommand(input)),
      { output: functionConfig })
    assert.equal(parsed.operation.name, 'CreateFunction')
    assert.equal(request.rawPath, '/2015-03-31/functions')
    assert.deepEqual(parsed.input, input)
    assert.equal(result.$metadata.httpStatusCode, 201)
    assert.equal(result.$metadata.requestId, 'req-1234')
    assert.deepEqual(withoutMetadata(result), functionConfig)
  })

  it('Invoke: an ARN label, querystring, headers, a raw blob payload; statusCode and header members back', async () => {
    const { harness, client } = setup()
    const payload = Buffer.from(JSON.stringify({ hello: 'wörld', n: [1, 2] }))
    const input = {
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:my-fn', Qualifier: 'live',
      InvocationType: 'RequestResponse' as const, LogType: 'Tail' as const,
      ClientContext: Buffer.from('{"custom":{"a":1}}').toString('base64'), Payload: payload,
    }
    const answer = Buffer.from('{"ok":true}')
    const { parsed, request, result } = await harness.call(() => client.send(new lambda.InvokeCommand(input)), {
      output: { StatusCode: 200, FunctionError: 'Unhandled', LogResult: 'bG9ncw==', ExecutedVersion: '3', Payload: answer },
    })
    assert.equal(parsed.operation.name, 'Invoke')
    assert.match(request.rawPath, /^\/2015-03-31\/functions\/arn%3Aaws%3Alambda%3A.*\/invocations$/)
    assert.deepEqual(parsed.input, input)
    assert.equal(result.StatusCode, 200)
    assert.equal(result.FunctionError, 'Unhandled')
    assert.equal(result.LogResult, 'bG9ncw==')
    assert.equal(result.ExecutedVersion, '3')
    assert.deepEqual(Buffer.from(result.Payload!), answer)
  })

  it('Invoke: a Readable payload passes through untouched', async () => {
    const { harness, client } = setup()
    const stream = Readable.from([Buffer.from('{"chunk":'), Buffer.from('1}')])
    harness.reply = () => ({ output: { StatusCode: 200, Payload: stream } })
    const result = await client.send(new lambda.InvokeCommand({ FunctionName: 'f' }))
    assert.equal(harness.last.parsed.input.Payload, undefined)
    assert.equal(Buffer.from(result.Payload!).toString(), '{"chunk":1}')
  })

  it('ListFunctions: numbers and strings in the query string, a GET with no body', async () => {
    const { harness, client } = setup()
    const input = { MaxItems: 25, Marker: 'next page/2', FunctionVersion: 'ALL' as const, MasterRegion: 'eu-west-1' }
    const output = { NextMarker: 'abc', Functions: [functionConfig, { FunctionName: 'other', Timeout: 3 }] }
    const { parsed, request, result } = await harness.call(() => client.send(new lambda.ListFunctionsCommand(input)), { output })
    assert.equal(request.method, 'GET')
    assert.equal(request.body.length, 0)
    assert.deepEqual(parsed.input, input)
    assert.deepEqual(withoutMetadata(result), output)
  })

  it('CreateEventSourceMapping: timestamps travel as epoch seconds both ways', async () => {
    const { harness, client } = setup()
    const input = {
      FunctionName: 'f', EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', StartingPosition: 'AT_TIMESTAMP' as const,
      StartingPositionTimestamp: new Date('2024-03-04T05:06:07.250Z'), BatchSize: 100, Enabled: false,
      FilterCriteria: { Filters: [{ Pattern: '{"a":[1]}' }] }, FunctionResponseTypes: ['ReportBatchItemFailures' as const],
    }
    const output = { UUID: 'u-1', LastModified: new Date('2024-03-04T05:06:08.500Z'), BatchSize: 100, State: 'Creating',
      StartingPositionTimestamp: new Date('2024-03-04T05:06:07.250Z') }
    const { parsed, request, result } = await harness.call(() => client.send(new lambda.CreateEventSourceMappingCommand(input)), { output })
    assert.equal(JSON.parse(request.body.toString()).StartingPositionTimestamp, 1709528767.25)
    assert.deepEqual(parsed.input, input)
    assert.equal(result.$metadata.httpStatusCode, 202)
    assert.deepEqual(withoutMetadata(result), output)
  })

  it('TagResource and ListTags: a map body beside a label; an empty 204 answer', async () => {
    const { harness, client } = setup()
    const Resource = 'arn:aws:lambda:us-east-1:000000000000:function:my-fn'
    const tagged = await harness.call(() => client.send(new lambda.TagResourceCommand({ Resource, Tags: { a: 'b', 'c d': 'é' } })),
      { output: {} })
    assert.deepEqual(tagged.parsed.input, { Resource, Tags: { a: 'b', 'c d': 'é' } })
    assert.equal(tagged.result.$metadata.httpStatusCode, 204)
    const listed = await harness.call(() => client.send(new lambda.ListTagsCommand({ Resource })), { output: { Tags: { a: 'b' } } })
    assert.equal(listed.parsed.operation.name, 'ListTags')
    assert.deepEqual(listed.result.Tags, { a: 'b' })
  })

  it('a modelled error: x-amzn-errortype, the status from the model, extra members', async () => {
    const { harness, client } = setup()
    const error = await harness.fail(() => client.send(new lambda.GetFunctionCommand({ FunctionName: 'missing' })),
      new AwsError('ResourceNotFoundException', 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing',
        { fields: { Type: 'User' } }))
    assert.ok(error instanceof lambda.ResourceNotFoundException)
    assert.equal(error.name, 'ResourceNotFoundException')
    assert.equal(error.message, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing')
    assert.equal(error.Type, 'User')
    assert.equal(error.$metadata.httpStatusCode, 404)
    assert.equal(error.$metadata.requestId, 'req-1234')
  })

  it('an error the model does not declare keeps its code and status', async () => {
    const { harness, client } = setup()
    const error = await harness.fail(() => client.send(new lambda.ListFunctionsCommand({})),
      new AwsError('AccessDeniedException', 'Not allowed', { status: 403 }))
    assert.equal(error.name, 'AccessDeniedException')
    assert.equal(error.message, 'Not allowed')
    assert.equal(error.$metadata.httpStatusCode, 403)
  })

  it('the wire form of an error is what Lambda sends', () => {
    const response = restJson.serializeError(model,
      new AwsError('ResourceNotFoundException', 'Function not found: x', { fields: { Type: 'User' } }), { requestId: 'r' })
    assert.equal(response.status, 404)
    assert.equal(response.headers['x-amzn-errortype'], 'ResourceNotFoundException')
    assert.equal(response.headers['x-amzn-requestid'], 'r')
    assert.deepEqual(JSON.parse(String(response.body)), { Type: 'User', Message: 'Function not found: x' })
    const unmodelled = restJson.serializeError(model, new AwsError('Throttled', 'slow down', { status: 429 }), { requestId: 'r' })
    assert.deepEqual(JSON.parse(String(unmodelled.body)), { message: 'slow down' })
  })

  it('an unknown route is UnknownOperationException (404); a known path with the wrong method is 405', async () => {
    const request = { method: 'GET', rawPath: '/2015-03-31/nothing-here', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) }
    assert.throws(() => restJson.parseRequest(request, model), (e: AwsError) => e.code === 'UnknownOperationException' && e.status === 404)
    const wrongMethod = { ...request, method: 'PATCH', rawPath: '/2015-03-31/functions/f' }
    assert.throws(() => restJson.parseRequest(wrongMethod, model), (e: AwsError) => e.code === 'MethodNotAllowed' && e.status === 405)
  })

  it('a body that is not JSON is a SerializationException', () => {
    const request = { method: 'POST', rawPath: '/2015-03-31/functions', query: new URLSearchParams(),
      headers: { 'content-type': 'application/json' }, body: Buffer.from('{nope') }
    assert.throws(() => restJson.parseRequest(request, model), (e: AwsError) => e.code === 'SerializationException')
  })
})
