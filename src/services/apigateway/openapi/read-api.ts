// Reads an OpenAPI document (Swagger 2.0 or OpenAPI 3.0) with API Gateway's `x-amazon-apigateway-*`
// extensions into what ImportRestApi/PutRestApi create: the API's settings, its resource paths with
// their methods, authorizers, models, request validators and gateway responses, and AWS-style warnings.
import { defaultStatus, isResponseType } from '../gateway-responses/catalog.ts'
import type * as T from '../generated/types.ts'
import type { MethodData } from '../store.ts'
import { isObject, type Json, objectAt, resolve, stringAt, stringMap } from '../../../core/openapi-document.ts'
import type { OpenApiDocument } from './document.ts'
import { readIntegration } from './read-integration.ts'
import { readMethodShape } from './read-method.ts'
import { checkApiPolicy } from '../resource-policy/expand.ts'

export interface ImportedApi {
  name?: string
  description?: string
  version?: string
  apiKeySource?: string
  binaryMediaTypes?: string[]
  minimumCompressionSize?: number
  policy?: string
  disableExecuteApiEndpoint?: boolean
  /** The base path the document declares (`basePath`, or OpenAPI 3's `servers` convention), `/a/b` or ''. */
  basePath: string
  /** Resource path → verb → method; a method's `authorizerId`/`requestValidatorId` hold names until applied. */
  paths: Map<string, Record<string, MethodData>>
  authorizers: T.Authorizer[]
  models: T.Model[]
  requestValidators: T.RequestValidator[]
  gatewayResponses: T.GatewayResponse[]
  warnings: string[]
}

const verbs: Record<string, string> = {
  get: 'GET', put: 'PUT', post: 'POST', delete: 'DELETE', patch: 'PATCH', options: 'OPTIONS', head: 'HEAD',
  'x-amazon-apigateway-any-method': 'ANY',
}

export function readApi({ doc, version }: OpenApiDocument): ImportedApi {
  const info = objectAt(doc.info)
  const warnings: string[] = []
  const api: ImportedApi = {
    name: stringAt(info.title), description: stringAt(info.description), version: stringAt(info.version),
    apiKeySource: stringAt(doc['x-amazon-apigateway-api-key-source'])?.toUpperCase(),
    binaryMediaTypes: Array.isArray(doc['x-amazon-apigateway-binary-media-types'])
      ? doc['x-amazon-apigateway-binary-media-types'].map(String) : undefined,
    minimumCompressionSize: typeof doc['x-amazon-apigateway-minimum-compression-size'] === 'number'
      ? doc['x-amazon-apigateway-minimum-compression-size'] : undefined,
    policy: policyText(doc['x-amazon-apigateway-policy']),
    disableExecuteApiEndpoint: typeof objectAt(doc['x-amazon-apigateway-endpoint-configuration']).disableExecuteApiEndpoint === 'boolean'
      ? objectAt(doc['x-amazon-apigateway-endpoint-configuration']).disableExecuteApiEndpoint as boolean : undefined,
    basePath: basePathOf(doc, version), paths: new Map(), authorizers: [], models: [], requestValidators: [],
    gatewayResponses: [], warnings,
  }

  const schemes = objectAt(version === 2 ? doc.securityDefinitions : objectAt(doc.components).securitySchemes)
  for (const [name, raw] of Object.entries(schemes)) {
    const authorizer = readAuthorizer(name, objectAt(raw))
    if (authorizer !== undefined) api.authorizers.push(authorizer)
  }
  const schemas = objectAt(version === 2 ? doc.definitions : objectAt(doc.components).schemas)
  for (const [name, schema] of Object.entries(schemas)) {
    if (!/^[a-zA-Z0-9]+$/.test(name)) {
      warnings.push(`Unable to create model '${name}': Model name must be alphanumeric`)
      continue
    }
    api.models.push({ name, contentType: 'application/json', description: stringAt(objectAt(schema).description), schema: JSON.stringify(schema) })
  }
  for (const [name, raw] of Object.entries(objectAt(doc['x-amazon-apigateway-request-validators']))) {
    const v = objectAt(raw)
    api.requestValidators.push({ name, validateRequestBody: v.validateRequestBody === true, validateRequestParameters: v.validateRequestParameters === true })
  }
  for (const [type, raw] of Object.entries(objectAt(doc['x-amazon-apigateway-gateway-responses']))) {
    if (!isResponseType(type)) {
      warnings.push(`Invalid gateway response type specified: ${type}`)
      continue
    }
    const r = objectAt(raw)
    api.gatewayResponses.push({
      responseType: type, statusCode: stringAt(r.statusCode) ?? defaultStatus[type],
      responseParameters: stringMap(r.responseParameters) ?? {}, responseTemplates: stringMap(r.responseTemplates) ?? {},
    })
  }
  const defaultValidator = stringAt(doc['x-amazon-apigateway-request-validator'])
  const defaultSecurity = Array.isArray(doc.security) ? doc.security : undefined
  for (const [path, rawItem] of Object.entries(objectAt(doc.paths))) {
    const item = resolve(doc, rawItem) ?? {}
    const methods: Record<string, MethodData> = {}
    for (const [key, rawOperation] of Object.entries(item)) {
      const verb = verbs[key.toLowerCase()]
      if (verb === undefined || !isObject(rawOperation)) continue
      const operation = rawOperation
      const where = `paths.'${path}'(${key})`
      const method: MethodData = {
        httpMethod: verb, authorizationType: 'NONE', apiKeyRequired: false, operationName: stringAt(operation.operationId),
        ...readMethodShape(doc, version, item, operation, api.models, warnings, where),
      }
      applySecurity(method, Array.isArray(operation.security) ? operation.security : defaultSecurity, schemes, api.authorizers)
      const validator = stringAt(operation['x-amazon-apigateway-request-validator']) ?? defaultValidator
      if (validator !== undefined) {
        if (api.requestValidators.some((v) => v.name === validator)) method.requestValidatorId = validator
        else warnings.push(`Invalid request validator '${validator}' specified for ${where}`)
      }
      const integration = operation['x-amazon-apigateway-integration']
      if (isObject(integration)) method.integration = readIntegration(integration)
      methods[verb] = method
    }
    api.paths.set(path, methods)
  }
  return api
}

