// GetExport: a stage's deployment as an OpenAPI 3.0 (`oas30`) or Swagger 2.0 (`swagger`) document.
// `extensions=integrations` adds `x-amazon-apigateway-integration`, `authorizers` the authorizers'
// `x-amazon-apigateway-authorizer`, `validators` the request validators (as the request validation guide
// exports them), `apigateway` all of these and the API-level `x-amazon-apigateway-*` keys.
import type * as T from '../generated/types.ts'
import type { ModelData } from '../api-data.ts'
import type { ApiData, DeploymentData, IntegrationData, MethodData, StageData } from '../store.ts'
import type { Json } from '../../../core/openapi-document.ts'

const verbs: Record<string, string> = {
  GET: 'get', PUT: 'put', POST: 'post', DELETE: 'delete', PATCH: 'patch', OPTIONS: 'options', HEAD: 'head', ANY: 'x-amazon-apigateway-any-method',
}
const locations: Record<string, string> = { path: 'path', querystring: 'query', header: 'header' }

export function exportApi(api: ApiData, stage: StageData, deployment: DeploymentData, type: 'oas30' | 'swagger', extensions: Set<string>): Json {
  const v3 = type === 'oas30'
  const all = extensions.has('apigateway')
  const withIntegrations = all || extensions.has('integrations')
  const withAuthorizers = all || extensions.has('authorizers')
  const withValidators = all || extensions.has('validators')
  const ref = (name: string) => ({ $ref: v3 ? `#/components/schemas/${name}` : `#/definitions/${name}` })
  const authorizers = api.authorizers ?? {}
  const validators = deployment.requestValidators ?? api.requestValidators ?? {}
  const schemes: Json = {}

  const operation = (method: MethodData): Json => {
    const op: Json = {}
    if (method.operationName !== undefined) op.operationId = method.operationName
    const parameters: Json[] = []
    for (const [key, required] of Object.entries(method.requestParameters ?? {})) {
      const [, where, name] = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key) ?? []
      if (where === undefined) continue
      parameters.push({ name, in: locations[where], required, ...(v3 ? { schema: { type: 'string' } } : { type: 'string' }) })
    }
    const models = Object.entries(method.requestModels ?? {})
    if (models.length > 0 && !v3) parameters.push({ in: 'body', name: models[0]![1], required: true, schema: ref(models[0]![1]) })
    if (parameters.length > 0) op.parameters = parameters
    if (models.length > 0 && v3) op.requestBody = { content: Object.fromEntries(models.map(([mt, m]) => [mt, { schema: ref(m) }])), required: true }
    if (!v3) {
      // As AWS's exports in the guide show (the Kinesis and S3 proxy samples): `consumes` the media types of the request
      // models and the integration's request templates, `produces` those of the method responses' models.
      const consumes = [...new Set([...models.map(([mt]) => mt), ...Object.keys(method.integration?.requestTemplates ?? {})])]
      const produces = [...new Set(Object.values(method.methodResponses).flatMap((r) => Object.keys(r.responseModels ?? {})))]
      if (consumes.length > 0) op.consumes = consumes
      if (produces.length > 0) op.produces = produces
    }
    op.responses = Object.fromEntries(Object.values(method.methodResponses).map((r) => [r.statusCode!, response(r, v3, ref)]))
    const security = securityOf(method, authorizers, schemes, withAuthorizers)
    if (security !== undefined) op.security = security
    if (withValidators && method.requestValidatorId !== undefined && validators[method.requestValidatorId] !== undefined) {
      op['x-amazon-apigateway-request-validator'] = validators[method.requestValidatorId]!.name
    }
    if (withIntegrations && method.integration !== undefined) op['x-amazon-apigateway-integration'] = integration(method.integration)
    return op
  }

  const paths: Json = {}
  for (const resource of Object.values(deployment.resources).sort((a, b) => a.path.localeCompare(b.path))) {
    const methods = Object.values(resource.methods)
    if (methods.length === 0) continue
    paths[resource.path] = Object.fromEntries(methods.map((m) => [verbs[m.httpMethod] ?? m.httpMethod.toLowerCase(), operation(m)]))
  }
  // AWS's built-in Empty and Error models appear only where a method names them.
  const named = new Set(Object.values(deployment.resources).flatMap((r) => Object.values(r.methods)).flatMap((m) => [
    ...Object.values(m.requestModels ?? {}), ...Object.values(m.methodResponses).flatMap((r) => Object.values(r.responseModels ?? {}))]))
  const schemas = Object.fromEntries(Object.values(deployment.models ?? api.models ?? {})
    .filter((m) => named.has(m.name) || (m.name !== 'Empty' && m.name !== 'Error')).map((m) => [m.name, modelSchema(m, api.id, v3)]))

  const doc: Json = v3 ? { openapi: '3.0.1' } : { swagger: '2.0' }
  doc.info = { ...(api.description !== undefined && { description: api.description }), title: api.name,
    version: api.version ?? new Date(deployment.createdDate).toISOString().replace(/\.\d{3}Z$/, 'Z') }
  const host = `${api.id}.execute-api.${api.region}.amazonaws.com`
  if (v3) doc.servers = [{ url: `https://${host}/{basePath}`, variables: { basePath: { default: stage.stageName } } }]
  else Object.assign(doc, { host, basePath: `/${stage.stageName}`, schemes: ['https'] })
  doc.paths = paths
  if (v3) {
    const components: Json = {}
    if (Object.keys(schemas).length > 0) components.schemas = schemas
    if (Object.keys(schemes).length > 0) components.securitySchemes = schemes
    if (Object.keys(components).length > 0) doc.components = components
  } else {
    if (Object.keys(schemes).length > 0) doc.securityDefinitions = schemes
    if (Object.keys(schemas).length > 0) doc.definitions = schemas
  }
  const validatorList = Object.values(validators)
  if (withValidators && validatorList.length > 0) {
    doc['x-amazon-apigateway-request-validators'] = Object.fromEntries(validatorList.map((v) => [v.name!,
      { validateRequestBody: v.validateRequestBody === true, validateRequestParameters: v.validateRequestParameters === true }]))
  }
  if (all) {
    if (api.apiKeySource !== 'HEADER') doc['x-amazon-apigateway-api-key-source'] = api.apiKeySource
    if (api.binaryMediaTypes.length > 0) doc['x-amazon-apigateway-binary-media-types'] = api.binaryMediaTypes
    if (api.policy !== undefined) doc['x-amazon-apigateway-policy'] = parsed(api.policy)
    const responses = Object.values(deployment.gatewayResponses ?? api.gatewayResponses ?? {})
    if (responses.length > 0) {
      doc['x-amazon-apigateway-gateway-responses'] = Object.fromEntries(responses.map((r) => [r.responseType!, dropUndefined({
        statusCode: r.statusCode, responseParameters: r.responseParameters, responseTemplates: r.responseTemplates })]))
    }
  }
  return doc
}

