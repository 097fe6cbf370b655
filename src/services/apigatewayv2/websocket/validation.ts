// Request validation for WebSocket APIs (AWS's "Request validation for WebSocket APIs"): a route with a
// ModelSelectionExpression validates each message against the RequestModels entry the expression
// selects — else the `$default` model; neither: the validation fails — with REST APIs' JSON Schema
// draft 4 validator (apigateway's port). A failure never reaches the backend: the client gets the
// "Bad request body" gateway response as an error frame.
import type { MappingPort } from '../../apigateway/port.ts'
import type { HttpApiData, ModelData, RouteData } from '../data.ts'
import { bodyLookup, evaluateSelection } from './selection.ts'

/** The "Bad request body" gateway response's message, as REST APIs' BAD_REQUEST_BODY default [R: for WebSocket APIs]. */
export const badRequestBody = 'Invalid request body'

function schemaOf(model: ModelData): unknown {
  try {
    return model.schema === undefined || model.schema.trim() === '' ? {} : JSON.parse(model.schema) as unknown
  } catch {
    return {}
  }
}

/** Undefined when the message passes (or the route validates nothing); else why it fails, for Nimbus's log. */
export function messageValidationFailure(mapping: (() => MappingPort) | undefined, api: HttpApiData, route: RouteData, body: string): string | undefined {
  // "Model validation occurs if you provide a model selection expression".
  const expression = route.modelSelectionExpression
  if (expression === undefined) return undefined
  const models = route.requestModels ?? {}
  const key = evaluateSelection(expression, bodyLookup(body))
  const name = (key === undefined ? undefined : models[key]) ?? models['$default']
  if (name === undefined) return `no request model for ${key ?? 'the message'} and no $default model`
  const byName = new Map(Object.values(api.models ?? {}).map((m) => [m.name, m]))
  const model = byName.get(name)
  if (model === undefined) return `the request model ${name} no longer exists`
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    return 'the message is not JSON'
  }
  const validator = mapping?.()
  if (validator === undefined) return 'request models need API Gateway (REST APIs), which is not loaded'
  const lookup = (other: string) => {
    const found = byName.get(other)
    return found === undefined ? undefined : schemaOf(found)
  }
  const errors = validator.validateJson(schemaOf(model), value, lookup)
  return errors.length === 0 ? undefined : `the message breaks model ${name}: ${errors.join('; ')}`
}
