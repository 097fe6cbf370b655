// WebSocket APIs' models (CreateModel, GetModel(s), UpdateModel, DeleteModel, GetModelTemplate): JSON
// Schema documents a route's RequestModels name, stored with the API (its row). AWS supports models
// for WebSocket APIs only [R: the refusal's wording for an HTTP API].
import { modelTemplate } from '../../../core/model-template.ts'
import type { OperationContext } from '../../service.ts'
import type { HttpApiData, ModelData } from '../data.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId, type HttpApiState } from '../store.ts'
import { page } from './pages.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

// [R] AWS's wording for these answers.
const modelNotFound = (id: string) => apiGatewayV2Errors.notFound(`Invalid Model identifier specified ${id}`)
const badName = (name: string) => apiGatewayV2Errors.badRequest(`Invalid model name specified: ${name}. Model names must be alphanumeric.`)

const modelView = (m: ModelData): T.Model => ({ ModelId: m.id, Name: m.name, Schema: m.schema, ContentType: m.contentType, Description: m.description })

/** A schema must be a JSON object (AWS validates it as JSON Schema draft 4) [R: the message]. */
function checkSchema(schema: string): void {
  let parsed: unknown
  try {
    parsed = JSON.parse(schema)
  } catch {
    throw apiGatewayV2Errors.badRequest('Invalid model schema specified. The schema is not valid JSON.')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw apiGatewayV2Errors.badRequest('Invalid model schema specified. The schema must be a JSON object.')
  }
}

export function modelOperations(state: HttpApiState) {
  const own = (ctx: OperationContext, id: string): HttpApiData => {
    const api = state.api(ctx.caller.account, ctx.caller.region, id)
    if (api.protocolType !== 'WEBSOCKET') throw apiGatewayV2Errors.badRequest('Models are supported only for WebSocket APIs')
    return api
  }
  const model = (api: HttpApiData, id: string): ModelData => {
    const found = api.models?.[id]
    if (found === undefined) throw modelNotFound(id)
    return found
  }
  const checkName = (api: HttpApiData, name: string, id: string | undefined) => {
    if (!/^[a-zA-Z0-9]{1,128}$/.test(name)) throw badName(name)
    if (Object.values(api.models ?? {}).some((m) => m.name === name && m.id !== id)) {
      throw apiGatewayV2Errors.conflict(`Model with name ${name} already exists for this API`)
    }
  }

  const createModel: Op<T.CreateModelRequest, T.CreateModelResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    checkName(api, input.Name, undefined)
    checkSchema(input.Schema)
    const models = (api.models ??= {})
    let id = newId(6)
    while (models[id] !== undefined) id = newId(6)
    const created: ModelData = { id, name: input.Name, schema: input.Schema, contentType: input.ContentType ?? 'application/json', description: input.Description }
    models[id] = created
    state.save(api)
    return modelView(created)
  }

  const updateModel: Op<T.UpdateModelRequest, T.UpdateModelResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const found = model(api, input.ModelId)
    if (input.Name !== undefined) checkName(api, input.Name, found.id)
    if (input.Schema !== undefined) checkSchema(input.Schema)
    const updated: ModelData = {
      ...found, ...(input.Name !== undefined && { name: input.Name }), ...(input.Schema !== undefined && { schema: input.Schema }),
      ...(input.ContentType !== undefined && { contentType: input.ContentType }), ...(input.Description !== undefined && { description: input.Description }),
    }
    api.models![found.id] = updated
    state.save(api)
    return modelView(updated)
  }

  const deleteModel: Op<T.DeleteModelRequest, void> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const found = model(api, input.ModelId)
    // [R] A model a route or route response names can't go.
    const used = Object.values(api.routes).some((r) => Object.values(r.requestModels ?? {}).includes(found.name)
      || Object.values(r.responses ?? {}).some((response) => Object.values(response.responseModels ?? {}).includes(found.name)))
    if (used) throw apiGatewayV2Errors.conflict(`Model ${found.name} is referenced by one or more routes`)
    delete api.models![found.id]
    state.save(api)
  }

  const getModelTemplate: Op<T.GetModelTemplateRequest, T.GetModelTemplateResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const found = model(api, input.ModelId)
    const byName = (name: string) => {
      const other = Object.values(api.models ?? {}).find((m) => m.name === name)
      try {
        return other?.schema === undefined ? undefined : JSON.parse(other.schema) as Record<string, unknown>
      } catch {
        return undefined
      }
    }
    return { Value: modelTemplate(found.schema ?? '{}', byName) }
  }

  return {
    CreateModel: createModel,
    GetModel: ((input, ctx) => modelView(model(own(ctx, input.ApiId), input.ModelId))) as Op<T.GetModelRequest, T.GetModelResponse>,
    GetModels: ((input, ctx) => page(Object.values(own(ctx, input.ApiId).models ?? {}).map(modelView), input)) as Op<T.GetModelsRequest, T.GetModelsResponse>,
    UpdateModel: updateModel, DeleteModel: deleteModel, GetModelTemplate: getModelTemplate,
  }
}
