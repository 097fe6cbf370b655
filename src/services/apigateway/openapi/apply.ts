// Writes an imported OpenAPI definition into a REST API: `overwrite` replaces its resources, methods,
// authorizers, models, validators and gateway responses; `merge` adds to them, the definition's
// methods replacing the API's on the same path and verb. The API passed in is a copy: an error
// leaves the stored one untouched, as AWS discards the definition (every error listed).
import { apiGatewayErrors } from '../errors.ts'
import { newId } from '../ids.ts'
import { integrationUriProblem } from '../integration-uri.ts'
import { apiModels } from '../models/model-store.ts'
import { validateAuthorizer } from '../operations/authorizers.ts'
import { pathPartPattern } from '../operations/resources.ts'
import type { ApiData, ResourceData } from '../store.ts'
import type { ImportedApi } from './read-api.ts'
import { expandPolicy } from '../resource-policy/expand.ts'

const needsUri = new Set(['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY'])
const types = new Set([...needsUri, 'MOCK'])

// [R] AWS lists every failure under this heading (one per line, tab-indented), having gone through the whole definition.
const importError = (messages: string[]) => apiGatewayErrors.badRequest(`Errors found during import:\n\t${messages.join('\n\t')}`)

/** `basepath` parameter: `ignore` (the default) drops the base path, `prepend` keeps it, `split` keeps all but its first part. */
export function resourcePath(path: string, basePath: string, mode: string | undefined): string {
  const base = mode === 'prepend' ? basePath : mode === 'split' ? basePath.replace(/^\/[^/]+/, '') : ''
  const parts = `${base}/${path}`.split('/').filter((p) => p !== '')
  return `/${parts.join('/')}`
}

export function applyImport(api: ApiData, imported: ImportedApi, mode: 'overwrite' | 'merge', basePathMode: string | undefined): void {
  // Every error is collected (the item skipped) and all are answered together; nothing is stored then.
  const errors: string[] = []
  if (imported.name !== undefined) api.name = imported.name
  if (imported.description !== undefined || mode === 'overwrite') api.description = imported.description
  if (imported.version !== undefined || mode === 'overwrite') api.version = imported.version
  if (imported.apiKeySource !== undefined) api.apiKeySource = imported.apiKeySource
  if (imported.binaryMediaTypes !== undefined) api.binaryMediaTypes = imported.binaryMediaTypes
  if (imported.minimumCompressionSize !== undefined) api.minimumCompressionSize = imported.minimumCompressionSize
  if (imported.policy !== undefined) api.policy = expandPolicy(imported.policy, api.region, api.account, api.id)
  if (imported.disableExecuteApiEndpoint !== undefined) api.disableExecuteApiEndpoint = imported.disableExecuteApiEndpoint

  if (mode === 'overwrite') {
    const root = api.resources[api.rootResourceId]!
    api.resources = { [root.id]: { ...root, methods: {} } }
    api.authorizers = {}
    api.models = undefined
    api.requestValidators = {}
    api.gatewayResponses = {}
  }
  const authorizers = (api.authorizers ??= {})
  const authorizerIds = byName(authorizers, imported.authorizers, (a) => a.name)
  for (const authorizer of imported.authorizers) {
    const id = authorizerIds.get(authorizer.name!)!
    const stored = { ...authorizer, id, authType: authorizer.authType ?? 'custom' }
    try {
      validateAuthorizer(stored)
    } catch (error) {
      errors.push(`Unable to create authorizer '${authorizer.name!}': ${(error as Error).message}`)
      continue
    }
    authorizers[id] = stored
  }
  const validators = (api.requestValidators ??= {})
  const validatorIds = byName(validators, imported.requestValidators, (v) => v.name)
  for (const validator of imported.requestValidators) {
    const id = validatorIds.get(validator.name!)!
    validators[id] = { ...validator, id }
  }
  const models = apiModels(api)
  for (const model of imported.models) {
    const existing = models[model.name!]
    // Model references inside a schema point at the API's own models, as AWS rewrites them.
    const schema = model.schema?.replace(/"#\/(?:definitions|components\/schemas)\/([^"/]+)"/g,
      `"https://apigateway.amazonaws.com/restapis/${api.id}/models/$1"`)
    models[model.name!] = { name: model.name!, description: model.description, contentType: model.contentType ?? 'application/json', schema,
      id: existing?.id ?? newId(6) }
  }
  const gatewayResponses = (api.gatewayResponses ??= {})
  for (const response of imported.gatewayResponses) gatewayResponses[response.responseType!] = response

  for (const [path, methods] of imported.paths) {
    const resource = ensureResource(api, resourcePath(path, imported.basePath, basePathMode))
    if (typeof resource === 'string') {
      errors.push(resource)
      continue
    }
    for (const [verb, method] of Object.entries(methods)) {
      const where = `'${verb}' for resource at path '${resource.path}'`
      if (method.authorizerId !== undefined) method.authorizerId = authorizerIds.get(method.authorizerId)
      if (method.requestValidatorId !== undefined) method.requestValidatorId = validatorIds.get(method.requestValidatorId)
      const integration = method.integration
      if (integration !== undefined) {
        const problem = !types.has(integration.type ?? '') ? `Invalid integration type specified: ${String(integration.type)}`
          : needsUri.has(integration.type!) && (integration.httpMethod ?? '') === '' ? 'Enumeration value for HttpMethod must be non-empty'
            : needsUri.has(integration.type!) && (integration.uri ?? '') === '' ? 'Invalid ARN specified in the request'
              : needsUri.has(integration.type!) ? integrationUriProblem(integration.type!, integration.uri!) : undefined
        if (problem !== undefined) {
          errors.push(`Unable to put integration on ${where}: ${problem}`)
          continue
        }
        integration.cacheNamespace ??= resource.id
      }
      resource.methods[verb] = method
    }
  }
  if (errors.length > 0) throw importError(errors)
}

