// What identifies API Gateway V2 (HTTP APIs) to the gateway before its code loads: it signs as
// `apigateway` like REST APIs, and is told apart by its `/v2/` paths. Its invoke URLs share the
// execute-api hosts, which the apigateway service claims and hands on through this service's port.
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const apiGatewayV2ConsoleCatalog: ConsoleCatalog = {
  label: 'API Gateway (HTTP)',
  resourceTypes: [{ type: 'http-api', label: 'HTTP APIs', columns: [{ key: 'protocol', label: 'Protocol' }, { key: 'routes', label: 'Routes' },
    { key: 'stages', label: 'Stages' }, { key: 'created', label: 'Created' }] }],
}

export const apiGatewayV2Descriptor: ServiceDescriptor = {
  name: 'apigatewayv2',
  signingName: 'apigateway',
  protocols: ['rest-json'],
  apiVersion: '2018-11-29',
  pathPrefixes: ['/v2/'],
  // Custom domain names (CreateDomainName) answer at their own Host once the service is loaded.
  customHosts: true,
  consoleCatalog: apiGatewayV2ConsoleCatalog,
}
