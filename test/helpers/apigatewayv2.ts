// HTTP API (apigatewayv2) test helpers: a client and requests to an HTTP API's invoke URL (host
// form, the Host header sent to 127.0.0.1: `*.execute-api.localhost` needn't resolve for Node).
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2'
import type { Nimbus } from '../../src/index.ts'
import { testCredentials } from './nimbus.ts'
import { type InvokeResponse, sendTo } from './apigateway.ts'

export function apiGatewayV2Client(nimbus: Nimbus, region = 'us-east-1'): ApiGatewayV2Client {
  return new ApiGatewayV2Client({ endpoint: nimbus.endpoint, region, credentials: testCredentials, maxAttempts: 1 })
}

/** `pathAndQuery` is the whole path after the host: `/items/1` for `$default`, `/dev/items/1` for a stage. */
export function invokeHttpApi(nimbus: Nimbus, apiId: string, pathAndQuery: string,
  options: { method?: string; headers?: Record<string, string | string[]>; body?: string | Buffer } = {}): Promise<InvokeResponse> {
  return sendTo(nimbus, `${apiId}.execute-api.localhost:${new URL(nimbus.endpoint).port}`, pathAndQuery, options)
}
