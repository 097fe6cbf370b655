// REST APIs' custom domain names as HTTP APIs (apigatewayv2) see them (api-gateway-domains.ts): listed,
// read and deleted through GetDomainName(s)/DeleteDomainName there too, their base path mappings shown
// as API mappings (with a stable id derived from the base path) and made by CreateApiMapping.
import { createHash } from 'node:crypto'
import { type DomainPeer, domainLookups, type SharedDomain, type SharedMapping } from '../../api-gateway-domains.ts'
import type * as T from '../generated/types.ts'
import type { DomainNameData, DomainState } from './store.ts'

/** A base path mapping's id as an API mapping: stable for its base path. */
export const mappingId = (basePath: string) => createHash('sha256').update(basePath).digest('hex').slice(0, 6)

const shared = (basePath: string, m: T.BasePathMapping): SharedMapping =>
  ({ id: mappingId(basePath), apiId: m.restApiId ?? '', key: basePath === '(none)' ? '' : basePath, ...(m.stage !== undefined && { stage: m.stage }) })

const edge = (d: DomainNameData) => (d.endpointConfiguration.types?.[0] ?? 'EDGE') === 'EDGE'

export function sharedDomain(d: DomainNameData): SharedDomain {
  return {
    account: d.account, region: d.region, domainName: d.domainName, regionalDomainName: d.regionalDomainName,
    ...(d.distributionDomainName !== undefined && { distributionDomainName: d.distributionDomainName }),
    endpointType: d.domainNameId !== undefined ? 'PRIVATE' : edge(d) ? 'EDGE' : 'REGIONAL',
    ...(d.domainNameId !== undefined && { domainNameId: d.domainNameId }),
    // The certificate of the domain's endpoint type (an EDGE domain's is CloudFront's, a REGIONAL one's its own).
    certificateArn: edge(d) ? d.certificateArn ?? d.regionalCertificateArn : d.regionalCertificateArn ?? d.certificateArn,
    certificateName: edge(d) ? d.certificateName ?? d.regionalCertificateName : d.regionalCertificateName ?? d.certificateName,
    securityPolicy: d.securityPolicy, tags: { ...d.tags }, createdDate: d.createdDate,
    ...(d.mutualTls !== undefined && { mutualTls: { ...d.mutualTls } }),
    mappings: Object.entries(d.mappings).map(([basePath, m]) => shared(basePath, m)),
    ...(d.routingMode !== undefined && { routingMode: d.routingMode }), routingRules: structuredClone(d.routingRules ?? []),
  }
}

/**
 * The public domains (apigatewayv2 knows no private ones, so never deletes one: access associations, which only private
 * domains have, go only through apigateway's DeleteDomainName); `get`/`update` reach a private one by id for routing rules.
 */
export function restDomainPeer(domains: DomainState): DomainPeer {
  const { own, list, get, remove, update, setTags } = domainLookups(domains, sharedDomain, (domain) => !edge(domain))
  const byId = (domain: DomainNameData, id: string) => Object.keys(domain.mappings).find((basePath) => mappingId(basePath) === id)
  return {
    list, get, update, setTags, remove,
    putMapping: (account, region, name, mapping, replaces) => {
      const domain = own(account, region, name)
      if (domain === undefined) return { refused: 'not-found' }
      const replaced = replaces === undefined ? undefined : byId(domain, replaces)
      if (replaces !== undefined && replaced === undefined) return { refused: 'not-found' }
      const basePath = mapping.key === '' ? '(none)' : mapping.key
      if (domain.mappings[basePath] !== undefined && basePath !== replaced) return { refused: 'conflict' }
      if (replaced !== undefined) delete domain.mappings[replaced]
      domain.mappings[basePath] = { basePath, restApiId: mapping.apiId, ...(mapping.stage !== undefined && { stage: mapping.stage }) }
      domains.save(domain)
      return shared(basePath, domain.mappings[basePath])
    },
    removeMapping: (account, region, name, id) => {
      const domain = own(account, region, name)
      const basePath = domain === undefined ? undefined : byId(domain, id)
      if (domain === undefined || basePath === undefined) return false
      delete domain.mappings[basePath]
      domains.save(domain)
      return true
    },
  }
}
