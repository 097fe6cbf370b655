// What REST APIs (apigateway) offer other services: HTTP APIs (apigatewayv2) share the namespace of
// their custom domain names, as on AWS, and WebSocket APIs its mapping templates and integration
// backends; CloudWatch reads their request metrics. Types only.

export interface ApiGatewayPort {
  /** True when a REST API custom domain has this name (any account: names are global). */
  hasDomain(name: string): boolean
  /** REST APIs' custom domains as apigatewayv2 lists, deletes and maps them (one set of domain names on AWS). */
  readonly domainPeer: import('../api-gateway-domains.ts').DomainPeer
  /** Whether the caller's REST API has the stage; undefined: no such REST API (apigatewayv2's API mappings may name one). */
  restStage(account: string, region: string, apiId: string, stage: string): boolean | undefined
  /** Whether the REST API's endpoint type is PRIVATE (a routing rule's domain must be private exactly when its API is). */
  privateRestApi(apiId: string): boolean
  /** REST APIs' AWS/ApiGateway request metrics (Count, 4XXError, 5XXError, Latency, IntegrationLatency). */
  metrics: import('../cloudwatch/port.ts').MetricSource
  /** REST APIs' mapping templates and integration backends, offered to WebSocket APIs (apigatewayv2). */
  readonly mapping: MappingPort
  /** Usage plans and API keys, which WebSocket APIs' `$connect` (ApiKeyRequired) is metered by, as REST methods are. */
  meterApiKey(request: UsageMeterRequest): UsageVerdict
}

/** A request to meter: the key's value as sent, the API stage it calls; `methodKey` (`/path/GET`) for REST methods' own throttles. */
export interface UsageMeterRequest {
  account: string
  region: string
  apiId: string
  stage: string
  value: string | undefined
  now: number
  methodKey?: string
}

/** Metered (and counted), or refused: no valid key of a plan for the stage, the plan's throttle, its quota. */
export type UsageVerdict = { key: unknown } | { denied: 'forbidden' | 'throttled' | 'quota' }

/** What a mapping template sees besides `$util`: the payload (`$input`), the request's parameters, `$context`, `$stageVariables`. */
export interface TemplateInput {
  body: string
  params: { path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string> }
  context: Record<string, unknown>
  stageVariables: Record<string, string>
}

/** An AWS (non-proxy) integration's call: a Lambda function or an AWS service, by action or path override. */
export interface AwsIntegrationCall {
  uri: string
  /** The integration's method (POST for Lambda and most actions). */
  method: string
  /** The mapped request body (the request template's output). */
  body: string
  /** Headers for the service call (`Content-Type` for SQS's form bodies…). */
  headers: Record<string, string>
  /** The API owner's account (the call acts in it) and the stage's variables (`${stageVariables.x}` in the URI). */
  account: string
  stageVariables: Record<string, string>
  now: number
}

/** The backend's answer; `selector`: a Lambda function error's errorMessage, else the status code (or empty for a Lambda success). */
export interface BackendAnswer {
  status: number
  headers: Record<string, string>
  body: string
  selector: string
}

export interface MappingPort {
  /** Renders a VTL mapping template as REST APIs do; throws an Error naming the problem for a template that can't be rendered. */
  render(template: string, input: TemplateInput): string
  /** Undefined: the URI names nothing Nimbus can call (AWS answers a configuration error). */
  callAws(call: AwsIntegrationCall): Promise<BackendAnswer | undefined>
  /** Java's String.matches (integration responses' selection patterns); an invalid pattern matches nothing. */
  matches(pattern: string, text: string): boolean
  /** REST APIs' JSON Schema draft 4 validator (request models): the reasons `value` breaks `schema`, none when it conforms. */
  validateJson(schema: unknown, value: unknown, lookup: (modelName: string) => unknown): string[]
}
