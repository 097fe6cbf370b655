// How HTTP APIs, routes, integrations, stages and deployments look on the wire (the model's output shapes).
import type * as T from '../generated/types.ts'
import type { CorsData, DeploymentData, HttpApiData, IntegrationData, RouteData, StageData } from '../data.ts'
import { routeSettingsView } from '../route-throttle.ts'

/** The API's base URL: Nimbus's execute-api host form on the port the client called (AWS: `https://{id}.execute-api.{region}.amazonaws.com`). */
export function apiEndpoint(api: HttpApiData, host: string): string {
  const port = /:(\d+)$/.exec(host)?.[1]
  // A WebSocket API's endpoint is a ws:// URL (AWS: `wss://{id}.execute-api.{region}.amazonaws.com`).
  return `${api.protocolType === 'WEBSOCKET' ? 'ws' : 'http'}://${api.id}.execute-api.localhost${port === undefined ? '' : `:${port}`}`
}

export function apiView(api: HttpApiData, host: string): T.Api {
  return {
    ApiEndpoint: apiEndpoint(api, host), ApiId: api.id, Name: api.name, ProtocolType: api.protocolType as T.ProtocolType,
    Description: api.description, Version: api.version, RouteSelectionExpression: api.routeSelectionExpression,
    ApiKeySelectionExpression: api.apiKeySelectionExpression, DisableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    CreatedDate: new Date(api.createdDate), Tags: { ...api.tags },
    ...(api.cors !== undefined && { CorsConfiguration: corsView(api.cors) }),
  }
}

export function routeView(route: RouteData): T.Route {
  return {
    RouteId: route.id, RouteKey: route.routeKey, Target: route.target, AuthorizationType: route.authorizationType as T.AuthorizationType,
    ApiKeyRequired: route.apiKeyRequired, AuthorizerId: route.authorizerId, AuthorizationScopes: route.authorizationScopes, OperationName: route.operationName, ApiGatewayManaged: route.managed || undefined,
    RouteResponseSelectionExpression: route.routeResponseSelectionExpression,
    RequestModels: route.requestModels === undefined ? undefined : { ...route.requestModels },
    ModelSelectionExpression: route.modelSelectionExpression,
    RequestParameters: route.requestParameters === undefined ? undefined : parametersView(route.requestParameters),
  }
}

/** Route (and route response) parameters: `{Required}` as the wire has it, stored as `{required}`. */
export function parameterConstraints(input: Record<string, T.ParameterConstraints>): Record<string, { required: boolean }> {
  return Object.fromEntries(Object.entries(input).map(([key, value]) => [key, { required: value?.Required ?? false }]))
}

export function parametersView(parameters: Record<string, { required: boolean }>): Record<string, T.ParameterConstraints> {
  return Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key, { Required: value.required }]))
}

export function integrationView(integration: IntegrationData): T.Integration {
  return {
    IntegrationId: integration.id, IntegrationType: integration.type as T.IntegrationType, IntegrationUri: integration.uri,
    IntegrationMethod: integration.method, PayloadFormatVersion: integration.payloadFormatVersion,
    TimeoutInMillis: integration.timeoutInMillis, Description: integration.description, IntegrationSubtype: integration.subtype,
    RequestParameters: integration.requestParameters === undefined ? undefined : { ...integration.requestParameters },
    ResponseParameters: integration.responseParameters === undefined ? undefined : structuredClone(integration.responseParameters),
    CredentialsArn: integration.credentialsArn,
    ConnectionType: integration.connectionType as T.ConnectionType, ConnectionId: integration.connectionId, ApiGatewayManaged: integration.managed || undefined,
    RequestTemplates: integration.requestTemplates === undefined ? undefined : { ...integration.requestTemplates },
    TemplateSelectionExpression: integration.templateSelectionExpression,
    PassthroughBehavior: integration.passthroughBehavior as T.PassthroughBehavior,
    ContentHandlingStrategy: integration.contentHandlingStrategy as T.ContentHandlingStrategy,
  }
}

export function stageView(stage: StageData): T.Stage {
  return {
    StageName: stage.name, AutoDeploy: stage.autoDeploy, DeploymentId: stage.deploymentId, Description: stage.description,
    StageVariables: { ...stage.variables }, CreatedDate: new Date(stage.createdDate), LastUpdatedDate: new Date(stage.lastUpdatedDate),
    Tags: { ...stage.tags }, ApiGatewayManaged: stage.managed || undefined, DefaultRouteSettings: routeSettingsView(stage.defaultRouteSettings),
    RouteSettings: Object.fromEntries(Object.entries(stage.routeSettings ?? {}).map(([key, value]) => [key, routeSettingsView(value)])),
    LastDeploymentStatusMessage: stage.lastDeploymentStatusMessage, ClientCertificateId: stage.clientCertificateId,
    ...(stage.accessLogSettings !== undefined && {
      AccessLogSettings: { DestinationArn: stage.accessLogSettings.destinationArn, Format: stage.accessLogSettings.format },
    }),
  }
}

export function deploymentView(deployment: DeploymentData): T.Deployment {
  return {
    DeploymentId: deployment.id, CreatedDate: new Date(deployment.createdDate), Description: deployment.description,
    AutoDeployed: deployment.autoDeployed, DeploymentStatus: 'DEPLOYED',
  }
}

export function corsView(cors: CorsData): T.Cors {
  return {
    AllowCredentials: cors.allowCredentials, AllowHeaders: cors.allowHeaders, AllowMethods: cors.allowMethods,
    AllowOrigins: cors.allowOrigins, ExposeHeaders: cors.exposeHeaders, MaxAge: cors.maxAge,
  }
}
