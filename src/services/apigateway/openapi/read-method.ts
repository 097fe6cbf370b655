// An OpenAPI operation's request and response shape as a method: `parameters` (path, query, header)
// as `requestParameters` (`method.request.querystring.q: required`), the request body's schema as
// `requestModels`, and each numbered response as a method response with its headers and models.
import type * as T from '../generated/types.ts'
import type { MethodData } from '../store.ts'
import { type Json, modelName, objectAt, resolve, stringAt } from '../../../core/openapi-document.ts'

const locations: Record<string, string> = { path: 'path', query: 'querystring', header: 'header' }

type Shape = Pick<MethodData, 'requestParameters' | 'requestModels' | 'methodResponses'>

export function readMethodShape(doc: Json, version: 2 | 3, item: Json, operation: Json, models: T.Model[], warnings: string[],
  where: string): Shape {
  const known = (name: string | undefined): string | undefined => {
    if (name === undefined) return undefined
    if (models.some((m) => m.name === name)) return name
    warnings.push(`Unable to find model '${name}' referenced by ${where}`)
    return undefined
  }
  const requestParameters: Record<string, boolean> = {}
  const requestModels: Record<string, string> = {}
  const consumes = listOf(operation.consumes) ?? listOf(doc.consumes) ?? ['application/json']
  const produces = listOf(operation.produces) ?? listOf(doc.produces) ?? ['application/json']
  // Path-level parameters apply to each operation, which may override them.
  for (const raw of [...arrayOf(item.parameters), ...arrayOf(operation.parameters)]) {
    const parameter = resolve(doc, raw)
    if (parameter === undefined) continue
    const name = stringAt(parameter.name)
    const location = locations[stringAt(parameter.in) ?? '']
    if (name !== undefined && location !== undefined) {
      requestParameters[`method.request.${location}.${name}`] = parameter.required === true || location === 'path'
    } else if (parameter.in === 'body') {
      const model = known(modelName(parameter.schema))
      if (model !== undefined) for (const type of consumes) requestModels[type] = model
    }
  }
  if (version === 3) {
    const body = resolve(doc, operation.requestBody)
    for (const [type, media] of Object.entries(objectAt(body?.content))) {
      const model = known(modelName(objectAt(media).schema))
      if (model !== undefined) requestModels[type] = model
    }
  }

  const methodResponses: Record<string, T.MethodResponse> = {}
  for (const [status, raw] of Object.entries(objectAt(operation.responses))) {
    if (!/^[1-5]\d\d$/.test(status)) continue
    const response = resolve(doc, raw) ?? {}
    const headers = Object.keys(objectAt(response.headers))
    const responseModels: Record<string, string> = {}
    if (version === 2) {
      const model = known(modelName(response.schema))
      if (model !== undefined) for (const type of produces) responseModels[type] = model
    } else {
      for (const [type, media] of Object.entries(objectAt(response.content))) {
        const model = known(modelName(objectAt(media).schema))
        if (model !== undefined) responseModels[type] = model
      }
    }
    methodResponses[status] = {
      statusCode: status,
      responseParameters: headers.length > 0 ? Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, false])) : undefined,
      responseModels: Object.keys(responseModels).length > 0 ? responseModels : undefined,
    }
  }
  return {
    requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
    requestModels: Object.keys(requestModels).length > 0 ? requestModels : undefined,
    methodResponses,
  }
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

function listOf(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string') ? value : undefined
}

