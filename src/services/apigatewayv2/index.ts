// API Gateway V2 (HTTP APIs): the control plane (APIs with quick create, routes, integrations,
// stages, deployments) and, through its port, the data plane of each stage at the execute-api hosts.
import type { Clock } from '../../core/clock.ts'
import { HttpClient } from '../../core/http-client.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import type { LambdaPort } from '../lambda/port.ts'
import { defineService, type InProcessAwsCall, type OperationTable, type ServiceDefinition } from '../service.ts'
import { httpApiConsole } from './console.ts'
import { apiGatewayV2Descriptor } from './descriptor.ts'
import { apiGatewayV2Errors } from './errors.ts'
import { model } from './generated/model.ts'
import type { apigatewayv2Operations } from './generated/types.ts'
import { serveHttpApi } from './invoke/serve.ts'
import { apiOperations } from './operations/apis.ts'
import { authorizerOperations } from './operations/authorizers.ts'
import { routeOperations } from './operations/routes.ts'
import { updateOperations } from './operations/updates.ts'
import { exportOperations } from './openapi/export-api.ts'
import { importOperations } from './openapi/import-api.ts'
import type { ApiGatewayV2Port } from './port.ts'
import { HttpApiState } from './store.ts'

export interface ApiGatewayV2Deps {
  clock: Clock
  lambda: LambdaPort
  log: (line: string) => void
  /** First-class AWS service integrations (SQS, EventBridge, Kinesis) call the service in process through the gateway's pipeline. */
  awsCall?: InProcessAwsCall
  /** With a data dir, every HTTP API is durable (read back here at creation); else in memory. */
  persistence?: Persistence
}

export function createApiGatewayV2(deps: ApiGatewayV2Deps): { definition: ServiceDefinition; port: ApiGatewayV2Port; state: HttpApiState } {
  const durable = deps.persistence?.durable === true ? deps.persistence : undefined
  const state = new HttpApiState(deps.clock, durable)
  // HTTP_PROXY integrations' backend calls (their timeouts on Nimbus's clock).
  const http = new HttpClient(deps.clock)
  const base = {
    ...apiOperations(state, deps.log),
    ...routeOperations(state),
    ...authorizerOperations(state),
    ...updateOperations(state),
  }
  // OpenAPI import goes through the Create* operations above, so it checks what they check.
  const operations = {
    ...base,
    ...importOperations(state, base),
    ...exportOperations(state),
  } satisfies OperationTable<apigatewayv2Operations>

  const definition = defineService({
    name: apiGatewayV2Descriptor.name,
    signingName: apiGatewayV2Descriptor.signingName,
    model: new ServiceModel(model),
    protocols: apiGatewayV2Descriptor.protocols,
    pathPrefixes: apiGatewayV2Descriptor.pathPrefixes,
    operations,
    errors: { missingParameter: apiGatewayV2Errors.missingParameter },
    reset: () => {
      http.abortAll()
      state.reset()
    },
    stop: () => {
      http.abortAll()
      if (durable === undefined) state.apis.clear()
    },
    health: () => ({ status: 'running', httpApis: state.apis.size, inFlight: state.inFlight }),
    console: httpApiConsole(state),
  })
  const port: ApiGatewayV2Port = {
    serve: (request, target) => serveHttpApi({ state, lambda: deps.lambda, log: deps.log, awsCall: deps.awsCall, http }, request, target),
    describe: (apiId) => {
      const api = state.apis.get(apiId)
      return api === undefined ? undefined : { cors: api.cors !== undefined }
    },
  }
  return { definition, port, state }
}
