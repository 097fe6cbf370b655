// API Gateway test helpers: a client, a REST API built in one call, and invoke-URL requests in both
// forms (the host form sends its Host header to 127.0.0.1: `*.execute-api.localhost` needn't resolve).
import { request } from 'node:http'
import {
  APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand,
  type PutIntegrationCommandInput, PutIntegrationResponseCommand, type PutIntegrationResponseCommandInput, PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway'
import type { Nimbus } from '../../src/index.ts'
import { testCredentials, uniqueName } from './nimbus.ts'

export function apiGatewayClient(nimbus: Nimbus, region = 'us-east-1'): APIGatewayClient {
  return new APIGatewayClient({ endpoint: nimbus.endpoint, region, credentials: testCredentials, maxAttempts: 1 })
}

export interface InvokeResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  text: string
  json: () => unknown
}

/** A request to an invoke URL: `form` 'host' (`{id}.execute-api.localhost:{port}/{stage}/…`) or 'path' (`/restapis/{id}/{stage}/_user_request_/…`). */
export function invoke(nimbus: Nimbus, form: 'host' | 'path', apiId: string, stage: string, pathAndQuery: string,
  options: { method?: string; headers?: Record<string, string | string[]>; body?: string | Buffer; hostSuffix?: string } = {}): Promise<InvokeResponse> {
  const url = new URL(nimbus.endpoint)
  const path = form === 'host' ? `/${stage}${pathAndQuery}` : `/restapis/${apiId}/${stage}/_user_request_${pathAndQuery}`
  const host = form === 'host' ? `${apiId}.${options.hostSuffix ?? 'execute-api.localhost'}:${url.port}` : url.host
  return sendTo(nimbus, host, path, options)
}

/** Sends a request to Nimbus's port with the given Host header (an invoke URL's host needn't resolve). */
export function sendTo(nimbus: Nimbus, host: string, path: string,
  options: { method?: string; headers?: Record<string, string | string[]>; body?: string | Buffer }): Promise<InvokeResponse> {
  const url = new URL(nimbus.endpoint)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path, method: options.method ?? 'GET', headers: { host, ...options.headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8'), json: () => JSON.parse(body.toString('utf8')) })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** A REST API with a root resource id, ready for resources. */
export async function createApi(client: APIGatewayClient, extra: { binaryMediaTypes?: string[]; endpointConfiguration?: { types: ('EDGE' | 'REGIONAL' | 'PRIVATE')[] }; policy?: string } = {}):
  Promise<{ id: string; root: string }> {
  const api = await client.send(new CreateRestApiCommand({ name: uniqueName('api'), ...extra }))
  return { id: api.id!, root: api.rootResourceId! }
}

/** Creates the resources of `path` under the root one by one (reusing none) and returns the last one's id. */
export async function createPath(client: APIGatewayClient, api: { id: string; root: string }, path: string): Promise<string> {
  let parent = api.root
  for (const part of path.split('/').filter((p) => p !== '')) {
    parent = (await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: parent, pathPart: part }))).id!
  }
  return parent
}

/** A method with a Lambda proxy integration to `functionArn`. */
export async function lambdaProxyMethod(client: APIGatewayClient, apiId: string, resourceId: string, httpMethod: string,
  functionArn: string, timeoutInMillis?: number): Promise<void> {
  await client.send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod, authorizationType: 'NONE' }))
  await client.send(new PutIntegrationCommand({
    restApiId: apiId, resourceId, httpMethod, type: 'AWS_PROXY', integrationHttpMethod: 'POST', timeoutInMillis,
    uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
  }))
}

/** A MOCK method answering `status` with a static body. */
export async function mockMethod(client: APIGatewayClient, apiId: string, resourceId: string, httpMethod: string, status: number,
  body: string): Promise<void> {
  await client.send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod, authorizationType: 'NONE' }))
  await client.send(new PutIntegrationCommand({
    restApiId: apiId, resourceId, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': `{"statusCode": ${status}}` },
  }))
  await client.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod, statusCode: String(status) }))
  await client.send(new PutIntegrationResponseCommand({
    restApiId: apiId, resourceId, httpMethod, statusCode: String(status), responseTemplates: { 'application/json': body },
  }))
}

type MethodKey = 'restApiId' | 'resourceId' | 'httpMethod'

/** A method with a non-proxy integration (MOCK, AWS) and one method + integration response per entry. */
export async function nonProxyMethod(client: APIGatewayClient, method: Pick<PutIntegrationCommandInput, MethodKey>,
  integration: Omit<PutIntegrationCommandInput, MethodKey>, responses: Omit<PutIntegrationResponseCommandInput, MethodKey>[]): Promise<void> {
  await client.send(new PutMethodCommand({ ...method, authorizationType: 'NONE' }))
  await client.send(new PutIntegrationCommand({ ...method, ...integration }))
  for (const response of responses) {
    await client.send(new PutMethodResponseCommand({ ...method, statusCode: response.statusCode }))
    await client.send(new PutIntegrationResponseCommand({ ...method, ...response }))
  }
}

export async function deploy(client: APIGatewayClient, apiId: string, stageName: string, variables?: Record<string, string>): Promise<string> {
  return (await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName, variables }))).id!
}

/** The `generatePolicy` helper of AWS's Lambda authorizer guide (TOKEN and REQUEST examples), as the guide writes it. */
export const guideGeneratePolicy = `var generatePolicy = function(principalId, effect, resource) {
    var authResponse = {};
    authResponse.principalId = principalId;
    if (effect && resource) {
        var policyDocument = {};
        policyDocument.Version = '2012-10-17';
        policyDocument.Statement = [];
        var statementOne = {};
        statementOne.Action = 'execute-api:Invoke';
        statementOne.Effect = effect;
        statementOne.Resource = resource;
        policyDocument.Statement[0] = statementOne;
        authResponse.policyDocument = policyDocument;
    }
    authResponse.context = { "stringKey": "stringval", "numberKey": 123, "booleanKey": true };
    return authResponse;
}`