function response(r: T.MethodResponse, v3: boolean, ref: (name: string) => Json): Json {
  const out: Json = { description: `${r.statusCode!} response` }
  const headers = Object.keys(r.responseParameters ?? {}).map((k) => /^method\.response\.header\.(.+)$/.exec(k)?.[1])
    .filter((h): h is string => h !== undefined)
  if (headers.length > 0) out.headers = Object.fromEntries(headers.map((h) => [h, v3 ? { schema: { type: 'string' } } : { type: 'string' }]))
  const models = Object.entries(r.responseModels ?? {})
  if (models.length > 0) {
    if (v3) out.content = Object.fromEntries(models.map(([mt, m]) => [mt, { schema: ref(m) }]))
    else out.schema = ref(models[0]![1])
  }
  return out
}

/** The method's security requirement, adding the scheme it names (an authorizer, SigV4 or the API key). */
function securityOf(method: MethodData, authorizers: Record<string, T.Authorizer>, schemes: Json, withAuthorizers: boolean): Json[] | undefined {
  const security: Json[] = []
  const authorizer = method.authorizerId === undefined ? undefined : authorizers[method.authorizerId]
  if ((method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS') && authorizer !== undefined) {
    const header = /^method\.request\.header\.([^,]+)$/.exec(authorizer.identitySource ?? '')?.[1] ?? 'Unused'
    schemes[authorizer.name!] = {
      type: 'apiKey', name: header, in: 'header', 'x-amazon-apigateway-authtype': authorizer.authType ?? 'custom',
      ...(withAuthorizers && { 'x-amazon-apigateway-authorizer': dropUndefined({
        type: authorizer.type?.toLowerCase(), authorizerUri: authorizer.authorizerUri, authorizerCredentials: authorizer.authorizerCredentials,
        identitySource: authorizer.type === 'TOKEN' ? undefined : authorizer.identitySource,
        identityValidationExpression: authorizer.identityValidationExpression, providerARNs: authorizer.providerARNs,
        authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
      }) }),
    }
    security.push({ [authorizer.name!]: method.authorizationScopes ?? [] })
  } else if (method.authorizationType === 'AWS_IAM') {
    schemes.sigv4 = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' }
    security.push({ sigv4: [] })
  }
  if (method.apiKeyRequired) {
    schemes.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' }
    security.push({ api_key: [] })
  }
  return security.length > 0 ? security : undefined
}

function integration(i: IntegrationData): Json {
  const responses = Object.fromEntries(Object.values(i.integrationResponses).map((r) => [r.selectionPattern ?? 'default', dropUndefined({
    statusCode: r.statusCode, responseParameters: r.responseParameters, responseTemplates: r.responseTemplates, contentHandling: r.contentHandling,
  })]))
  return dropUndefined({
    type: i.type?.toLowerCase(), httpMethod: i.httpMethod, uri: i.uri, credentials: i.credentials, connectionType: i.connectionType,
    connectionId: i.connectionId, responses: Object.keys(responses).length > 0 ? responses : undefined,
    requestParameters: i.requestParameters, requestTemplates: i.requestTemplates, passthroughBehavior: i.passthroughBehavior?.toLowerCase(),
    cacheNamespace: i.cacheNamespace, cacheKeyParameters: i.cacheKeyParameters, contentHandling: i.contentHandling,
    timeoutInMillis: i.timeoutInMillis,
  })
}

/** The stored schema with the API's model URLs turned back into document references. */
function modelSchema(model: ModelData, apiId: string, v3: boolean): unknown {
  const text = (model.schema ?? '{}').replaceAll(`https://apigateway.amazonaws.com/restapis/${apiId}/models/`,
    v3 ? '#/components/schemas/' : '#/definitions/')
  return parsed(text)
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function dropUndefined(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}
