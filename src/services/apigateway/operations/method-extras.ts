// The REST control plane's smaller leftovers: DeleteIntegrationResponse, and GetModelTemplate — a VTL
// mapping template generated from a model's schema (core/model-template.ts), following `$ref`s to the
// API's other models by their model URLs.
import { modelTemplate } from '../../../core/model-template.ts'
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { apiModels, modelSchema } from '../models/model-store.ts'
import type { ApiGatewayState } from '../store.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

export function methodExtraOperations(state: ApiGatewayState) {
  const api = (id: string, ctx: OperationContext) => state.api(ctx.caller.account, ctx.caller.region, id)

  const deleteIntegrationResponse: Op<T.DeleteIntegrationResponseRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const integration = state.method(rest, input.resourceId, input.httpMethod).integration
    if (integration === undefined) throw apiGatewayErrors.integrationNotFound()
    if (integration.integrationResponses[input.statusCode] === undefined) throw apiGatewayErrors.responseNotFound()
    delete integration.integrationResponses[input.statusCode]
    state.save(rest)
  }

  const getModelTemplate: Op<T.GetModelTemplateRequest, T.Template> = (input, ctx) => {
    const models = apiModels(api(input.restApiId, ctx))
    const model = models[input.modelName]
    // [R] the same answer as GetModel's.
    if (model === undefined) throw apiGatewayErrors.notFound(`Invalid model name specified: ${input.modelName}`)
    const lookup = (name: string) => {
      const other = models[name]
      const schema = other === undefined ? undefined : modelSchema(other)
      return typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? schema as Record<string, unknown> : undefined
    }
    try {
      return { value: modelTemplate(model.schema ?? '{}', lookup) }
    } catch {
      throw apiGatewayErrors.badRequest(`Invalid model schema specified for model ${input.modelName}`)
    }
  }

  return { DeleteIntegrationResponse: deleteIntegrationResponse, GetModelTemplate: getModelTemplate }
}
