// ImportApi / ReimportApi: an HTTP API from an OpenAPI 3.0 definition (JSON or YAML) — routes from
// its paths (`x-amazon-apigateway-any-method` → ANY, the path `/$default` → the `$default` route),
// integrations from `x-amazon-apigateway-integration` (also by `$ref` to
// `components.x-amazon-apigateway-integrations`), JWT and Lambda authorizers from security schemes'
// `x-amazon-apigateway-authorizer`, CORS from `x-amazon-apigateway-cors`. Everything is made through
// the service's own Create* operations, so each part is checked as they check it; a failure undoes
// the whole import.
import { type ImportScope, isObject, type Json, objectAt, parseOpenApiText, resolve, stringAt, stringMap } from '../../../core/openapi-document.ts'
import type { OperationContext } from '../../service.ts'
import type { HttpApiData } from '../data.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { HttpApiState } from '../store.ts'
import { corsFrom } from '../operations/updates.ts'
import { apiView } from '../operations/views.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** The Create* operations the import goes through. */
export interface Creators {
  CreateApi: Op<T.CreateApiRequest, T.CreateApiResponse>
  CreateAuthorizer: Op<T.CreateAuthorizerRequest, T.CreateAuthorizerResponse>
  CreateIntegration: Op<T.CreateIntegrationRequest, T.CreateIntegrationResult>
  CreateRoute: Op<T.CreateRouteRequest, T.CreateRouteResult>
}

const verbs: Record<string, string> = {
  get: 'GET', put: 'PUT', post: 'POST', delete: 'DELETE', patch: 'PATCH', options: 'OPTIONS', head: 'HEAD', 'x-amazon-apigateway-any-method': 'ANY',
}

// [R] The message HTTP APIs answer for a body that is no OpenAPI 3.0 document (REST APIs' wording).
const invalidInput = () => apiGatewayV2Errors.badRequest('Invalid OpenAPI input.')

function readDocument(body: string, scope: ImportScope): Json {
  const doc = parseOpenApiText(body, scope)
  if (!isObject(doc) || typeof doc.openapi !== 'string' || !/^3\.0(\.\d+)?$/.test(doc.openapi)) throw invalidInput()
  return doc
}

/** `Basepath` `ignore` (default) drops the servers' base path, `prepend` keeps it, `split` keeps all but its first part. */
function routePath(path: string, doc: Json, mode: string | undefined): string {
  const server = objectAt(Array.isArray(doc.servers) ? doc.servers[0] : undefined)
  const base = stringAt(objectAt(objectAt(server.variables).basePath).default)
    ?? /^(?:[a-z]+:)?\/\/[^/]*(\/[^{]*)?/i.exec(stringAt(server.url) ?? '')?.[1] ?? ''
  const kept = mode === 'prepend' ? base : mode === 'split' ? base.replace(/^\/?[^/]+/, '') : ''
  const parts = `${kept}/${path}`.split('/').filter((p) => p !== '')
  return `/${parts.join('/')}`
}

function listOf(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String)
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined
}

function authorizerInput(apiId: string, name: string, scheme: Json): T.CreateAuthorizerRequest | undefined {
  const raw = objectAt(scheme['x-amazon-apigateway-authorizer'])
  const type = stringAt(raw.type)?.toUpperCase()
  if (type === undefined) return undefined
  const jwt = objectAt(raw.jwtConfiguration)
  return {
    ApiId: apiId, Name: name, AuthorizerType: type as T.AuthorizerType, IdentitySource: listOf(raw.identitySource) ?? [],
    ...(type === 'JWT' && { JwtConfiguration: { Issuer: stringAt(jwt.issuer), Audience: listOf(jwt.audience) } }),
    AuthorizerUri: stringAt(raw.authorizerUri), AuthorizerPayloadFormatVersion: formatVersion(raw.authorizerPayloadFormatVersion),
    EnableSimpleResponses: typeof raw.enableSimpleResponses === 'boolean' ? raw.enableSimpleResponses : undefined,
    AuthorizerResultTtlInSeconds: typeof raw.authorizerResultTtlInSeconds === 'number' ? raw.authorizerResultTtlInSeconds : undefined,
  }
}

/** A payload format version: AWS's own examples write it as a JSON or YAML number (`1.0`, read as 1). */
function formatVersion(value: unknown): string | undefined {
  return typeof value === 'number' ? value.toFixed(1) : stringAt(value)
}

