// Documentation parts' locations as AWS documents them ("Representation of API documentation in API
// Gateway"): which of `path`, `method`, `statusCode` and `name` each type takes, the defaults AWS fills
// in (`path` `/`, `method` and `statusCode` `*`), and whether a location names something the API has.
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { ApiData } from '../api-data.ts'
import { apiModels } from '../models/model-store.ts'

type Field = 'path' | 'method' | 'statusCode' | 'name'

const fields: Record<T.DocumentationPartType, readonly Field[]> = {
  API: [],
  AUTHORIZER: ['name'],
  MODEL: ['name'],
  RESOURCE: ['path'],
  METHOD: ['path', 'method'],
  PATH_PARAMETER: ['path', 'method', 'name'],
  QUERY_PARAMETER: ['path', 'method', 'name'],
  REQUEST_HEADER: ['path', 'method', 'name'],
  REQUEST_BODY: ['path', 'method'],
  RESPONSE: ['path', 'method', 'statusCode'],
  RESPONSE_HEADER: ['path', 'method', 'statusCode', 'name'],
  RESPONSE_BODY: ['path', 'method', 'statusCode'],
}

const defaults: Record<Field, string | undefined> = { path: '/', method: '*', statusCode: '*', name: undefined }

/** The location as stored: the type's fields (defaults filled in), the others refused [R: the messages]. */
export function normaliseLocation(input: T.DocumentationPartLocation | undefined): T.DocumentationPartLocation {
  const type = input?.type
  if (type === undefined || !(type in fields)) throw apiGatewayErrors.badRequest(`Invalid documentation part type specified: ${String(type)}`)
  const taken = fields[type]
  const location: T.DocumentationPartLocation = { type }
  for (const field of ['path', 'method', 'statusCode', 'name'] as const) {
    const value = input?.[field]
    if (!taken.includes(field)) {
      if (value !== undefined && value !== defaults[field]) throw apiGatewayErrors.badRequest(`Invalid location for documentation part of type ${type}: ${field} is not applicable`)
      continue
    }
    const filled = value ?? defaults[field]
    if (filled === undefined) throw apiGatewayErrors.badRequest(`Invalid location for documentation part of type ${type}: ${field} must be specified`)
    if (field === 'statusCode' && filled !== '*' && !/^[1-5]\d\d$/.test(filled)) throw apiGatewayErrors.badRequest(`Invalid status code specified: ${filled}`)
    location[field] = field === 'method' ? filled.toUpperCase() : filled
  }
  return location
}

export const sameLocation = (a: T.DocumentationPartLocation, b: T.DocumentationPartLocation): boolean =>
  a.type === b.type && a.path === b.path && a.method === b.method && a.statusCode === b.statusCode && a.name === b.name

/** Whether the location names an entity the API has now (GetDocumentationParts' `locationStatus`). */
export function documented(api: ApiData, location: T.DocumentationPartLocation): boolean {
  if (location.type === 'API') return true
  if (location.type === 'MODEL') return apiModels(api)[location.name ?? ''] !== undefined
  if (location.type === 'AUTHORIZER') return Object.values(api.authorizers ?? {}).some((a) => a.name === location.name)
  const resource = Object.values(api.resources).find((r) => r.path === location.path)
  if (resource === undefined) return false
  if (location.method === undefined || location.method === '*') return true
  return resource.methods[location.method] !== undefined
}
