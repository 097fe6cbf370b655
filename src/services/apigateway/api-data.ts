// API Gateway's REST APIs as plain data: each API one JSON-ready object, which is also its row.
import type * as T from './generated/types.ts'

export interface MethodData {
  httpMethod: string
  authorizationType: string
  authorizerId?: string
  apiKeyRequired: boolean
  authorizationScopes?: string[]
  operationName?: string
  requestParameters?: Record<string, boolean>
  requestModels?: Record<string, string>
  /** The request validator checking this method's parameters and body (models/request-validation.ts). */
  requestValidatorId?: string
  methodResponses: Record<string, T.MethodResponse>
  integration?: IntegrationData
}

/** The integration as PutIntegration stored it; its responses keyed by status code. */
export type IntegrationData = Omit<T.Integration, 'integrationResponses'> & { integrationResponses: Record<string, T.IntegrationResponse> }

export interface ResourceData {
  id: string
  parentId?: string
  pathPart?: string
  path: string
  methods: Record<string, MethodData>
}

/** A deployment is a snapshot: the data plane serves its resources, not the API's current ones. */
export interface DeploymentData {
  id: string
  description?: string
  createdDate: number
  resources: Record<string, ResourceData>
  /** Models, request validators and customised gateway responses as deployed (absent in rows written before they existed). */
  models?: Record<string, ModelData>
  requestValidators?: Record<string, T.RequestValidator>
  gatewayResponses?: Record<string, T.GatewayResponse>
  /** The API's resource policy as deployed: the data plane evaluates it until the next deployment (invoke/resource-policy.ts). */
  policy?: string
}

/** A model (a JSON Schema draft 4 document for a content type), keyed by its name. */
export interface ModelData {
  id: string
  name: string
  description?: string
  schema?: string
  contentType: string
}

export interface StageData {
  stageName: string
  deploymentId: string
  description?: string
  variables: Record<string, string>
  cacheClusterEnabled: boolean
  cacheClusterSize?: string
  /** When the cache cluster was last enabled or resized: it is CREATE_IN_PROGRESS for a while after (cache/method-caching.ts). */
  cacheClusterSince?: number
  tracingEnabled: boolean
  tags: Record<string, string>
  createdDate: number
  lastUpdatedDate: number
  // UpdateStage's method settings, keyed `*/*` (every method) or `~1path/METHOD` (absent until one is set).
  methodSettings?: Record<string, T.MethodSetting>
  /** UpdateStage's access logging: a CloudWatch Logs group ARN and the line format (absent until set). */
  accessLogSettings?: T.AccessLogSettings
  /** A canary release: a share of the stage's requests served by another deployment with variable overrides (canary/canary.ts). */
  canarySettings?: T.CanarySettings
  /** Stored and shown: a client certificate's id (backends aren't called with it) and the documentation version. */
  clientCertificateId?: string
  documentationVersion?: string
}

export interface ApiData {
  account: string
  region: string
  id: string
  name: string
  description?: string
  version?: string
  createdDate: number
  binaryMediaTypes: string[]
  minimumCompressionSize?: number
  apiKeySource: string
  endpointConfiguration: T.EndpointConfiguration
  policy?: string
  disableExecuteApiEndpoint: boolean
  tags: Record<string, string>
  rootResourceId: string
  resources: Record<string, ResourceData>
  deployments: Record<string, DeploymentData>
  stages: Record<string, StageData>
  /** Lambda (and Cognito) authorizers by id; absent in rows written before authorizers existed. */
  authorizers?: Record<string, T.Authorizer>
  /** Models by name; absent until first touched, then AWS's two built-ins `Empty` and `Error` (models/model-store.ts). */
  models?: Record<string, ModelData>
  /** Request validators by id. */
  requestValidators?: Record<string, T.RequestValidator>
  /** Gateway responses customised by PutGatewayResponse, by response type (the rest are AWS's defaults). */
  gatewayResponses?: Record<string, T.GatewayResponse>
  /** DocumentationParts by id, and DocumentationVersions (snapshots of them) by version (documentation/). */
  documentationParts?: Record<string, DocumentationPartData>
  documentationVersions?: Record<string, DocumentationVersionData>
}

export interface DocumentationPartData {
  id: string
  location: T.DocumentationPartLocation
  /** A JSON object's text, as given. */
  properties: string
}

export interface DocumentationVersionData {
  version: string
  description?: string
  createdDate: number
  parts: Record<string, DocumentationPartData>
}