function integrationInput(apiId: string, raw: Json): T.CreateIntegrationRequest {
  const responses = objectAt(raw.responseParameters)
  return {
    ApiId: apiId, IntegrationType: (stringAt(raw.type) ?? '').toUpperCase() as T.IntegrationType, IntegrationUri: stringAt(raw.uri),
    IntegrationMethod: stringAt(raw.httpMethod)?.toUpperCase(), PayloadFormatVersion: formatVersion(raw.payloadFormatVersion),
    IntegrationSubtype: stringAt(raw.integrationSubtype), CredentialsArn: stringAt(raw.credentials),
    ConnectionType: stringAt(raw.connectionType)?.toUpperCase() as T.ConnectionType | undefined, ConnectionId: stringAt(raw.connectionId),
    TimeoutInMillis: typeof raw.timeoutInMillis === 'number' ? raw.timeoutInMillis : undefined,
    RequestParameters: stringMap(raw.requestParameters), Description: stringAt(raw.description),
    ResponseParameters: Object.keys(responses).length === 0 ? undefined
      : Object.fromEntries(Object.entries(responses).map(([status, map]) => [status, stringMap(map) ?? {}])),
    TlsConfig: isObject(raw.tlsConfig) ? { ServerNameToVerify: stringAt(raw.tlsConfig.serverNameToVerify) } : undefined,
  }
}

/** Writes the document's authorizers, integrations, routes and CORS into the (empty-routed) API. */
function build(api: HttpApiData, doc: Json, basepath: string | undefined, ops: Creators, ctx: OperationContext): string[] {
  const warnings: string[] = []
  const info = objectAt(doc.info)
  if (stringAt(info.title) !== undefined) api.name = stringAt(info.title)!
  api.description = stringAt(info.description)
  api.version = stringAt(info.version)
  const cors = doc['x-amazon-apigateway-cors']
  api.cors = isObject(cors) ? corsFrom({
    AllowCredentials: typeof cors.allowCredentials === 'boolean' ? cors.allowCredentials : undefined, AllowHeaders: listOf(cors.allowHeaders),
    AllowMethods: listOf(cors.allowMethods), AllowOrigins: listOf(cors.allowOrigins), ExposeHeaders: listOf(cors.exposeHeaders),
    MaxAge: typeof cors.maxAge === 'number' ? cors.maxAge : undefined,
  }) : undefined
  // Tags as AWS exports them: OpenAPI tags with `x-amazon-apigateway-tag-value` (others are documentation).
  for (const tag of Array.isArray(doc.tags) ? doc.tags : []) {
    const name = stringAt(objectAt(tag).name)
    const value = stringAt(objectAt(tag)['x-amazon-apigateway-tag-value'])
    if (name !== undefined && value !== undefined) api.tags[name] = value
  }
  const endpoint = objectAt(doc['x-amazon-apigateway-endpoint-configuration'])
  if (typeof endpoint.disableExecuteApiEndpoint === 'boolean') api.disableExecuteApiEndpoint = endpoint.disableExecuteApiEndpoint

  const authorizers = new Map<string, { id: string; type: string }>()
  // Schemes marked `x-amazon-apigateway-authtype: awsSigv4` make AWS_IAM routes.
  const sigv4 = new Set<string>()
  for (const [name, scheme] of Object.entries(objectAt(objectAt(doc.components).securitySchemes))) {
    if (objectAt(scheme)['x-amazon-apigateway-authtype'] === 'awsSigv4') sigv4.add(name)
    const input = authorizerInput(api.id, name, objectAt(scheme))
    if (input === undefined) continue
    const created = ops.CreateAuthorizer(input, ctx)
    authorizers.set(name, { id: created.AuthorizerId!, type: input.AuthorizerType })
  }
  // Routes sharing an integration definition share one integration, as AWS's import makes them.
  const integrations = new Map<string, string>()
  const integrationFor = (raw: Json, routeKey: string): string | undefined => {
    // HTTP APIs take proxy integrations only; AWS's import guide lists another type as a warning that
    // doesn't block the import: the route is made without it [R: the warning's wording].
    const type = (stringAt(raw.type) ?? '').toUpperCase()
    if (type === 'AWS' || type === 'HTTP' || type === 'MOCK') {
      warnings.push(`Unable to create integration of type ${type} for route ${routeKey}: Currently, an API with a protocol type of HTTP may only be ` +
        'associated with proxy integrations (AWS_PROXY, HTTP_PROXY)')
      return undefined
    }
    const key = JSON.stringify(raw)
    let id = integrations.get(key)
    if (id === undefined) {
      id = ops.CreateIntegration(integrationInput(api.id, raw), ctx).IntegrationId!
      integrations.set(key, id)
    }
    return id
  }
  const defaultSecurity = Array.isArray(doc.security) ? doc.security : undefined
  for (const [path, rawItem] of Object.entries(objectAt(doc.paths))) {
    const item = resolve(doc, rawItem) ?? {}
    for (const [key, rawOperation] of Object.entries(item)) {
      const verb = verbs[key.toLowerCase()]
      if (verb === undefined || !isObject(rawOperation)) continue
      const routeKey = path === '/$default' ? '$default' : `${verb} ${routePath(path, doc, basepath)}`
      const integration = resolve(doc, rawOperation['x-amazon-apigateway-integration'])
      const integrationId = integration === undefined ? undefined : integrationFor(integration, routeKey)
      const route: T.CreateRouteRequest = {
        ApiId: api.id, RouteKey: routeKey, OperationName: stringAt(rawOperation.operationId),
        Target: integrationId === undefined ? undefined : `integrations/${integrationId}`,
      }
      const security = Array.isArray(rawOperation.security) ? rawOperation.security : defaultSecurity
      for (const [name, scopes] of Object.entries(objectAt(security?.[0]))) {
        if (sigv4.has(name)) {
          route.AuthorizationType = 'AWS_IAM'
          continue
        }
        const authorizer = authorizers.get(name)
        if (authorizer === undefined) {
          warnings.push(`Unable to find the authorizer '${name}' the route ${routeKey} names`)
          continue
        }
        route.AuthorizationType = authorizer.type === 'JWT' ? 'JWT' : 'CUSTOM'
        route.AuthorizerId = authorizer.id
        if (Array.isArray(scopes) && scopes.length > 0) route.AuthorizationScopes = scopes.map(String)
      }
      ops.CreateRoute(route, ctx)
    }
  }
  return warnings
}

