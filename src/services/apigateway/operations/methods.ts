// Methods, method responses, integrations and integration responses on a resource.
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import { integrationUriProblem } from '../integration-uri.ts'
import type * as T from '../generated/types.ts'
import type { ApiGatewayState, IntegrationData, MethodData } from '../store.ts'
import { integrationView, methodView } from './views.ts'
import { checkMethodReferences } from './models.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const verbs = new Set(['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY'])

/** Types whose backend is addressed by `uri` (AWS rejects them without one). */
const needsUri = new Set(['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY'])

export function methodOperations(state: ApiGatewayState) {
  const api = (id: string, ctx: OperationContext) => state.api(ctx.caller.account, ctx.caller.region, id)
  const integrationOf = (method: MethodData): IntegrationData => {
    if (method.integration === undefined) throw apiGatewayErrors.integrationNotFound()
    return method.integration
  }

  const putMethod: Op<T.PutMethodRequest, T.Method> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const resource = state.resource(rest, input.resourceId)
    const verb = input.httpMethod.toUpperCase()
    if (!verbs.has(verb)) throw apiGatewayErrors.invalidHttpMethod()
    if (resource.methods[verb] !== undefined) throw apiGatewayErrors.methodExists()
    checkMethodReferences(rest, input.requestValidatorId, input.requestModels)
    const method: MethodData = {
      httpMethod: verb, authorizationType: input.authorizationType, authorizerId: input.authorizerId,
      apiKeyRequired: input.apiKeyRequired ?? false, operationName: input.operationName, requestParameters: input.requestParameters,
      requestModels: input.requestModels, requestValidatorId: input.requestValidatorId || undefined, methodResponses: {},
    }
    resource.methods[verb] = method
    state.save(rest)
    return methodView(method)
  }

  const getMethod: Op<T.GetMethodRequest, T.Method> = (input, ctx) =>
    methodView(state.method(api(input.restApiId, ctx), input.resourceId, input.httpMethod))

  const deleteMethod: Op<T.DeleteMethodRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    state.method(rest, input.resourceId, input.httpMethod)
    delete state.resource(rest, input.resourceId).methods[input.httpMethod.toUpperCase()]
    state.save(rest)
  }

  const putMethodResponse: Op<T.PutMethodResponseRequest, T.MethodResponse> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const method = state.method(rest, input.resourceId, input.httpMethod)
    const response: T.MethodResponse = { statusCode: input.statusCode, responseParameters: input.responseParameters, responseModels: input.responseModels }
    method.methodResponses[input.statusCode] = response
    state.save(rest)
    return response
  }

  const getMethodResponse: Op<T.GetMethodResponseRequest, T.MethodResponse> = (input, ctx) => {
    const response = state.method(api(input.restApiId, ctx), input.resourceId, input.httpMethod).methodResponses[input.statusCode]
    if (response === undefined) throw apiGatewayErrors.responseNotFound()
    return response
  }

  const deleteMethodResponse: Op<T.DeleteMethodResponseRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const method = state.method(rest, input.resourceId, input.httpMethod)
    if (method.methodResponses[input.statusCode] === undefined) throw apiGatewayErrors.responseNotFound()
    delete method.methodResponses[input.statusCode]
    state.save(rest)
  }

  const putIntegration: Op<T.PutIntegrationRequest, T.Integration> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const method = state.method(rest, input.resourceId, input.httpMethod)
    if (needsUri.has(input.type)) {
      if (input.integrationHttpMethod === undefined || input.integrationHttpMethod === '') throw apiGatewayErrors.invalidIntegrationMethod()
      if (input.uri === undefined || input.uri === '') throw apiGatewayErrors.invalidUri()
      const problem = integrationUriProblem(input.type, input.uri)
      if (problem !== undefined) throw apiGatewayErrors.badRequest(problem)
    }
    const integration: IntegrationData = {
      type: input.type, httpMethod: input.integrationHttpMethod, uri: input.uri, connectionType: input.connectionType,
      connectionId: input.connectionId, credentials: input.credentials, requestParameters: input.requestParameters,
      requestTemplates: input.requestTemplates, passthroughBehavior: input.passthroughBehavior ?? 'WHEN_NO_MATCH',
      cacheNamespace: input.cacheNamespace ?? input.resourceId, cacheKeyParameters: input.cacheKeyParameters ?? [],
      contentHandling: input.contentHandling, timeoutInMillis: input.timeoutInMillis ?? 29_000, tlsConfig: input.tlsConfig,
      integrationResponses: {},
    }
    method.integration = integration
    state.save(rest)
    return integrationView(integration)
  }

  const getIntegration: Op<T.GetIntegrationRequest, T.Integration> = (input, ctx) =>
    integrationView(integrationOf(state.method(api(input.restApiId, ctx), input.resourceId, input.httpMethod)))

  const deleteIntegration: Op<T.DeleteIntegrationRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const method = state.method(rest, input.resourceId, input.httpMethod)
    integrationOf(method)
    delete method.integration
    state.save(rest)
  }

  const putIntegrationResponse: Op<T.PutIntegrationResponseRequest, T.IntegrationResponse> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const method = state.method(rest, input.resourceId, input.httpMethod)
    const integration = integrationOf(method)
    // AWS maps an integration response onto a declared method response of the same status.
    if (method.methodResponses[input.statusCode] === undefined) throw apiGatewayErrors.responseNotFound()
    const response: T.IntegrationResponse = {
      statusCode: input.statusCode, selectionPattern: input.selectionPattern, responseParameters: input.responseParameters,
      responseTemplates: input.responseTemplates, contentHandling: input.contentHandling,
    }
    integration.integrationResponses[input.statusCode] = response
    state.save(rest)
    return response
  }

  const getIntegrationResponse: Op<T.GetIntegrationResponseRequest, T.IntegrationResponse> = (input, ctx) => {
    const integration = integrationOf(state.method(api(input.restApiId, ctx), input.resourceId, input.httpMethod))
    const response = integration.integrationResponses[input.statusCode]
    if (response === undefined) throw apiGatewayErrors.responseNotFound()
    return response
  }

  return {
    PutMethod: putMethod, GetMethod: getMethod, DeleteMethod: deleteMethod,
    PutMethodResponse: putMethodResponse, GetMethodResponse: getMethodResponse, DeleteMethodResponse: deleteMethodResponse,
    PutIntegration: putIntegration, GetIntegration: getIntegration, DeleteIntegration: deleteIntegration,
    PutIntegrationResponse: putIntegrationResponse, GetIntegrationResponse: getIntegrationResponse,
  }
}
