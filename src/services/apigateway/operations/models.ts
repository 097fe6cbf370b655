// Models (JSON Schema draft 4 documents a method's requestModels name) and request validators
// (which of a method's parameters and body API Gateway checks): their control plane.
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../ids.ts'
import { referencedModels } from '../models/json-schema.ts'
import { apiModels } from '../models/model-store.ts'
import type { ApiData, ApiGatewayState, ModelData } from '../store.ts'
import { page } from './views.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** [R] The wording of AWS's refusals here is recalled (README). */
const errors = {
  modelNotFound: (name: string) => apiGatewayErrors.notFound(`Invalid model name specified: ${name}`),
  modelExists: () => apiGatewayErrors.conflict('Model name already exists for this REST API'),
  badModelName: () => apiGatewayErrors.badRequest('Model name must be non-empty and alphanumeric'),
  badSchema: (why: string) => apiGatewayErrors.badRequest(`Invalid model specified: Validation Result: warnings : [], errors : [${why}]`),
  modelInUse: (name: string, where: string) => apiGatewayErrors.conflict(`Cannot delete model '${name}', is referenced in method request: ${where}`),
  validatorNotFound: () => apiGatewayErrors.notFound('Invalid Request Validator identifier specified'),
  badPatch: (path: string) => apiGatewayErrors.badRequest(`Invalid patch path ${path}`),
}

const modelView = (m: ModelData): T.Model => ({ id: m.id, name: m.name, description: m.description, schema: m.schema, contentType: m.contentType })

