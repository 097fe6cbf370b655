// Custom domain names of REST APIs and their base path mappings, durable with a data dir (table
// `apigateway_domain_names`, one row per domain with its mappings), and the Host → API, stage and
// path resolution the invoke URLs use for them.
import { randomBytes } from 'node:crypto'
import type { Persistence, Table } from '../../../storage/persistence/persistence.ts'
import type * as T from '../generated/types.ts'
import type { InvokeTarget } from '../invoke/invoke-url.ts'
import { matchRoutingRule, type RoutingMode, type RoutingRuleData } from '../../api-gateway-routing-rules.ts'

export interface DomainNameData {
  account: string
  region: string
  domainName: string
  /** `d-xxxxxxxxxx.execute-api.{region}.amazonaws.com`: answered like the custom name. */
  regionalDomainName: string
  /** EDGE domains: `dxxxxxxxxxxxxx.cloudfront.net`. */
  distributionDomainName?: string
  endpointConfiguration: T.EndpointConfiguration
  certificateArn?: string
  certificateName?: string
  regionalCertificateArn?: string
  regionalCertificateName?: string
  securityPolicy?: string
  /** UpdateDomainName's mutual TLS truststore (stored and shown; not enforced). */
  mutualTls?: { truststoreUri?: string; truststoreVersion?: string }
  tags: Record<string, string>
  createdDate: number
  /** By base path (`(none)` for the empty one; multi-level ones as `v1/orders`). */
  mappings: Record<string, T.BasePathMapping>
  /** PRIVATE domains: their id (the ARN's `+{id}`, the `domainNameId` parameter), resource policy and management policy. */
  domainNameId?: string
  policy?: string
  managementPolicy?: string
  /** Absent: API_MAPPING_ONLY (apigateway's BASE_PATH_MAPPING_ONLY). */
  routingMode?: RoutingMode
  /** apigatewayv2's routing rules on this domain, sorted by priority. */
  routingRules?: RoutingRuleData[]
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'

export function randomName(length: number): string {
  let out = ''
  for (const b of randomBytes(length)) out += alphabet[b % alphabet.length]
  return out
}

export class DomainState {
  /** By lower-cased domain name: unique across accounts and regions (the Host names only the domain). */
  readonly domains = new Map<string, DomainNameData>()
  private readonly rows: Table<DomainNameData> | undefined

  constructor(persistence: Persistence | undefined) {
    this.rows = persistence?.table<DomainNameData>('apigateway_domain_names')
    for (const [, domain] of this.rows?.load() ?? []) this.domains.set(domain.domainName.toLowerCase(), domain)
  }

  save(domain: DomainNameData): void {
    this.domains.set(domain.domainName.toLowerCase(), domain)
    this.rows?.put(domain.domainName.toLowerCase(), domain)
  }

  remove(domain: DomainNameData): void {
    this.domains.delete(domain.domainName.toLowerCase())
    this.rows?.delete(domain.domainName.toLowerCase())
  }

  reset(): void {
    this.domains.clear()
    this.rows?.clear()
  }

  /** The domain a Host names — its custom name, regional or distribution name — any port. */
  byHost(host: string | undefined): DomainNameData | undefined {
    if (host === undefined || this.domains.size === 0) return undefined
    const colon = host.lastIndexOf(':')
    const name = (colon > host.lastIndexOf(']') ? host.slice(0, colon) : host).toLowerCase()
    const direct = this.domains.get(name)
    if (direct !== undefined) return direct
    if (!name.startsWith('d-') && !name.endsWith('.cloudfront.net')) return undefined
    for (const domain of this.domains.values()) if (domain.regionalDomainName === name || domain.distributionDomainName === name) return domain
    return undefined
  }
}

/**
 * The API, stage and resource path a request to a custom domain names. Its routing rules first, unless its routing mode
 * is API_MAPPING_ONLY (the first rule by priority whose conditions hold: its REST API's stage, the matched base path
 * stripped if the rule says so); then, unless the mode is ROUTING_RULE_ONLY, the mapping whose base path is the longest
 * run of the path's leading segments, else the `(none)` one; its base path is stripped, and a mapping without a stage
 * takes the next segment as the stage. 'unmapped': neither a rule nor a mapping applies.
 */
export function domainTarget(domain: DomainNameData, rawPath: string, host: string, headers: Readonly<Record<string, string>> = {}): InvokeTarget | 'unmapped' {
  const colon = host.lastIndexOf(':')
  const domainName = (colon > host.lastIndexOf(']') ? host.slice(0, colon) : host).toLowerCase()
  const mode = domain.routingMode ?? 'API_MAPPING_ONLY'
  if (mode !== 'API_MAPPING_ONLY') {
    const ruled = matchRoutingRule(domain.routingRules ?? [], headers, rawPath)
    if (ruled !== undefined) return { apiId: ruled.rule.action.apiId, stage: ruled.rule.action.stage, path: ruled.path, domainName, requestPath: rawPath }
    if (mode === 'ROUTING_RULE_ONLY') return 'unmapped'
  }
  const segments = rawPath.split('/').slice(1)
  let best: { mapping: T.BasePathMapping; length: number } | undefined
  for (const [basePath, mapping] of Object.entries(domain.mappings)) {
    if (basePath === '(none)') continue
    const parts = basePath.split('/')
    if (parts.length > segments.length || (best !== undefined && parts.length <= best.length)) continue
    if (parts.every((p, i) => safeDecode(segments[i]!) === p)) best = { mapping, length: parts.length }
  }
  const none = domain.mappings['(none)']
  if (best === undefined && none === undefined) return 'unmapped'
  const mapping = best?.mapping ?? none!
  return mappedTarget(mapping.restApiId!, mapping.stage, segments.slice(best?.length ?? 0), domainName, rawPath)
}

/**
 * A REST API's target on a custom domain once the mapping is chosen (here, or by apigatewayv2 on a domain created
 * there): `rest` the path's segments after the base path; a mapping without a stage takes the next one as the stage.
 */
export function mappedTarget(apiId: string, stage: string | undefined, rest: string[], domainName: string, rawPath: string): InvokeTarget {
  if (stage === undefined) {
    stage = rest[0] === undefined || rest[0] === '' ? undefined : safeDecode(rest[0])
    rest = rest.slice(1)
  }
  return { apiId, stage, path: `/${rest.join('/')}`, domainName, requestPath: rawPath }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
