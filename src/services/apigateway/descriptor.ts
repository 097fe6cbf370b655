// What identifies API Gateway to the gateway before its code loads (services/lazy.ts): signed
// control-plane calls by signing name; unsigned invoke URLs by their execute-api Host or their
// `/restapis/{id}/{stage}/_user_request_/` path.
import type { ServiceDescriptor } from '../service.ts'

export const apiGatewayDescriptor: ServiceDescriptor = {
  name: 'apigateway',
  signingName: 'apigateway',
  protocols: ['rest-json'],
  apiVersion: '2015-07-09',
  pathPrefixes: ['/restapis/'],
  claimsHost: (host) => host.includes('.execute-api.'),
}
