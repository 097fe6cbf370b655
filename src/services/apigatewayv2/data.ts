// The shape of one HTTP API as Nimbus keeps it (and writes it as a row): routes, integrations,
// stages and the deployments' snapshots of routes and integrations.
export interface RouteData {
  id: string
  routeKey: string
  target?: string
  authorizationType: string
  /** With AuthorizationType JWT or CUSTOM: the authorizer (and for JWT the scopes a token must carry one of). */
  authorizerId?: string
  authorizationScopes?: string[]
  apiKeyRequired: boolean
  operationName?: string
  /** Set on the route quick create made. */
  managed: boolean
  /** WebSocket APIs: `$default` makes the route two-way once it has a route response. */
  routeResponseSelectionExpression?: string
  /** WebSocket APIs' route responses by id. */
  responses?: Record<string, RouteResponseData>
  /** WebSocket APIs' request models (content type → model name), their selection expression and request parameters (stored). */
  requestModels?: Record<string, string>
  modelSelectionExpression?: string
  requestParameters?: Record<string, { required: boolean }>
}

export interface RouteResponseData {
  id: string
  key: string
  modelSelectionExpression?: string
  responseModels?: Record<string, string>
  responseParameters?: Record<string, { required: boolean }>
}

export interface IntegrationResponseData {
  id: string
  key: string
  templateSelectionExpression?: string
  responseTemplates?: Record<string, string>
  contentHandlingStrategy?: string
  responseParameters?: Record<string, string>
}

export interface IntegrationData {
  id: string
  type: string
  uri?: string
  method?: string
  payloadFormatVersion: string
  timeoutInMillis: number
  description?: string
  subtype?: string
  /** A first-class integration's parameters: name → `$request.body.x`, `$request.header.x`, … or a static value. */
  requestParameters?: Record<string, string>
  /** HTTP_PROXY (and Lambda proxy) response parameter mapping: status code → `overwrite:header.x` → value. */
  responseParameters?: Record<string, Record<string, string>>
  credentialsArn?: string
  connectionType: string
  /** With ConnectionType VPC_LINK: the VPC link's id (stored and shown; the URI is called directly). */
  connectionId?: string
  managed: boolean
  /** WebSocket APIs' non-proxy members, stored and shown (their templates aren't applied: see the README's Gaps). */
  requestTemplates?: Record<string, string>
  templateSelectionExpression?: string
  passthroughBehavior?: string
  contentHandlingStrategy?: string
  /** WebSocket APIs' integration responses by id. */
  responses?: Record<string, IntegrationResponseData>
}

export interface StageData {
  name: string
  autoDeploy: boolean
  deploymentId?: string
  description?: string
  variables: Record<string, string>
  createdDate: number
  lastUpdatedDate: number
  tags: Record<string, string>
  managed: boolean
  lastDeploymentStatusMessage?: string
  /** A REST API client certificate's id, stored and shown (Nimbus calls no backend with it). */
  clientCertificateId?: string
  /** Access logging: a CloudWatch Logs group ARN and the line format. */
  accessLogSettings?: { destinationArn?: string; format?: string }
  /** DefaultRouteSettings and RouteSettings by route key: throttling applies, the rest is stored. */
  defaultRouteSettings?: RouteSettingsData
  routeSettings?: Record<string, RouteSettingsData>
}

export interface RouteSettingsData {
  throttlingRateLimit?: number
  throttlingBurstLimit?: number
  detailedMetricsEnabled?: boolean
  loggingLevel?: string
  dataTraceEnabled?: boolean
}

export interface DeploymentData {
  id: string
  createdDate: number
  description?: string
  autoDeployed: boolean
  routes: Record<string, RouteData>
  integrations: Record<string, IntegrationData>
  /** The API's CORS configuration when deployed (absent: none, or a row written before CORS existed). */
  cors?: CorsData
}

/** CorsConfiguration as given (AllowOrigins `*`, `https://*`, exact origins…). */
export interface CorsData {
  allowCredentials?: boolean
  allowHeaders?: string[]
  allowMethods?: string[]
  allowOrigins?: string[]
  exposeHeaders?: string[]
  maxAge?: number
}

export interface HttpApiData {
  account: string
  region: string
  id: string
  name: string
  protocolType: string
  description?: string
  version?: string
  routeSelectionExpression: string
  apiKeySelectionExpression: string
  disableExecuteApiEndpoint: boolean
  createdDate: number
  tags: Record<string, string>
  routes: Record<string, RouteData>
  integrations: Record<string, IntegrationData>
  stages: Record<string, StageData>
  deployments: Record<string, DeploymentData>
  cors?: CorsData
  /** JWT authorizers by id (absent in rows written before authorizers existed). */
  authorizers?: Record<string, AuthorizerData>
  /** WebSocket APIs' models by id (absent until one is made). */
  models?: Record<string, ModelData>
}

export interface ModelData {
  id: string
  name: string
  schema?: string
  contentType?: string
  description?: string
}

export interface AuthorizerData {
  id: string
  name: string
  type: string
  identitySource: string[]
  /** JWT: the issuer and audiences; REQUEST (Lambda): the function, payload 2.0 simple responses and the cache TTL. */
  issuer?: string
  audience?: string[]
  authorizerUri?: string
  payloadFormatVersion?: string
  enableSimpleResponses?: boolean
  resultTtlInSeconds?: number
  /** Stored and shown: the role an authorizer would be invoked with, and a TOKEN-style validation expression. */
  credentialsArn?: string
  identityValidationExpression?: string
}
