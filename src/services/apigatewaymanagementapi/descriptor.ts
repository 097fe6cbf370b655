// What identifies the API Gateway management API (`@connections`) to the gateway before its code loads:
// its calls are signed `execute-api` and sent to a WebSocket API's own URL, `…/{stage}/@connections/{id}`.
import type { ServiceDescriptor } from '../service.ts'

export const apiGatewayManagementDescriptor: ServiceDescriptor = {
  name: 'apigatewaymanagementapi',
  signingName: 'execute-api',
  protocols: ['rest-json'],
  apiVersion: '2018-11-29',
}
