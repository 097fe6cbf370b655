// ExportApi: an HTTP API as OpenAPI 3.0 (`OAS30`), JSON or YAML — the API's current routes or, with
// StageName, that stage's deployment; with IncludeExtensions (the default) each route's
// `x-amazon-apigateway-integration`, the authorizers' `x-amazon-apigateway-authorizer` and the API's
// `x-amazon-apigateway-cors`. What it writes, ImportApi reads back.
import type { Json } from '../../../core/openapi-document.ts'
import { writeYaml } from '../../../core/yaml.ts'
import type { OperationContext } from '../../service.ts'
import type { AuthorizerData, CorsData, HttpApiData, IntegrationData, RouteData } from '../data.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { HttpApiState } from '../store.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const drop = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))

function integrationDoc(i: IntegrationData): Json {
  return drop({
    type: i.type.toLowerCase(), uri: i.uri, httpMethod: i.method, payloadFormatVersion: i.payloadFormatVersion,
    integrationSubtype: i.subtype, credentials: i.credentialsArn, connectionType: i.connectionType, connectionId: i.connectionId, timeoutInMillis: i.timeoutInMillis,
    requestParameters: i.requestParameters, responseParameters: i.responseParameters, description: i.description,
  })
}

function authorizerDoc(a: AuthorizerData): Json {
  const header = /^\$request\.header\.(.+)$/.exec(a.identitySource[0] ?? '')?.[1] ?? 'Authorization'
  const authorizer = a.type === 'JWT'
    ? { type: 'jwt', jwtConfiguration: { issuer: a.issuer, audience: a.audience }, identitySource: a.identitySource.join(', ') }
    : drop({ type: 'request', identitySource: a.identitySource.join(', '), authorizerUri: a.authorizerUri,
      authorizerPayloadFormatVersion: a.payloadFormatVersion, enableSimpleResponses: a.enableSimpleResponses,
      authorizerResultTtlInSeconds: a.resultTtlInSeconds })
  return a.type === 'JWT' ? { type: 'oauth2', flows: {}, 'x-amazon-apigateway-authorizer': authorizer }
    : { type: 'apiKey', name: header, in: 'header', 'x-amazon-apigateway-authorizer': authorizer }
}

function corsDoc(c: CorsData): Json {
  return drop({ allowCredentials: c.allowCredentials, allowHeaders: c.allowHeaders, allowMethods: c.allowMethods, allowOrigins: c.allowOrigins,
    exposeHeaders: c.exposeHeaders, maxAge: c.maxAge })
}

export function exportDocument(api: HttpApiData, routes: Record<string, RouteData>, integrations: Record<string, IntegrationData>,
  cors: CorsData | undefined, stageName: string | undefined, extensions: boolean): Json {
  const paths: Record<string, Json> = {}
  const schemes: Json = {}
  for (const route of Object.values(routes).sort((a, b) => a.routeKey.localeCompare(b.routeKey))) {
    const [verb, path] = route.routeKey === '$default' ? ['ANY', '/$default'] : route.routeKey.split(' ') as [string, string]
    const operation: Json = { responses: { default: { description: `Default response for ${route.routeKey}` } } }
    if (route.operationName !== undefined) operation.operationId = route.operationName
    const authorizer = route.authorizerId === undefined ? undefined : api.authorizers?.[route.authorizerId]
    if (route.authorizationType === 'AWS_IAM') {
      operation.security = [{ sigv4: [] }]
      schemes.sigv4 = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' }
    }
    if (authorizer !== undefined) {
      operation.security = [{ [authorizer.name]: route.authorizationScopes ?? [] }]
      schemes[authorizer.name] = extensions ? authorizerDoc(authorizer) : { type: authorizer.type === 'JWT' ? 'oauth2' : 'apiKey' }
    }
    const integrationId = /^integrations\/(\w+)$/.exec(route.target ?? '')?.[1]
    const integration = integrationId === undefined ? undefined : integrations[integrationId]
    if (extensions && integration !== undefined) operation['x-amazon-apigateway-integration'] = integrationDoc(integration)
    ;(paths[path] ??= {})[verb === 'ANY' ? 'x-amazon-apigateway-any-method' : verb.toLowerCase()] = operation
  }
  const doc: Json = {
    openapi: '3.0.1',
    info: drop({ title: api.name, description: api.description, version: api.version ?? new Date(api.createdDate).toISOString().replace(/\.\d{3}Z$/, 'Z') }),
    servers: [{ url: `https://${api.id}.execute-api.${api.region}.amazonaws.com/{basePath}`,
      variables: { basePath: { default: stageName === undefined || stageName === '$default' ? '' : stageName } } }],
    paths,
  }
  if (Object.keys(schemes).length > 0) doc.components = { securitySchemes: schemes }
  if (extensions && cors !== undefined) doc['x-amazon-apigateway-cors'] = corsDoc(cors)
  if (extensions && api.disableExecuteApiEndpoint) doc['x-amazon-apigateway-endpoint-configuration'] = { disableExecuteApiEndpoint: true }
  // The API's tags, as AWS writes them: OpenAPI tags carrying `x-amazon-apigateway-tag-value`.
  if (extensions && Object.keys(api.tags).length > 0) {
    doc.tags = Object.entries(api.tags).map(([name, value]) => ({ name, 'x-amazon-apigateway-tag-value': value }))
  }
  if (extensions) doc['x-amazon-apigateway-importexport-version'] = '1.0'
  return doc
}

export function exportOperations(state: HttpApiState) {
  const exportApi: Op<T.ExportApiRequest, T.ExportApiResponse> = (input, ctx) => {
    const api = state.api(ctx.caller.account, ctx.caller.region, input.ApiId)
    // [R] The wording of these refusals.
    if (api.protocolType === 'WEBSOCKET') throw apiGatewayV2Errors.badRequest('Export is supported only for HTTP APIs')
    if (input.Specification !== 'OAS30') throw apiGatewayV2Errors.badRequest(`Invalid specification: ${input.Specification}. Supported: OAS30`)
    if (input.OutputType !== 'JSON' && input.OutputType !== 'YAML') throw apiGatewayV2Errors.badRequest(`Invalid output type: ${input.OutputType}. Supported: JSON, YAML`)
    if (input.ExportVersion !== undefined && input.ExportVersion !== '1.0') throw apiGatewayV2Errors.badRequest(`Invalid export version: ${input.ExportVersion}`)
    let source: { routes: Record<string, RouteData>; integrations: Record<string, IntegrationData>; cors?: CorsData } = api
    if (input.StageName !== undefined) {
      const stage = state.stage(api, input.StageName)
      if (stage.deploymentId === undefined) throw apiGatewayV2Errors.badRequest(`Stage ${stage.name} has no deployment to export`)
      source = state.deployment(api, stage.deploymentId)
    }
    const doc = exportDocument(api, source.routes, source.integrations, source.cors, input.StageName, input.IncludeExtensions ?? true)
    return { body: Buffer.from(input.OutputType === 'YAML' ? writeYaml(doc) : JSON.stringify(doc, null, 2)) }
  }
  return { ExportApi: exportApi }
}
