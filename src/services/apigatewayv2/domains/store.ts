// Custom domain names of HTTP APIs and their API mappings, durable with a data dir (table
// `apigatewayv2_domain_names`, one row per domain with its mappings), and the Host + path → API,
// stage and path resolution for requests to them.
import type { Persistence, Table } from '../../../storage/persistence/persistence.ts'
import { matchRoutingRule, type RoutingMode, type RoutingRuleData } from '../../api-gateway-routing-rules.ts'

export interface ApiMappingData {
  id: string
  apiId: string
  /** '' for the domain's root; `v1` or multi-level `v1/orders` otherwise. */
  key: string
  /** Absent: a REST API's base path mapping without a stage (apigateway's CreateBasePathMapping), the path's next segment naming it. */
  stage?: string
}

export interface DomainData {
  account: string
  region: string
  domainName: string
  /** `d-xxxxxxxxxx.execute-api.{region}.amazonaws.com`: answered like the custom name. */
  apiGatewayDomainName: string
  certificateArn?: string
  certificateName?: string
  securityPolicy?: string
  endpointType: string
  tags: Record<string, string>
  /** UpdateDomainName/CreateDomainName's mutual TLS truststore (stored and shown; not enforced). */
  mutualTls?: { truststoreUri?: string; truststoreVersion?: string }
  createdDate: number
  mappings: Record<string, ApiMappingData>
  /** Absent: API_MAPPING_ONLY. */
  routingMode?: RoutingMode
  /** Sorted by priority; they target REST APIs only (apigateway serves those). */
  routingRules?: RoutingRuleData[]
}

const hostName = (host: string) => {
  const colon = host.lastIndexOf(':')
  return (colon > host.lastIndexOf(']') ? host.slice(0, colon) : host).toLowerCase()
}

export class HttpDomainState {
  /** By lower-cased domain name: unique across accounts and regions (the Host names only the domain). */
  readonly domains = new Map<string, DomainData>()
  private readonly rows: Table<DomainData> | undefined

  constructor(persistence: Persistence | undefined) {
    this.rows = persistence?.table<DomainData>('apigatewayv2_domain_names')
    for (const [, domain] of this.rows?.load() ?? []) this.domains.set(domain.domainName, domain)
  }

  save(domain: DomainData): void {
    this.domains.set(domain.domainName, domain)
    this.rows?.put(domain.domainName, domain)
  }

  remove(domain: DomainData): void {
    this.domains.delete(domain.domainName)
    this.rows?.delete(domain.domainName)
  }

  reset(): void {
    this.domains.clear()
    this.rows?.clear()
  }

  byHost(host: string | undefined): DomainData | undefined {
    if (host === undefined || this.domains.size === 0) return undefined
    const name = hostName(host)
    const direct = this.domains.get(name)
    if (direct !== undefined || !name.startsWith('d-')) return direct
    for (const domain of this.domains.values()) if (domain.apiGatewayDomainName === name) return domain
    return undefined
  }
}

/**
 * The mapping a path selects — the longest ApiMappingKey matching its leading segments, else the
 * one with an empty key — and the path left after the key. Undefined: no mapping applies.
 */
export function selectMapping(domain: DomainData, rawPath: string): { mapping: ApiMappingData; rest: string } | undefined {
  const segments = rawPath.split('/').slice(1)
  let best: { mapping: ApiMappingData; length: number } | undefined
  for (const mapping of Object.values(domain.mappings)) {
    const parts = mapping.key === '' ? [] : mapping.key.split('/')
    if (parts.length > segments.length || (best !== undefined && parts.length <= best.length)) continue
    if (parts.every((p, i) => segments[i] === p)) best = { mapping, length: parts.length }
  }
  if (best === undefined) return undefined
  return { mapping: best.mapping, rest: `/${segments.slice(best.length).join('/')}` }
}

/**
 * What a request to the domain selects by its routing mode: a routing rule's REST API stage (rules first unless the
 * mode is API_MAPPING_ONLY), else an API mapping (unless the mode is ROUTING_RULE_ONLY). Undefined: nothing applies.
 */
export function selectTarget(domain: DomainData, rawPath: string, headers: Readonly<Record<string, string>>): { apiId: string; stage?: string; rest: string } | undefined {
  const mode = domain.routingMode ?? 'API_MAPPING_ONLY'
  if (mode !== 'API_MAPPING_ONLY') {
    const ruled = matchRoutingRule(domain.routingRules ?? [], headers, rawPath)
    if (ruled !== undefined) return { apiId: ruled.rule.action.apiId, stage: ruled.rule.action.stage, rest: ruled.path }
    if (mode === 'ROUTING_RULE_ONLY') return undefined
  }
  const selected = selectMapping(domain, rawPath)
  return selected === undefined ? undefined : { apiId: selected.mapping.apiId, stage: selected.mapping.stage, rest: selected.rest }
}

export { hostName }
