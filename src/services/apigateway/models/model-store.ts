// A REST API's models: the two AWS creates with every API (`Empty` and `Error`, with AWS's own schema
// text) and the parsed schemas the request validator reads, by model name.
import type { ApiData, DeploymentData, ModelData } from '../api-data.ts'
import { newId } from '../ids.ts'

const emptySchema = '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}'
const errorSchema = '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n  "type" : "object",\n' +
  '  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}'

/** The API's models, AWS's built-ins made on first use (an API stored before models existed gets them too); save the API after. */
export function apiModels(api: ApiData): Record<string, ModelData> {
  api.models ??= {
    Error: { id: newId(6), name: 'Error', description: 'This is a default error schema model', schema: errorSchema, contentType: 'application/json' },
    Empty: { id: newId(6), name: 'Empty', description: 'This is a default empty schema model', schema: emptySchema, contentType: 'application/json' },
  }
  return api.models
}

const parsed = new WeakMap<ModelData, { text: string | undefined; value: unknown }>()

/** A model's schema as JSON (an empty object for none), parsed once per schema text. */
export function modelSchema(model: ModelData): unknown {
  const cached = parsed.get(model)
  if (cached !== undefined && cached.text === model.schema) return cached.value
  let value: unknown = {}
  try {
    if (model.schema !== undefined && model.schema.trim() !== '') value = JSON.parse(model.schema)
  } catch {
    value = {}
  }
  parsed.set(model, { text: model.schema, value })
  return value
}

/** What a deployment keeps besides its resources: the data plane validates and answers with these until the next deployment. */
export function deploymentExtras(api: ApiData): Pick<DeploymentData, 'models' | 'requestValidators' | 'gatewayResponses' | 'policy'> {
  return {
    ...(api.policy !== undefined && api.policy !== '' && { policy: api.policy }),
    models: structuredClone(apiModels(api)),
    requestValidators: structuredClone(api.requestValidators ?? {}),
    gatewayResponses: structuredClone(api.gatewayResponses ?? {}),
  }
}
