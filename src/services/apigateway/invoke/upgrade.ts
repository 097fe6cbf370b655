// WebSocket upgrades reaching REST API Gateway's hosts: an invoke URL or a custom domain (created through either
// API) whose mapping names a WebSocket API is handed to apigatewayv2; one naming a REST API is refused with the
// 403 a REST API's invoke URL answers — REST APIs serve no WebSocket, and AWS's "You can't map WebSocket APIs to
// the same custom domain name as an HTTP API or REST API" means such a domain never holds a WebSocket API.
import type { HttpRequest } from '../../../protocol/http.ts'
import type { ApiGatewayV2Port } from '../../apigatewayv2/port.ts'
import type { InvokeSignatureCheck, UpgradeAnswer } from '../../service.ts'
import { type DomainState, domainTarget } from '../domains/store.ts'
import type { ApiGatewayState } from '../store.ts'
import { invokeTarget } from './invoke-url.ts'
import { httpApiPath } from './serve.ts'

// [R] AWS's answer to an upgrade at a REST API: the 403 Nimbus answers at its invoke URL.
const restRefusal = (): Promise<UpgradeAnswer> =>
  Promise.resolve({ refuse: { status: 403, headers: { 'content-type': 'application/json' }, body: '{"message":"Forbidden"}' } })

export function serveRestUpgrade(state: ApiGatewayState, domains: DomainState, httpApis: ApiGatewayV2Port | undefined,
  request: HttpRequest, checkSignature: InvokeSignatureCheck | undefined): Promise<UpgradeAnswer> | undefined {
  const target = invokeTarget(request)
  if (target !== undefined) {
    if (state.apis.has(target.apiId)) return restRefusal()
    return httpApis?.upgrade(request, { apiId: target.apiId, path: httpApiPath(request, target), domainName: target.domainName, checkSignature })
  }
  const host = request.headers['host']
  const domain = domains.byHost(host)
  if (domain !== undefined) {
    // A domain created through apigateway: its base path mappings, which apigatewayv2's CreateApiMapping may have
    // pointed at an HTTP or WebSocket API. No mapping for the path: the 403 REST domains answer.
    const mapped = domainTarget(domain, request.rawPath, host ?? '', request.headers)
    if (mapped === 'unmapped' || state.apis.has(mapped.apiId)) return restRefusal()
    const path = mapped.stage === undefined || mapped.stage === '$default' ? mapped.path : `/${encodeURIComponent(mapped.stage)}${mapped.path}`
    return httpApis?.upgrade(request, { apiId: mapped.apiId, path, domainName: mapped.domainName, checkSignature }) ?? restRefusal()
  }
  // A domain created through apigatewayv2 whose API mapping names a REST API.
  const selected = httpApis?.domainMapping(request)
  if (selected != null && state.apis.has(selected.apiId)) return restRefusal()
  return httpApis?.upgradeDomain(request, checkSignature)
}
