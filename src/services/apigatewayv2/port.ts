// What API Gateway V2 offers other services: the apigateway service (which owns the execute-api
// hosts) hands it invoke-URL requests for API ids that are no REST API.
// Types only: a service holding it imports nothing of apigatewayv2's insides.
import type { InvokeAction, InvokeCaller } from '../../core/invoke-caller.ts'

/** The invoke-URL request as the gateway read it (the fields of the gateway's HttpRequest an HTTP API uses). */
export interface InvokeRequest {
  readonly method: string
  /** The path as sent, still percent-encoded. */
  readonly rawPath: string
  readonly query: URLSearchParams
  /** The query string as sent (after `?`, still encoded): the 2.0 event's rawQueryString. */
  readonly rawQuery?: string
  /** Lower-cased header names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer
  readonly remoteAddress?: string
  /** Header names as sent and each value on its own, alternating. */
  readonly rawHeaders?: readonly string[]
}

/** What the HTTP API answers: a whole body (never a stream). */
export interface InvokeResponse {
  status: number
  headers: Record<string, string>
  body: string | Buffer
}

export interface HttpApiTarget {
  apiId: string
  /** The path after the host, still percent-encoded, starting with `/` (the stage, if any, included). */
  path: string
  /** The Host as sent, without the port (the event's `domainName`). */
  domainName: string
  /** The gateway's SigV4 check of the request (AWS_IAM routes); absent: every request counts as unsigned. */
  checkSignature?(request: InvokeRequest, action?: InvokeAction): InvokeCaller
}

/** A custom domain's API mapping as a request selected it. */
export interface DomainMappingTarget {
  apiId: string
  /** Absent: a REST API's base path mapping without a stage (the path's next segment names it). */
  stage?: string
  /** The path after the mapping's key, still percent-encoded, starting with `/`. */
  rest: string
  /** The Host as sent, without the port. */
  domainName: string
}

export interface ApiGatewayV2Port {
  /** Undefined when no HTTP API has that id (the caller answers as for an unknown API). */
  serve(request: InvokeRequest, target: HttpApiTarget): Promise<InvokeResponse> | undefined
  /** True when the Host (any port) is one of apigatewayv2's custom domain names or their regional names. */
  servesDomain(host: string): boolean
  /** HTTP and WebSocket APIs' custom domains as apigateway lists and deletes them (one set of domain names on AWS). */
  readonly domainPeer: import('../api-gateway-domains.ts').DomainPeer
  /** A request to a custom domain: undefined when its Host is none (the caller goes on as usual). */
  serveDomain(request: InvokeRequest, checkSignature?: HttpApiTarget['checkSignature']): Promise<InvokeResponse> | undefined
  /**
   * The API mapping a request to one of its custom domains selects (null: none does); undefined when its Host is none.
   * The mapping may name a REST API (apigateway serves those itself).
   */
  domainMapping(request: InvokeRequest): DomainMappingTarget | null | undefined
  /** An HTTP API's answer to domainMapping's selection: null, or an id no HTTP API has → 404 Not Found. */
  serveMapping(request: InvokeRequest, selected: DomainMappingTarget | null, checkSignature?: HttpApiTarget['checkSignature']): Promise<InvokeResponse>
  /** True when the HTTP API exists; `cors`: it has a CorsConfiguration (its answers carry only those CORS headers). */
  describe(apiId: string): { cors: boolean } | undefined
  /** A WebSocket upgrade at an invoke URL; undefined when no API has that id. */
  upgrade(request: InvokeRequest, target: HttpApiTarget): Promise<WebSocketUpgrade> | undefined
  /** A WebSocket upgrade to a custom domain (`wss://{domain}/{mapping key}`); undefined when its Host is none. */
  upgradeDomain(request: InvokeRequest, checkSignature?: HttpApiTarget['checkSignature']): Promise<WebSocketUpgrade> | undefined
  /** True when the account's WebSocket API has that stage (a usage plan may name it, for `$connect`'s API keys). */
  webSocketStage(account: string, region: string, apiId: string, stage: string): boolean
  /** WebSocket APIs' open connections, for the @connections management API (apigatewaymanagementapi). */
  readonly connections: WebSocketConnectionsPort
  /** HTTP APIs' AWS/ApiGateway request metrics (Count, 4xx, 5xx, Latency, IntegrationLatency, DataProcessed) and WebSocket APIs' (ConnectCount, MessageCount…). */
  readonly metrics: import('../cloudwatch/port.ts').MetricSource
}

/** The service definition's UpgradeAnswer (services/service.ts), restated: a port imports no service.ts. */
export type WebSocketUpgrade =
  | { refuse: InvokeResponse }
  | { accept: (peer: WebSocketPeer) => WebSocketSession; headers?: Record<string, string>; limits: { maxFrameBytes: number; maxMessageBytes: number } }

/** The open socket (the gateway frames what is sent). */
export interface WebSocketPeer {
  send(data: string | Buffer): void
  close(code: number, reason?: string): void
}

/** What the API does with the client's traffic. */
export interface WebSocketSession {
  message(data: Buffer, binary: boolean): void
  closed(code: number | undefined, reason: string): void
}

export interface ConnectionInfo {
  connectedAt: number
  lastActiveAt: number
  sourceIp: string
  userAgent: string
}

/** `apiId`, when the caller's URL names one, must be the connection's API; else only the id counts. */
export interface WebSocketConnectionsPort {
  /** Sends the data as one text message; false when no such connection is open (AWS's GoneException). */
  post(connectionId: string, data: Buffer, apiId?: string): boolean
  get(connectionId: string, apiId?: string): ConnectionInfo | undefined
  /** Closes the connection (its `$disconnect` runs); false when no such connection is open. */
  delete(connectionId: string, apiId?: string): boolean
}