// [R] With failOnWarnings the import is refused, its warnings listed (REST APIs' wording).
function checkWarnings(warnings: string[], fail: boolean | undefined): void {
  if (fail === true && warnings.length > 0) throw apiGatewayV2Errors.badRequest(`Warnings found during import:\n\t${warnings.join('\n\t')}`)
}

export function importOperations(state: HttpApiState, ops: Creators & { DeleteApi: Op<T.DeleteApiRequest, void> }) {
  const importApi: Op<T.ImportApiRequest, T.ImportApiResponse> = (input, ctx) => {
    const doc = readDocument(input.Body, ctx.caller)
    const title = stringAt(objectAt(doc.info).title)
    if (title === undefined || title.trim() === '') throw invalidInput()
    const created = ops.CreateApi({ Name: title, ProtocolType: 'HTTP' }, ctx)
    const api = state.api(ctx.caller.account, ctx.caller.region, created.ApiId!)
    try {
      const warnings = build(api, doc, input.Basepath, ops, ctx)
      checkWarnings(warnings, input.FailOnWarnings)
      state.changed(api)
      return { ...apiView(api, ctx.host), ...(warnings.length > 0 && { Warnings: warnings }) }
    } catch (error) {
      ops.DeleteApi({ ApiId: api.id }, ctx)
      throw error
    }
  }

  const reimportApi: Op<T.ReimportApiRequest, T.ReimportApiResponse> = (input, ctx) => {
    const api = state.api(ctx.caller.account, ctx.caller.region, input.ApiId)
    const doc = readDocument(input.Body, ctx.caller)
    const before = structuredClone(api)
    // The definition replaces the routes, integrations, authorizers and CORS; stages and deployments stay.
    api.routes = {}
    api.integrations = {}
    api.authorizers = {}
    try {
      const warnings = build(api, doc, input.Basepath, ops, ctx)
      checkWarnings(warnings, input.FailOnWarnings)
      state.changed(api)
      return { ...apiView(api, ctx.host), ...(warnings.length > 0 && { Warnings: warnings }) }
    } catch (error) {
      state.apis.set(before.id, before)
      state.save(before)
      throw error
    }
  }

  return { ImportApi: importApi, ReimportApi: reimportApi }
}
