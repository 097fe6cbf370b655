// Browser CORS at the invoke URLs, as AWS has it: a preflight to an API is the API's own request
// (a REST API's OPTIONS method, an HTTP API's CorsConfiguration or OPTIONS route) rather than
// Nimbus's gateway default; an HTTP API with a CorsConfiguration sets its answers' CORS headers alone.
import type { HttpRequest } from '../../../protocol/http.ts'
import type { ApiGatewayV2Port } from '../../apigatewayv2/port.ts'
import type { ServiceCors } from '../../service.ts'
import type { ApiGatewayState } from '../store.ts'
import { invokeTarget } from './invoke-url.ts'

export function invokeUrlCors(state: ApiGatewayState, httpApis: (() => ApiGatewayV2Port | undefined) | undefined): ServiceCors {
  const known = (request: HttpRequest) => {
    const target = invokeTarget(request)
    if (target === undefined) return undefined
    if (state.apis.has(target.apiId)) return { cors: false }
    return httpApis?.()?.describe(target.apiId)
  }
  return {
    // Never answered here: the preflight is served as the API's request.
    preflight: () => undefined,
    servesPreflight: (request) => known(request) !== undefined,
    // `{}`: the HTTP API's own CORS headers (or none) and not the gateway's; undefined keeps the gateway's default.
    headers: (request) => (known(request)?.cors === true ? {} : undefined),
  }
}
