// API Gateway's REST APIs as plain data: each API one JSON-ready object, which is also its row.
import type * as T from './generated/types.ts'

export interface MethodData {
  httpMethod: string
  authorizationType: string
  authorizerId?: string
  apiKeyRequired: boolean
  /** The request validator by id (set by OpenAPI import's `x-amazon-apigateway-request-validator`). */
  requestValidatorId?: string
  authorizationScopes?: string[]
  operationName?: string
  requestParameters?: Record<string, boolean>
  requestModels?: Record<string, string>
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
}

export interface StageData {
  stageName: string
  deploymentId: string
  description?: string
  variables: Record<string, string>
  cacheClusterEnabled: boolean
  cacheClusterSize?: string
  tracingEnabled: boolean
  tags: Record<string, string>
  createdDate: number
  lastUpdatedDate: number
  // UpdateStage's method settings, keyed `*/*` (every method) or `~1path/METHOD` (absent until one is set).
  methodSettings?: Record<string, T.MethodSetting>
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
  /** Models by name, request validators by id, gateway responses by type: written by OpenAPI import (openapi/). */
  models?: Record<string, T.Model>
  requestValidators?: Record<string, T.RequestValidator>
  gatewayResponses?: Record<string, T.GatewayResponse>
}
