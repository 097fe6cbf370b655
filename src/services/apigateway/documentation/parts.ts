// DocumentationParts: Create/Get/GetDocumentationParts/Update/Delete and ImportDocumentationParts (an
// OpenAPI document's `x-amazon-apigateway-documentation.documentationParts`, mode merge or overwrite).
// One part per location; `properties` is a JSON object's text. Stored in the API's row.
import { isObject } from '../../../core/openapi-document.ts'
import type { OperationContext } from '../../service.ts'
import type { DocumentationPartData } from '../api-data.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../ids.ts'
import { readDocument } from '../openapi/document.ts'
import { applyPatches, memberRule } from '../operations/patch.ts'
import { page } from '../operations/views.ts'
import type { ApiData, ApiGatewayState } from '../store.ts'
import { documented, normaliseLocation, sameLocation } from './locations.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

// [R] AWS's wording for these answers.
const partNotFound = () => apiGatewayErrors.notFound('Invalid Documentation part identifier specified')
const partExists = () => apiGatewayErrors.conflict('Documentation part already exists for the given location')

export const partView = (p: DocumentationPartData): T.DocumentationPart => ({ id: p.id, location: { ...p.location }, properties: p.properties })

/** `properties` must be a JSON object [R: the message]. */
function checkProperties(text: string | undefined): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(text ?? '')
  } catch {
    throw apiGatewayErrors.badRequest('Invalid Documentation Part properties: the properties must be a valid JSON object')
  }
  if (!isObject(parsed)) throw apiGatewayErrors.badRequest('Invalid Documentation Part properties: the properties must be a valid JSON object')
  return text!
}

/** An id none of the part maps holds. */
function newPartId(...taken: Array<Record<string, DocumentationPartData> | undefined>): string {
  let id = newId(6)
  while (taken.some((parts) => parts?.[id] !== undefined)) id = newId(6)
  return id
}

export function documentationPartOperations(state: ApiGatewayState) {
  const api = (id: string, ctx: OperationContext) => state.api(ctx.caller.account, ctx.caller.region, id)
  const part = (rest: ApiData, id: string): DocumentationPartData => {
    const found = rest.documentationParts?.[id]
    if (found === undefined) throw partNotFound()
    return found
  }

  const createPart: Op<T.CreateDocumentationPartRequest, T.DocumentationPart> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const location = normaliseLocation(input.location)
    const properties = checkProperties(input.properties)
    if (Object.values(rest.documentationParts ?? {}).some((p) => sameLocation(p.location, location))) throw partExists()
    const created: DocumentationPartData = { id: newPartId(rest.documentationParts), location, properties }
    rest.documentationParts = { ...rest.documentationParts, [created.id]: created }
    state.save(rest)
    return partView(created)
  }

  const getParts: Op<T.GetDocumentationPartsRequest, T.DocumentationParts> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const all = Object.values(rest.documentationParts ?? {})
      .filter((p) => input.type === undefined || p.location.type === input.type)
      .filter((p) => input.path === undefined || p.location.path === input.path)
      .filter((p) => input.nameQuery === undefined || (p.location.name ?? '').includes(input.nameQuery))
      .filter((p) => input.locationStatus === undefined || documented(rest, p.location) === (input.locationStatus === 'DOCUMENTED'))
    const { items, position } = page(all, input.position, input.limit)
    return { items: items.map(partView), position }
  }

  const updatePart: Op<T.UpdateDocumentationPartRequest, T.DocumentationPart> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const updated = structuredClone(part(rest, input.documentationPartId))
    applyPatches(updated, input.patchOperations, [
      memberRule<DocumentationPartData>('/properties', (p, v) => { p.properties = checkProperties(String(v)) }, 'string', (p) => p.properties),
    ])
    rest.documentationParts![updated.id] = updated
    state.save(rest)
    return partView(updated)
  }

  const deletePart: Op<T.DeleteDocumentationPartRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    part(rest, input.documentationPartId)
    delete rest.documentationParts![input.documentationPartId]
    state.save(rest)
  }

  /** Each `{location, properties}` of the document's documentation; a bad one is a warning, fatal with failOnWarnings [R]. */
  const importParts: Op<T.ImportDocumentationPartsRequest, T.DocumentationPartIds> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const { doc } = readDocument(input.body)
    const documentation = doc['x-amazon-apigateway-documentation']
    const entries = isObject(documentation) && Array.isArray(documentation.documentationParts) ? documentation.documentationParts : []
    const parts: Record<string, DocumentationPartData> = input.mode === 'overwrite' ? {} : structuredClone(rest.documentationParts ?? {})
    const ids: string[] = []
    const warnings: string[] = []
    entries.forEach((entry: unknown, index) => {
      try {
        if (!isObject(entry)) throw apiGatewayErrors.badRequest('Documentation part must be an object')
        const location = normaliseLocation(entry.location as T.DocumentationPartLocation)
        const properties = checkProperties(typeof entry.properties === 'string' ? entry.properties : JSON.stringify(entry.properties ?? {}))
        // Merge: a part at the same location is replaced in place (its id kept).
        const existing = Object.values(parts).find((p) => sameLocation(p.location, location))
        const id = existing?.id ?? newPartId(parts, rest.documentationParts)
        parts[id] = { id, location, properties }
        ids.push(id)
      } catch (error) {
        warnings.push(`documentationParts[${index}]: ${(error as Error).message}`)
      }
    })
    if (warnings.length > 0 && input.failOnWarnings === true) throw apiGatewayErrors.badRequest(`Warnings found during import:\n\t${warnings.join('\n\t')}`)
    rest.documentationParts = parts
    state.save(rest)
    return { ids, ...(warnings.length > 0 && { warnings }) }
  }

  return {
    CreateDocumentationPart: createPart,
    GetDocumentationPart: ((input, ctx) => partView(part(api(input.restApiId, ctx), input.documentationPartId))) as Op<T.GetDocumentationPartRequest, T.DocumentationPart>,
    GetDocumentationParts: getParts, UpdateDocumentationPart: updatePart, DeleteDocumentationPart: deletePart,
    ImportDocumentationParts: importParts,
  }
}
