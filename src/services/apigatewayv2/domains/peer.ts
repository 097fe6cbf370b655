// HTTP and WebSocket APIs' custom domain names as REST APIs (apigateway) see them (api-gateway-domains.ts):
// listed, read and deleted through apigateway's GetDomainName(s)/DeleteDomainName too, their API mappings
// shown there as base path mappings.
import { type DomainPeer, domainLookups, type SharedDomain } from '../../api-gateway-domains.ts'
import { newId } from '../store.ts'
import type { DomainData, HttpDomainState } from './store.ts'

export function sharedDomain(d: DomainData): SharedDomain {
  return {
    account: d.account, region: d.region, domainName: d.domainName, regionalDomainName: d.apiGatewayDomainName, endpointType: d.endpointType,
    certificateArn: d.certificateArn, certificateName: d.certificateName, securityPolicy: d.securityPolicy, tags: { ...d.tags },
    ...(d.mutualTls !== undefined && { mutualTls: { ...d.mutualTls } }),
    createdDate: d.createdDate, mappings: Object.values(d.mappings).map((m) => ({ id: m.id, apiId: m.apiId, key: m.key, ...(m.stage !== undefined && { stage: m.stage }) })),
    ...(d.routingMode !== undefined && { routingMode: d.routingMode }), routingRules: structuredClone(d.routingRules ?? []),
  }
}

/** `webSocket`: whether an id is a WebSocket API's (such a domain takes no mapping put through apigateway). */
export function httpDomainPeer(domains: HttpDomainState, webSocket: (apiId: string) => boolean): DomainPeer {
  const { own, list, get, remove, update, setTags } = domainLookups(domains, sharedDomain)
  return {
    list, get, remove, update, setTags,
    putMapping: (account, region, name, mapping, replaces) => {
      const domain = own(account, region, name)
      if (domain === undefined || (replaces !== undefined && domain.mappings[replaces] === undefined)) return { refused: 'not-found' }
      if (Object.values(domain.mappings).some((m) => m.id !== replaces && webSocket(m.apiId))) return { refused: 'websocket' }
      if (Object.values(domain.mappings).some((m) => m.key === mapping.key && m.id !== replaces)) return { refused: 'conflict' }
      let id = replaces ?? newId(6)
      while (replaces === undefined && domain.mappings[id] !== undefined) id = newId(6)
      const stored = { id, apiId: mapping.apiId, key: mapping.key, ...(mapping.stage !== undefined && { stage: mapping.stage }) }
      domain.mappings[id] = stored
      domains.save(domain)
      return { ...stored }
    },
    removeMapping: (account, region, name, id) => {
      const domain = own(account, region, name)
      if (domain === undefined || domain.mappings[id] === undefined) return false
      delete domain.mappings[id]
      domains.save(domain)
      return true
    },
  }
}
