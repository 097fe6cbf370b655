// Request validation ("Request validation for REST APIs in API Gateway"): with the method's request
// validator, its required request parameters must be present and not blank (→ 400 BAD_REQUEST_PARAMETERS
// "Missing required request parameters: [a, b]"), and a body whose content type has a request model —
// else the `$default` one — must conform to the model's JSON Schema (→ 400 BAD_REQUEST_BODY "Invalid
// request body"). No model for the content type: the body isn't validated, as on AWS.
import type { DeploymentData } from '../api-data.ts'
import type { InvokeContext } from '../invoke/request-context.ts'
import { validateJson } from './json-schema.ts'
import { modelSchema } from './model-store.ts'

export type ValidationFailure =
  | { kind: 'parameters'; missing: string[] }
  | { kind: 'body'; errors: string[] }

/** Undefined when the request passes (or the method has no validator). */
export function validateRequest(ctx: InvokeContext, deployment: DeploymentData): ValidationFailure | undefined {
  const method = ctx.route.method
  const validatorId = method.requestValidatorId
  const validator = validatorId === undefined ? undefined : deployment.requestValidators?.[validatorId]
  if (validator === undefined) return undefined
  if (validator.validateRequestParameters === true) {
    const missing = missingParameters(ctx, method.requestParameters ?? {})
    if (missing.length > 0) return { kind: 'parameters', missing }
  }
  if (validator.validateRequestBody === true) {
    const errors = bodyErrors(ctx, deployment, method.requestModels ?? {})
    if (errors.length > 0) return { kind: 'body', errors }
  }
  return undefined
}

/** The required parameters (`method.request.{querystring,header,path}.x: true`) absent or blank, by name, in the method's order. */
function missingParameters(ctx: InvokeContext, parameters: Record<string, boolean>): string[] {
  const missing: string[] = []
  for (const [parameter, required] of Object.entries(parameters)) {
    if (!required) continue
    const m = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(parameter)
    if (m === null) continue
    const [, kind, name] = m as unknown as [string, string, string]
    const values = kind === 'path' ? [ctx.route.pathParameters[name]]
      : kind.endsWith('querystring') ? ctx.request.query.getAll(name)
      : [ctx.request.headers[name.toLowerCase()]]
    if (!values.some((v) => v !== undefined && v.trim() !== '')) missing.push(name)
  }
  return missing
}

function bodyErrors(ctx: InvokeContext, deployment: DeploymentData, requestModels: Record<string, string>): string[] {
  // The model for the request's media type (`application/json` when it names none [R]), else `$default`.
  const contentType = (ctx.request.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase()
  const modelName = Object.entries(requestModels).find(([type]) => type.toLowerCase() === contentType)?.[1] ?? requestModels['$default']
  const models = deployment.models ?? {}
  const model = modelName === undefined ? undefined : models[modelName]
  if (model === undefined) return []
  const text = ctx.request.body.toString('utf8')
  let value: unknown
  try {
    // [R] An empty body reads as an empty object.
    value = text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    return ['Invalid JSON in request body']
  }
  const lookup = (name: string) => (models[name] === undefined ? undefined : modelSchema(models[name]))
  return validateJson(modelSchema(model), value, lookup)
}
