// The AWS SDK v3 that AWS's Node.js runtimes include: an unbundled function imports `@aws-sdk/*`
// (ESM and CommonJS) and reaches Nimbus through AWS_ENDPOINT_URL; a bundled copy wins; nothing
// else of Nimbus's packages resolves. API Gateway's "HTTP API CRUD" tutorial (Lambda + DynamoDB)
// runs end to end, driven with fetch, with both executors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2'
import { GetFunctionCommand, InvokeCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda'
import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { createFunction, decode, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { makeZip } from '../../helpers/zip.ts'

/** The tutorial's function (index.mjs), with the table's name given. */
const tutorial = (table: string): string => `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand, PutCommand, GetCommand, DeleteCommand } from "@aws-sdk/lib-dynamodb";

const client = new DynamoDBClient({});
const dynamo = DynamoDBDocumentClient.from(client);
const tableName = ${JSON.stringify(table)};

export const handler = async (event, context) => {
  let body;
  let statusCode = 200;
  const headers = { "Content-Type": "application/json" };
  try {
    switch (event.routeKey) {
      case "DELETE /items/{id}":
        await dynamo.send(new DeleteCommand({ TableName: tableName, Key: { id: event.pathParameters.id } }));
        body = \`Deleted item \${event.pathParameters.id}\`;
        break;
      case "GET /items/{id}":
        body = await dynamo.send(new GetCommand({ TableName: tableName, Key: { id: event.pathParameters.id } }));
        body = body.Item;
        break;
      case "GET /items":
        body = await dynamo.send(new ScanCommand({ TableName: tableName }));
        body = body.Items;
        break;
      case "PUT /items":
        let requestJSON = JSON.parse(event.body);
        await dynamo.send(new PutCommand({ TableName: tableName, Item: { id: requestJSON.id, price: requestJSON.price, name: requestJSON.name } }));
        body = \`Put item \${requestJSON.id}\`;
        break;
      default:
        throw new Error(\`Unsupported route: "\${event.routeKey}"\`);
    }
  } catch (err) {
    statusCode = 400;
    body = err.message;
  } finally {
    body = JSON.stringify(body);
  }
  return { statusCode, body, headers };
};
`

// The bootstrap's plain-JavaScript module (no type declarations), loaded by URL.
const bootstrapModule = new URL('../../../src/runtime/bootstrap/node/aws-sdk.mjs', import.meta.url).href
const { findSdkFolder } = await import(bootstrapModule) as { findSdkFolder: (from?: string) => string | undefined }


describe('where the SDK comes from', () => {
  it("is the node_modules folder Node would find from Nimbus's own location, else none", () => {
    assert.equal(findSdkFolder(), new URL('../../../node_modules', import.meta.url).pathname)
    assert.equal(findSdkFolder('/nonexistent/nimbus/dist/runtime/bootstrap/node/aws-sdk.mjs'), undefined)
  })
})

for (const executor of ['process', 'worker'] as const) {
  describe(`the AWS SDK in functions (${executor} executor)`, () => {
    const nimbus = useNimbus({ lambdaExecutor: executor })
    const invoke = async (name: string): Promise<{ error?: string; value: unknown }> => {
      const out = await lambdaClient(nimbus.current).send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }))
      return { ...(out.FunctionError !== undefined && { error: out.FunctionError }), value: decode(out.Payload) }
    }

    it("runs the HTTP API CRUD tutorial: ESM lib-dynamodb behind PUT/GET/DELETE routes, reaching Nimbus's DynamoDB", async () => {
      const dynamo = dynamoClient(nimbus.current)
      const table = await activeTable(nimbus.current, dynamo, {
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      })
      const lambda = lambdaClient(nimbus.current)
      const name = await createFunction(lambda, [{ path: 'index.mjs', content: tutorial(table) }], { Runtime: 'nodejs22.x' })
      const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!

      const api = apiGatewayV2Client(nimbus.current)
      const { ApiId } = await api.send(new CreateApiCommand({ Name: 'http-crud-tutorial-api', ProtocolType: 'HTTP' }))
      const { IntegrationId } = await api.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arn, PayloadFormatVersion: '2.0' }))
      for (const RouteKey of ['GET /items/{id}', 'GET /items', 'PUT /items', 'DELETE /items/{id}']) {
        await api.send(new CreateRouteCommand({ ApiId, RouteKey, Target: `integrations/${IntegrationId}` }))
      }
      await api.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }))

      // fetch neither resolves `*.execute-api.localhost` nor sends a Host of ours: the invoke URL's path form.
      const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
        const res = await fetch(`${nimbus.current.endpoint}/restapis/${ApiId}/$default/_user_request_${path}`, {
          method, headers: { 'content-type': 'application/json' },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        })
        return { status: res.status, json: await res.json() }
      }

      assert.deepEqual(await call('PUT', '/items', { id: '123', price: 12345, name: 'myitem' }), { status: 200, json: 'Put item 123' })
      assert.deepEqual(await call('PUT', '/items', { id: '456', price: 5, name: 'other' }), { status: 200, json: 'Put item 456' })
      // The item really is in Nimbus's table, written by the function's SDK.
      const stored = await dynamo.send(new GetItemCommand({ TableName: table, Key: { id: { S: '123' } } }))
      assert.deepEqual(stored.Item, { id: { S: '123' }, price: { N: '12345' }, name: { S: 'myitem' } })
      assert.deepEqual(await call('GET', '/items/123'), { status: 200, json: { id: '123', price: 12345, name: 'myitem' } })
      const all = await call('GET', '/items')
      assert.equal(all.status, 200)
      assert.deepEqual((all.json as { id: string }[]).map((i) => i.id).sort(), ['123', '456'])
      assert.deepEqual(await call('DELETE', '/items/123'), { status: 200, json: 'Deleted item 123' })
      assert.equal((await dynamo.send(new GetItemCommand({ TableName: table, Key: { id: { S: '123' } } }))).Item, undefined)
      assert.deepEqual((await call('GET', '/items')).json, [{ id: '456', price: 5, name: 'other' }])
    })

    it('lets a CommonJS function require an SDK client, which calls Nimbus', async () => {
      const lambda = lambdaClient(nimbus.current)
      const name = await createFunction(lambda, `const { LambdaClient, GetFunctionCommand } = require('@aws-sdk/client-lambda')
const { S3Client } = require('@aws-sdk/client-s3')
exports.handler = async () => {
  const self = await new LambdaClient({}).send(new GetFunctionCommand({ FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME }))
  return { name: self.Configuration.FunctionName, s3: typeof S3Client, resolved: require.resolve('@aws-sdk/client-s3').includes('node_modules') }
}`)
      assert.deepEqual(await invoke(name), { value: { name, s3: 'function', resolved: true } })
    })

    it("prefers the function's own bundled copy of a package, in ESM and CommonJS", async () => {
      const lambda = lambdaClient(nimbus.current)
      const bundled = [
        { path: 'node_modules/@aws-sdk/client-s3/package.json', content: JSON.stringify({ name: '@aws-sdk/client-s3', version: '0.0.0-bundled', main: 'index.js' }) },
        { path: 'node_modules/@aws-sdk/client-s3/index.js', content: `exports.S3Client = 'bundled'` },
      ]
      const esm = await createFunction(lambda, [...bundled, {
        path: 'index.mjs', content: `import { S3Client } from '@aws-sdk/client-s3'\nimport { DynamoDBClient } from '@aws-sdk/client-dynamodb'\nexport const handler = async () => [S3Client, typeof DynamoDBClient]`,
      }])
      assert.deepEqual(await invoke(esm), { value: ['bundled', 'function'] })
      const cjs = await createFunction(lambda, [...bundled, {
        path: 'index.js', content: `exports.handler = async () => [require('@aws-sdk/client-s3').S3Client, typeof require('@aws-sdk/client-sqs').SQSClient]`,
      }])
      assert.deepEqual(await invoke(cjs), { value: ['bundled', 'function'] })
    })

    it("prefers a layer's copy, in ESM and CommonJS", async () => {
      const lambda = lambdaClient(nimbus.current)
      const layer = await lambda.send(new PublishLayerVersionCommand({
        LayerName: 'sdk-layer', Content: { ZipFile: makeZip([
          { path: 'nodejs/node_modules/@aws-sdk/client-sqs/package.json', content: JSON.stringify({ name: '@aws-sdk/client-sqs', main: 'index.js' }) },
          { path: 'nodejs/node_modules/@aws-sdk/client-sqs/index.js', content: `exports.SQSClient = 'from the layer'` },
        ]) },
      }))
      const cjs = await createFunction(lambda, `exports.handler = async () => require('@aws-sdk/client-sqs').SQSClient`, { Layers: [layer.LayerVersionArn!] })
      assert.deepEqual(await invoke(cjs), { value: 'from the layer' })
      // ESM ignores NODE_PATH; AWS's nodejs18.x+ runtimes resolve layered ES module dependencies all the same.
      const esm = await createFunction(lambda, [{ path: 'index.mjs', content: `import { SQSClient } from '@aws-sdk/client-sqs'\nexport const handler = async () => SQSClient` }],
        { Layers: [layer.LayerVersionArn!] })
      assert.deepEqual(await invoke(esm), { value: 'from the layer' })
    })

    // Python functions run on the host's python3 (processes with either executor, so once): boto3 is
    // there when the host has it, as on these machines (a clear Runtime.ImportModuleError "No module
    // named 'boto3'" otherwise, checked by hand).
    if (executor === 'process') it('lets a Python function call Nimbus with the host\'s boto3', async () => {
      const lambda = lambdaClient(nimbus.current)
      const name = await createFunction(lambda, [{ path: 'lambda_function.py', content: [
        'import os, boto3',
        'def lambda_handler(event, context):',
        "    me = boto3.client('lambda').get_function(FunctionName=os.environ['AWS_LAMBDA_FUNCTION_NAME'])",
        "    return me['Configuration']['FunctionName']",
      ].join('\n') }], { Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler' })
      assert.deepEqual(await invoke(name), { value: name })
    })

    it("resolves nothing but @aws-sdk/* from Nimbus's packages", async () => {
      const lambda = lambdaClient(nimbus.current)
      // typescript is one of Nimbus's own (dev) dependencies, next to the SDK.
      const esm = await createFunction(lambda, [{ path: 'index.mjs', content: `import ts from 'typescript'\nexport const handler = async () => 'loaded'` }])
      const failed = await invoke(esm)
      assert.equal(failed.error, 'Unhandled')
      assert.equal((failed.value as { errorType: string }).errorType, 'Runtime.ImportModuleError')
      assert.match((failed.value as { errorMessage: string }).errorMessage, /Cannot find package 'typescript'/)
      const cjs = await createFunction(lambda, `exports.handler = async () => { try { require('typescript'); return 'loaded' } catch (e) { return e.code } }`)
      assert.deepEqual(await invoke(cjs), { value: 'MODULE_NOT_FOUND' })
      const missing = await createFunction(lambda, `exports.handler = async () => { try { require('@aws-sdk/client-no-such-service'); return 'loaded' } catch (e) { return e.code } }`)
      assert.deepEqual(await invoke(missing), { value: 'MODULE_NOT_FOUND' })
    })
  })
}
