// DocumentationVersions: a snapshot of the API's documentation parts under a version name
// (Create — optionally associating a stage, as its `documentationVersion` —, Get, GetDocumentationVersions,
// Update of the description, Delete). Stored in the API's row.
import type { OperationContext } from '../../service.ts'
import type { DocumentationVersionData } from '../api-data.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { applyPatches, memberRule } from '../operations/patch.ts'
import { page } from '../operations/views.ts'
import type { ApiData, ApiGatewayState } from '../store.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

// [R] AWS's wording for these answers.
const versionNotFound = () => apiGatewayErrors.notFound('Invalid Documentation version identifier specified')
const versionExists = () => apiGatewayErrors.conflict('Documentation version already exists')

const versionView = (v: DocumentationVersionData): T.DocumentationVersion => ({ version: v.version, description: v.description, createdDate: new Date(v.createdDate) })

export function documentationVersionOperations(state: ApiGatewayState) {
  const api = (id: string, ctx: OperationContext) => state.api(ctx.caller.account, ctx.caller.region, id)
  const version = (rest: ApiData, name: string): DocumentationVersionData => {
    const found = rest.documentationVersions?.[name]
    if (found === undefined) throw versionNotFound()
    return found
  }

  const createVersion: Op<T.CreateDocumentationVersionRequest, T.DocumentationVersion> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    if (!/^[\w.-]{1,64}$/.test(input.documentationVersion)) throw apiGatewayErrors.badRequest(`Invalid documentation version specified: ${input.documentationVersion}`)
    if (rest.documentationVersions?.[input.documentationVersion] !== undefined) throw versionExists()
    const stage = input.stageName === undefined ? undefined : state.stage(rest, input.stageName)
    const created: DocumentationVersionData = {
      version: input.documentationVersion, description: input.description, createdDate: state.clock.now(),
      parts: structuredClone(rest.documentationParts ?? {}),
    }
    rest.documentationVersions = { ...rest.documentationVersions, [created.version]: created }
    if (stage !== undefined) {
      stage.documentationVersion = created.version
      stage.lastUpdatedDate = state.clock.now()
    }
    state.save(rest)
    return versionView(created)
  }

  const updateVersion: Op<T.UpdateDocumentationVersionRequest, T.DocumentationVersion> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const updated = structuredClone(version(rest, input.documentationVersion))
    applyPatches(updated, input.patchOperations, [
      memberRule<DocumentationVersionData>('/description', (v, value) => { v.description = String(value) }, 'string', (v) => v.description),
    ])
    rest.documentationVersions![updated.version] = updated
    state.save(rest)
    return versionView(updated)
  }

  const deleteVersion: Op<T.DeleteDocumentationVersionRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    version(rest, input.documentationVersion)
    delete rest.documentationVersions![input.documentationVersion]
    // A stage that showed it shows none now.
    for (const stage of Object.values(rest.stages)) if (stage.documentationVersion === input.documentationVersion) delete stage.documentationVersion
    state.save(rest)
  }

  return {
    CreateDocumentationVersion: createVersion,
    GetDocumentationVersion: ((input, ctx) => versionView(version(api(input.restApiId, ctx), input.documentationVersion))) as Op<T.GetDocumentationVersionRequest, T.DocumentationVersion>,
    GetDocumentationVersions: ((input, ctx) => {
      const all = Object.values(api(input.restApiId, ctx).documentationVersions ?? {}).sort((a, b) => a.createdDate - b.createdDate)
      const { items, position } = page(all, input.position, input.limit)
      return { items: items.map(versionView), position }
    }) as Op<T.GetDocumentationVersionsRequest, T.DocumentationVersions>,
    UpdateDocumentationVersion: updateVersion, DeleteDocumentationVersion: deleteVersion,
  }
}