/** OpenAPI 2's `basePath`; OpenAPI 3's `basePath` server variable, else the path of the first server's URL. */
function basePathOf(doc: Json, version: 2 | 3): string {
  let base: string | undefined
  if (version === 2) base = stringAt(doc.basePath)
  else {
    const server = objectAt(Array.isArray(doc.servers) ? doc.servers[0] : undefined)
    const variable = stringAt(objectAt(objectAt(server.variables).basePath).default)
    if (variable !== undefined) base = variable
    else {
      const url = stringAt(server.url) ?? ''
      base = /^(?:[a-z]+:)?\/\/[^/]*(\/.*)?$/i.exec(url)?.[1] ?? (url.startsWith('/') ? url : '')
    }
  }
  const parts = (base ?? '').split('/').filter((p) => p !== '')
  return parts.length === 0 ? '' : `/${parts.join('/')}`
}

function readAuthorizer(name: string, scheme: Json): T.Authorizer | undefined {
  const raw = scheme['x-amazon-apigateway-authorizer']
  if (!isObject(raw)) return undefined
  const type = (stringAt(raw.type) ?? 'token').toUpperCase()
  // A TOKEN authorizer reads the header its apiKey scheme names unless it says otherwise.
  const header = scheme.in === 'header' && typeof scheme.name === 'string' ? `method.request.header.${scheme.name}` : undefined
  return {
    name, type: type as T.AuthorizerType, authType: stringAt(scheme['x-amazon-apigateway-authtype']),
    authorizerUri: stringAt(raw.authorizerUri), authorizerCredentials: stringAt(raw.authorizerCredentials),
    identitySource: stringAt(raw.identitySource) ?? (type === 'REQUEST' ? undefined : header),
    identityValidationExpression: stringAt(raw.identityValidationExpression),
    authorizerResultTtlInSeconds: typeof raw.authorizerResultTtlInSeconds === 'number' ? raw.authorizerResultTtlInSeconds : 300,
    providerARNs: Array.isArray(raw.providerARNs) ? raw.providerARNs.map(String) : undefined,
  }
}

/**
 * `security: [{scheme: [scopes]}]`: a scheme with an authorizer makes the method CUSTOM (or
 * COGNITO_USER_POOLS) with that authorizer; `x-amazon-apigateway-authtype: awsSigv4` makes it AWS_IAM; an
 * apiKey scheme without an authorizer (`api_key` in header `x-api-key`) makes the key required.
 */
function applySecurity(method: MethodData, security: unknown[] | undefined, schemes: Json, authorizers: T.Authorizer[]): void {
  for (const requirement of security ?? []) {
    for (const [name, scopes] of Object.entries(objectAt(requirement))) {
      const scheme = objectAt(schemes[name])
      const authorizer = authorizers.find((a) => a.name === name)
      if (authorizer !== undefined) {
        method.authorizationType = authorizer.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM'
        method.authorizerId = name
        if (Array.isArray(scopes) && scopes.length > 0) method.authorizationScopes = scopes.map(String)
      } else if (stringAt(scheme['x-amazon-apigateway-authtype'])?.toLowerCase() === 'awssigv4') {
        method.authorizationType = 'AWS_IAM'
      } else if (scheme.type === 'apiKey') {
        method.apiKeyRequired = true
      }
    }
  }
}

function policyText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  // Checked before anything of the import is applied (PutRestApi changes an existing API).
  checkApiPolicy(text)
  return text
}
