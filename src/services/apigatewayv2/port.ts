// What API Gateway V2 offers other services: the apigateway service (which owns the execute-api
// hosts) hands it invoke-URL requests for API ids that are no REST API.
// Types only: a service holding it imports nothing of apigatewayv2's insides.
import type { HttpRequest, HttpResponse } from '../../protocol/http.ts'

export interface HttpApiTarget {
  apiId: string
  /** The path after the host, still percent-encoded, starting with `/` (the stage, if any, included). */
  path: string
  /** The Host as sent, without the port (the event's `domainName`). */
  domainName: string
}

export interface ApiGatewayV2Port {
  /** Undefined when no HTTP API has that id (the caller answers as for an unknown API). */
  serve(request: HttpRequest, target: HttpApiTarget): Promise<HttpResponse> | undefined
}