/** A schema must be a JSON object, and every model it references by URL must exist. */
function checkSchema(api: ApiData, schema: string | undefined): void {
  if (schema === undefined || schema.trim() === '') return
  let parsed: unknown
  try {
    parsed = JSON.parse(schema)
  } catch {
    throw errors.badSchema('Invalid model schema specified. The schema is not valid JSON.')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw errors.badSchema('Invalid model schema specified. The schema must be an object.')
  const models = apiModels(api)
  const missing = referencedModels(parsed).filter((name) => models[name] === undefined)
  if (missing.length > 0) throw errors.badSchema(`Invalid model schema specified. Unresolvable reference to model(s): ${missing.join(', ')}`)
}

export function modelOperations(state: ApiGatewayState) {
  const api = (id: string, ctx: OperationContext) => state.api(ctx.caller.account, ctx.caller.region, id)
  const model = (rest: ApiData, name: string): ModelData => {
    const found = apiModels(rest)[name]
    if (found === undefined) throw errors.modelNotFound(name)
    return found
  }
  const validator = (rest: ApiData, id: string): T.RequestValidator => {
    const found = rest.requestValidators?.[id]
    if (found === undefined) throw errors.validatorNotFound()
    return found
  }

  const createModel: Op<T.CreateModelRequest, T.Model> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    if (!/^[a-zA-Z0-9]+$/.test(input.name ?? '')) throw errors.badModelName()
    const models = apiModels(rest)
    if (models[input.name] !== undefined) throw errors.modelExists()
    checkSchema(rest, input.schema)
    const created: ModelData = { id: newId(6), name: input.name, description: input.description, schema: input.schema, contentType: input.contentType }
    models[input.name] = created
    state.save(rest)
    return modelView(created)
  }

  const getModel: Op<T.GetModelRequest, T.Model> = (input, ctx) => modelView(model(api(input.restApiId, ctx), input.modelName))

  const getModels: Op<T.GetModelsRequest, T.Models> = (input, ctx) => {
    const all = Object.values(apiModels(api(input.restApiId, ctx))).sort((a, b) => a.name.localeCompare(b.name))
    const { items, position } = page(all, input.position, input.limit)
    return { items: items.map(modelView), position }
  }

  const updateModel: Op<T.UpdateModelRequest, T.Model> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const updated = { ...model(rest, input.modelName) }
    for (const patch of input.patchOperations ?? []) {
      if (patch.op !== 'replace') throw errors.badPatch(patch.path ?? '')
      if (patch.path === '/schema') {
        checkSchema(rest, patch.value)
        updated.schema = patch.value
      } else if (patch.path === '/description') updated.description = patch.value
      else throw errors.badPatch(patch.path ?? '')
    }
    apiModels(rest)[input.modelName] = updated
    state.save(rest)
    return modelView(updated)
  }

  const deleteModel: Op<T.DeleteModelRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    model(rest, input.modelName)
    for (const resource of Object.values(rest.resources)) {
      for (const method of Object.values(resource.methods)) {
        if (Object.values(method.requestModels ?? {}).includes(input.modelName)) throw errors.modelInUse(input.modelName, `${resource.path}/${method.httpMethod}`)
      }
    }
    delete apiModels(rest)[input.modelName]
    state.save(rest)
  }

  const createRequestValidator: Op<T.CreateRequestValidatorRequest, T.RequestValidator> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const validators = (rest.requestValidators ??= {})
    let id = newId(6)
    while (validators[id] !== undefined) id = newId(6)
    const created: T.RequestValidator = {
      id, name: input.name, validateRequestBody: input.validateRequestBody ?? false, validateRequestParameters: input.validateRequestParameters ?? false,
    }
    validators[id] = created
    state.save(rest)
    return created
  }

  const getRequestValidator: Op<T.GetRequestValidatorRequest, T.RequestValidator> = (input, ctx) =>
    validator(api(input.restApiId, ctx), input.requestValidatorId)

  const getRequestValidators: Op<T.GetRequestValidatorsRequest, T.RequestValidators> = (input, ctx) => {
    const { items, position } = page(Object.values(api(input.restApiId, ctx).requestValidators ?? {}), input.position, input.limit)
    return { items, position }
  }

  const updateRequestValidator: Op<T.UpdateRequestValidatorRequest, T.RequestValidator> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const updated = { ...validator(rest, input.requestValidatorId) }
    for (const patch of input.patchOperations ?? []) {
      if (patch.op !== 'replace') throw errors.badPatch(patch.path ?? '')
      if (patch.path === '/name') updated.name = patch.value
      else if (patch.path === '/validateRequestBody' || patch.path === '/validateRequestParameters') {
        if (patch.value !== 'true' && patch.value !== 'false') throw apiGatewayErrors.badRequest(`Invalid value for ${patch.path}: ${patch.value ?? 'null'}`)
        updated[patch.path === '/validateRequestBody' ? 'validateRequestBody' : 'validateRequestParameters'] = patch.value === 'true'
      } else throw errors.badPatch(patch.path ?? '')
    }
    rest.requestValidators![updated.id!] = updated
    state.save(rest)
    return updated
  }

  const deleteRequestValidator: Op<T.DeleteRequestValidatorRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    validator(rest, input.requestValidatorId)
    delete rest.requestValidators![input.requestValidatorId]
    state.save(rest)
  }

  return {
    CreateModel: createModel, GetModel: getModel, GetModels: getModels, UpdateModel: updateModel, DeleteModel: deleteModel,
    CreateRequestValidator: createRequestValidator, GetRequestValidator: getRequestValidator, GetRequestValidators: getRequestValidators,
    UpdateRequestValidator: updateRequestValidator, DeleteRequestValidator: deleteRequestValidator,
  }
}

/** PutMethod's checks of what a method names: its validator and its models must exist [R: the messages]. */
export function checkMethodReferences(rest: ApiData, requestValidatorId: string | undefined, requestModels: Record<string, string> | undefined): void {
  if (requestValidatorId !== undefined && requestValidatorId !== '' && rest.requestValidators?.[requestValidatorId] === undefined) {
    throw apiGatewayErrors.badRequest('Invalid Request Validator identifier specified')
  }
  const models = apiModels(rest)
  for (const name of Object.values(requestModels ?? {})) {
    if (models[name] === undefined) throw apiGatewayErrors.badRequest(`Invalid model identifier specified: ${name}`)
  }
}
