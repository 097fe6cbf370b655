// What identifies API Gateway to the gateway before its code loads (services/lazy.ts): signed
// control-plane calls by signing name; unsigned invoke URLs by their execute-api Host or their
// `/restapis/{id}/{stage}/_user_request_/` path.
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const apiGatewayConsoleCatalog: ConsoleCatalog = {
  label: 'API Gateway (REST)',
  resourceTypes: [{ type: 'rest-api', label: 'REST APIs', columns: [{ key: 'resources', label: 'Resources' }, { key: 'stages', label: 'Stages' },
    { key: 'created', label: 'Created' }] }],
}

export const apiGatewayDescriptor: ServiceDescriptor = {
  name: 'apigateway',
  signingName: 'apigateway',
  protocols: ['rest-json'],
  apiVersion: '2015-07-09',
  pathPrefixes: ['/restapis/'],
  claimsHost: (host) => host.includes('.execute-api.'),
  customHosts: true,
  consoleCatalog: apiGatewayConsoleCatalog,
}
