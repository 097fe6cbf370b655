// Custom domain names as REST APIs (apigateway) and HTTP/WebSocket APIs (apigatewayv2) share them: on AWS
// one domain name resource, listed and deleted by either API, its base path mappings (REST) and API mappings
// (v2) two views of the same mappings. Each service keeps the domains created through it; this is the
// neutral shape each offers the other through its port, and the lookups both peers make the same way.
import type { RoutingMode, RoutingRuleData } from './api-gateway-routing-rules.ts'

/** One mapping of a domain: `key` '' for the domain's root (REST's `(none)`); `stage` absent: the path's next segment. */
export interface SharedMapping {
  id: string
  apiId: string
  key: string
  stage?: string
}

export interface SharedDomain {
  account: string
  region: string
  domainName: string
  /** `d-….execute-api.{region}.amazonaws.com`. */
  regionalDomainName: string
  /** EDGE domains (REST only): `d….cloudfront.net`. */
  distributionDomainName?: string
  /** Private custom domain names (REST only, endpointType PRIVATE): their id; the name alone doesn't address them. */
  domainNameId?: string
  endpointType: string
  certificateArn?: string
  certificateName?: string
  securityPolicy?: string
  tags: Record<string, string>
  /** The mutual TLS truststore (stored and shown, not enforced). */
  mutualTls?: { truststoreUri?: string; truststoreVersion?: string }
  createdDate: number
  mappings: SharedMapping[]
  /** Absent: API_MAPPING_ONLY (AWS's default). */
  routingMode?: RoutingMode
  /** Sorted by priority. */
  routingRules: RoutingRuleData[]
}

/**
 * UpdateDomainName through the other API: the fields both APIs show (the certificate of the domain's endpoint type,
 * the security policy, the truststore); absent fields stay. The caller checked the values as its API does.
 */
export interface DomainChange {
  certificateArn?: string
  certificateName?: string
  securityPolicy?: string
  mutualTls?: { truststoreUri?: string; truststoreVersion?: string }
  routingMode?: RoutingMode
  /** apigatewayv2's Create/Put/DeleteRoutingRule: the domain's whole new rule set, sorted by priority. */
  routingRules?: RoutingRuleData[]
}

/** `websocket`: the domain maps WebSocket APIs, which share a domain with no REST or HTTP API. */
export type MappingOutcome = SharedMapping | { refused: 'conflict' | 'not-found' | 'websocket' }

/**
 * What one service offers the other about the domains created through it (the caller's account and region): its public
 * domains by name; `get` and `update` also reach a private one (REST's) by name and `domainNameId`, as routing rules do.
 */
export interface DomainPeer {
  list(account: string, region: string): SharedDomain[]
  get(account: string, region: string, name: string, domainNameId?: string): SharedDomain | undefined
  /** False: no such domain. */
  remove(account: string, region: string, name: string): boolean
  /** A mapping added to (or, with `replaces`, replacing one of) a domain of this service; the caller checked the API and stage. */
  putMapping(account: string, region: string, name: string, mapping: Omit<SharedMapping, 'id'>, replaces?: string): MappingOutcome
  removeMapping(account: string, region: string, name: string, id: string): boolean
  /** The domain as updated; undefined: no such domain. */
  update(account: string, region: string, name: string, change: DomainChange, domainNameId?: string): SharedDomain | undefined
  /** TagResource/UntagResource through the other API: the domain's whole new tag set. False: no such domain. */
  setTags(account: string, region: string, name: string, tags: Record<string, string>): boolean
}

/** Where a service keeps the domains created through it: public ones by lower-cased name, private ones (REST's) by id. */
interface DomainStore<D> {
  readonly domains: Map<string, D>
  readonly privates?: Map<string, D>
  remove(domain: D): void
  save(domain: D): void
}

/** The fields of a stored domain that a DomainChange updates (REST's also have regional certificate fields). */
interface ChangeableDomain {
  account: string
  region: string
  domainName: string
  tags?: Record<string, string>
  certificateArn?: string
  certificateName?: string
  regionalCertificateArn?: string
  regionalCertificateName?: string
  securityPolicy?: string
  mutualTls?: { truststoreUri?: string; truststoreVersion?: string }
  routingMode?: RoutingMode
  routingRules?: RoutingRuleData[]
}

/**
 * A peer's list/get/remove/update/setTags over its store, the caller's account and region only; `own` finds a domain so.
 * `regionalCertificate`: true when update sets a domain's `regionalCertificateArn`/`Name` (a REGIONAL REST domain's;
 * an EDGE one's certificate, and every HTTP API domain's, are `certificateArn`/`Name`).
 */
export function domainLookups<D extends ChangeableDomain>(store: DomainStore<D>, view: (domain: D) => SharedDomain,
  regionalCertificate: (domain: D) => boolean = () => false) {
  /** The public domain of the name; with `id`, the private one of that name and id. */
  const own = (account: string, region: string, name: string, id?: string): D | undefined => {
    const domain = id === undefined ? store.domains.get(name.toLowerCase()) : store.privates?.get(id)
    return domain !== undefined && domain.domainName.toLowerCase() === name.toLowerCase() && domain.account === account && domain.region === region
      ? domain : undefined
  }
  return {
    own,
    list: (account: string, region: string) => [...store.domains.values()].filter((d) => d.account === account && d.region === region).map(view),
    get: (account: string, region: string, name: string, id?: string) => {
      const domain = own(account, region, name, id)
      return domain === undefined ? undefined : view(domain)
    },
    remove: (account: string, region: string, name: string) => {
      const domain = own(account, region, name)
      if (domain !== undefined) store.remove(domain)
      return domain !== undefined
    },
    update: (account: string, region: string, name: string, change: DomainChange, id?: string) => {
      const domain = own(account, region, name, id)
      if (domain === undefined) return undefined
      const fields: ChangeableDomain = domain
      const regional = regionalCertificate(domain)
      if (change.certificateArn !== undefined) fields[regional ? 'regionalCertificateArn' : 'certificateArn'] = change.certificateArn
      if (change.certificateName !== undefined) fields[regional ? 'regionalCertificateName' : 'certificateName'] = change.certificateName
      if (change.securityPolicy !== undefined) fields.securityPolicy = change.securityPolicy
      if (change.mutualTls !== undefined) fields.mutualTls = { ...change.mutualTls }
      if (change.routingMode !== undefined) fields.routingMode = change.routingMode
      if (change.routingRules !== undefined) fields.routingRules = structuredClone(change.routingRules)
      store.save(domain)
      return view(domain)
    },
    /** One tag set per domain, whichever API tags it. */
    setTags: (account: string, region: string, name: string, tags: Record<string, string>) => {
      const domain = own(account, region, name)
      if (domain === undefined) return false
      domain.tags = { ...tags }
      store.save(domain)
      return true
    },
  }
}
