// The API Gateway management API: PostToConnection, GetConnection and DeleteConnection on a WebSocket
// API's open connections (kept by apigatewayv2, reached through its port), at the API's own URL.
import { AwsError } from '../../protocol/errors.ts'
import type { HttpRequest } from '../../protocol/http.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { ApiGatewayV2Port } from '../apigatewayv2/port.ts'
import { defineService, type OperationContext, type OperationTable, type ServiceDefinition } from '../service.ts'
import { apiGatewayManagementDescriptor } from './descriptor.ts'
import { model } from './generated/model.ts'
import type * as T from './generated/types.ts'

export interface ApiGatewayManagementDeps {
  /** apigatewayv2's port once loaded: before that no WebSocket API (so no connection) exists. */
  webSocketApis: () => ApiGatewayV2Port | undefined
}

/** AWS's largest PostToConnection payload (the WebSocket message payload quota, 128 KB). */
const maxPayloadBytes = 128 * 1024

// [R] AWS answers an unknown or closed connection 410 GoneException, its body without a message.
const gone = () => new AwsError('GoneException', '', { status: 410 })

/**
 * The SDK sends `{endpoint path}/@connections/{id}`: the stage of `http://{api}.execute-api…/{stage}`, or
 * `/restapis/{api}/{stage}/_user_request_` in the path form. The operations are routed without it.
 */
function normalizeRequest(request: HttpRequest): HttpRequest {
  const at = request.rawPath.indexOf('/@connections')
  return at <= 0 ? request : { ...request, rawPath: request.rawPath.slice(at) }
}

/** The API the URL names (its Host's `{apiId}.execute-api.` prefix), if any: a connection of another API is gone. */
const apiOf = (ctx: OperationContext) => /^([a-z0-9]+)\.execute-api\./.exec(ctx.host)?.[1]

export function createApiGatewayManagement(deps: ApiGatewayManagementDeps): { definition: ServiceDefinition; port: Record<string, never> } {
  const connections = () => deps.webSocketApis()?.connections

  const postToConnection = (input: T.PostToConnectionRequest, ctx: OperationContext): void => {
    const data = Buffer.from(input.Data ?? new Uint8Array())
    if (data.length > maxPayloadBytes) {
      throw new AwsError('PayloadTooLargeException', `Message payload size exceeds the limit of ${maxPayloadBytes} bytes`, { status: 413 })
    }
    if (connections()?.post(input.ConnectionId, data, apiOf(ctx)) !== true) throw gone()
  }

  const getConnection = (input: T.GetConnectionRequest, ctx: OperationContext): T.GetConnectionResponse => {
    const found = connections()?.get(input.ConnectionId, apiOf(ctx))
    if (found === undefined) throw gone()
    return {
      ConnectedAt: new Date(found.connectedAt), LastActiveAt: new Date(found.lastActiveAt),
      Identity: { SourceIp: found.sourceIp, UserAgent: found.userAgent },
    }
  }

  const deleteConnection = (input: T.DeleteConnectionRequest, ctx: OperationContext): void => {
    if (connections()?.delete(input.ConnectionId, apiOf(ctx)) !== true) throw gone()
  }

  const definition = defineService({
    name: apiGatewayManagementDescriptor.name,
    signingName: apiGatewayManagementDescriptor.signingName,
    model: new ServiceModel(model),
    protocols: apiGatewayManagementDescriptor.protocols,
    operations: { PostToConnection: postToConnection, GetConnection: getConnection, DeleteConnection: deleteConnection } satisfies OperationTable<T.apigatewaymanagementapiOperations>,
    errors: { missingParameter: (name) => new AwsError('BadRequestException', `Invalid request input: ${name} must not be null`, { status: 400 }) },
    normalizeRequest,
    // AWS authorizes every @connections call as execute-api:ManageConnections (on the connection's ARN).
    iamActions: { PostToConnection: 'ManageConnections', GetConnection: 'ManageConnections', DeleteConnection: 'ManageConnections' },
    // Stateless itself: the connections are apigatewayv2's.
    health: () => ({ status: 'running' }),
    reset: () => {},
  })
  return { definition, port: {} }
}