/** Ids for the imported items: an item named like a stored one keeps its id (merge), others get new ones. */
function byName<V>(stored: Record<string, V>, imported: V[], name: (v: V) => string | undefined): Map<string, string> {
  const ids = new Map<string, string>()
  for (const item of imported) {
    const existing = Object.entries(stored).find(([, v]) => name(v) === name(item))?.[0]
    let id = existing ?? newId(6)
    while (existing === undefined && stored[id] !== undefined) id = newId(6)
    ids.set(name(item)!, id)
  }
  return ids
}

/** The resource at `path`, created with its missing ancestors (parts checked as CreateResource checks them); a string: the error. */
function ensureResource(api: ApiData, path: string): ResourceData | string {
  let current = api.resources[api.rootResourceId]!
  for (const part of path.split('/').filter((p) => p !== '')) {
    const resources = Object.values(api.resources)
    const child = resources.find((r) => r.parentId === current.id && r.pathPart === part)
    if (child !== undefined) {
      current = child
      continue
    }
    const childPath = `${current.path === '/' ? '' : current.path}/${part}`
    if (!pathPartPattern.test(part)) {
      return `Unable to create resource at path '${childPath}': Resource's path part only allow a-zA-Z0-9._- and curly braces ` +
        'at the beginning and the end and an optional plus sign before the closing brace.'
    }
    if (current.pathPart?.endsWith('+}') === true) {
      return `Unable to create resource at path '${childPath}': Cannot create a child of a resource with a greedy path variable: ${current.pathPart}`
    }
    const variable = part.startsWith('{') ? resources.find((r) => r.parentId === current.id && r.pathPart?.startsWith('{') === true) : undefined
    if (variable !== undefined) {
      return `Unable to create resource at path '${childPath}': A sibling (${variable.pathPart!}) of this resource already has ` +
        'a variable path part -- only one is allowed'
    }
    let id = newId(6)
    while (api.resources[id] !== undefined) id = newId(6)
    const resource: ResourceData = { id, parentId: current.id, pathPart: part, path: childPath, methods: {} }
    api.resources[id] = resource
    current = resource
  }
  return current
}
