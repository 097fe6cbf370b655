// MOCK, AWS and HTTP (non-proxy) integrations end to end: request mapping → backend (the MOCK's own
// status, a Lambda function, an AWS service, an HTTP URL) on the integration timeout → integration response
// mapping. A template that fails is AWS's 500 `{"message": "Internal server error"}`.
import type { HttpResponse } from '../../../protocol/http.ts'
import type { ApiGatewayState, IntegrationData } from '../store.ts'
import { VtlError } from '../vtl/index.ts'
import { type AwsBackendDeps, callAwsBackend, LambdaPayloadTooLong } from './aws-integration.ts'
import { ConversionError } from './content-handling.ts'
import { httpBackend, type HttpIntegrationDeps } from './http-integration.ts'
import { gatewayResponses, type ResponseIds } from './gateway-responses.ts'
import { type BackendResult, mapRequest, mapResponse, type MappedRequest } from './mapping.ts'
import type { InvokeContext } from './request-context.ts'
import { TemplateScope } from './template-variables.ts'

export interface NonProxyDeps extends AwsBackendDeps, HttpIntegrationDeps {
  state: ApiGatewayState
}

export function nonProxy(deps: NonProxyDeps, integration: IntegrationData, ctx: InvokeContext, ids: ResponseIds): Promise<HttpResponse> {
  const scope = new TemplateScope(ctx)
  let mapped: MappedRequest | undefined
  try {
    mapped = mapRequest(ctx, integration, scope)
  } catch (error) {
    if (error instanceof VtlError) return Promise.resolve(failed(deps, ctx, ids, 'the request mapping template failed', error))
    if (error instanceof ConversionError) return Promise.resolve(failed(deps, ctx, ids, 'converting the request payload failed', error))
    throw error
  }
  if (mapped === undefined) return Promise.resolve(gatewayResponses.unsupportedMediaType(ids))
  // A MOCK has no backend to wait for: answered in the same turn.
  if (integration.type === 'MOCK') return Promise.resolve(integrationResponse(deps, integration, ctx, ids, scope, mockBackend(mapped.body)))
  return viaBackend(deps, integration, ctx, ids, scope, mapped)
}

/** AWS's 500 for a configuration or template error, logged with the method. */
function failed(deps: NonProxyDeps, ctx: InvokeContext, ids: ResponseIds, what: string, error: unknown): HttpResponse {
  deps.log(`[nimbus] apigateway ${ctx.api.id} ${ctx.request.method} ${ctx.route.resource.path}: ${what}: ${error instanceof Error ? error.message : String(error)}; answering 500`)
  return gatewayResponses.internal(ids)
}

/** API Gateway's 413 for a Lambda payload over the synchronous limit, logged with the method. */
export function tooLong(deps: Pick<NonProxyDeps, 'log'>, ctx: InvokeContext, ids: ResponseIds, why: string): HttpResponse {
  deps.log(`[nimbus] apigateway ${ctx.api.id} ${ctx.request.method} ${ctx.route.resource.path}: ${why}; answering 413`)
  return gatewayResponses.requestTooLong(ids)
}

async function viaBackend(deps: NonProxyDeps, integration: IntegrationData, ctx: InvokeContext, ids: ResponseIds, scope: TemplateScope,
  mapped: MappedRequest): Promise<HttpResponse> {
  let backend: BackendResult | 'timeout' | undefined
  if (integration.type === 'HTTP') {
    // The outbound client keeps the timeout on Nimbus's clock itself.
    try {
      backend = await httpBackend(deps, integration, ctx, mapped)
    } catch {
      return gatewayResponses.internal(ids)
    }
    if (backend === 'timeout') return gatewayResponses.timeout(ids)
  } else {
    try {
      backend = await withTimeout(deps.state, integration.timeoutInMillis ?? 29_000, callAwsBackend(deps, integration, ctx, mapped))
    } catch (error) {
      if (error instanceof LambdaPayloadTooLong) return tooLong(deps, ctx, ids, error.message)
      return failed(deps, ctx, ids, `calling ${integration.uri} failed`, error)
    }
    if (backend === 'timeout') return gatewayResponses.timeout(ids)
    if (backend === undefined) return failed(deps, ctx, ids, `${integration.uri} names no integration Nimbus can call`, '')
  }
  return integrationResponse(deps, integration, ctx, ids, scope, backend)
}

/** The backend's result through the integration response (selection, parameters, template), with the request's ids. */
function integrationResponse(deps: NonProxyDeps, integration: IntegrationData, ctx: InvokeContext, ids: ResponseIds, scope: TemplateScope,
  backend: BackendResult): HttpResponse {
  let response: HttpResponse | undefined
  try {
    response = mapResponse(ctx, integration, scope, backend)
  } catch (error) {
    if (error instanceof VtlError) return failed(deps, ctx, ids, 'the response mapping template failed', error)
    if (error instanceof ConversionError) return failed(deps, ctx, ids, 'converting the integration response payload failed', error)
    throw error
  }
  if (response === undefined) return failed(deps, ctx, ids, `no integration response matches "${backend.selector}" and none is the default`, '')
  response.headers['x-amzn-requestid'] = ids.requestId
  response.headers['x-amz-apigw-id'] = ids.extendedRequestId
  return response
}

/** A MOCK answers the status its request template names (`{"statusCode": 404}`), 200 without one [R]. */
function mockBackend(body: string): BackendResult {
  let status = lastMock.body === body ? lastMock.status : undefined
  if (status === undefined) {
    const match = /"?statusCode"?\s*:\s*"?(\d{3})/.exec(body)
    status = match === null ? 200 : Number(match[1])
    if (body.length <= 4096) lastMock = { body, status }
  }
  return { status, headers: {}, body: '', selector: String(status) }
}

/** The last MOCK request body read and its status: a static template's body is the same string request after request. */
let lastMock: { body: string; status: number } = { body: '', status: 200 }

/** The integration timeout runs on Nimbus's clock; `inFlight` lets tests wait for the call before moving it. */
async function withTimeout<T>(state: ApiGatewayState, ms: number, work: Promise<T>): Promise<T | 'timeout'> {
  let timer: { cancel(): void } | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = state.clock.after(ms, () => resolve('timeout'))
  })
  state.inFlight++
  try {
    return await Promise.race([work, timedOut])
  } finally {
    timer?.cancel()
    state.inFlight--
  }
}
