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

/** A domain's row key: a public one's lower-cased name, a private one's `{name}+{domainNameId}` (names repeat among them). */
const rowKey = (domain: DomainNameData) => domain.domainNameId === undefined ? domain.domainName.toLowerCase()
  : `${domain.domainName.toLowerCase()}+${domain.domainNameId}`

export class DomainState {
  /**
   * Public domains by lower-cased name: unique across accounts and regions (the Host names only the domain) and
   * with apigatewayv2's.
   */
  readonly domains = new Map<string, DomainNameData>()
  /**
   * Private custom domain names by `domainNameId`, their own namespace: AWS lets any account (and the same one) create a
   * private name again, and alongside a public domain of that name; they are addressed by name and id.
   */
  readonly privates = new Map<string, DomainNameData>()
  private readonly rows: Table<DomainNameData> | undefined

  constructor(persistence: Persistence | undefined) {
    this.rows = persistence?.table<DomainNameData>('apigateway_domain_names')
    for (const [key, domain] of this.rows?.load() ?? []) {
      if (domain.domainNameId === undefined) this.domains.set(domain.domainName.toLowerCase(), domain)
      else this.privates.set(domain.domainNameId, domain)
      // A private domain stored by its name alone (before private names had their own namespace) moves to its own key.
      if (key !== rowKey(domain)) {
        this.rows!.delete(key)
        this.rows!.put(rowKey(domain), domain)
      }
    }
  }

  save(domain: DomainNameData): void {
    if (domain.domainNameId === undefined) this.domains.set(domain.domainName.toLowerCase(), domain)
    else this.privates.set(domain.domainNameId, domain)
    this.rows?.put(rowKey(domain), domain)
  }

  remove(domain: DomainNameData): void {
    if (domain.domainNameId === undefined) this.domains.delete(domain.domainName.toLowerCase())
    else this.privates.delete(domain.domainNameId)
    this.rows?.delete(rowKey(domain))
  }

  /** The private domain with this name and id, of the account and region; undefined: none. */
  privateDomain(account: string, region: string, name: string, id: string): DomainNameData | undefined {
    const domain = this.privates.get(id)
    return domain !== undefined && domain.domainName === name.toLowerCase() && domain.account === account && domain.region === region ? domain : undefined
  }

  /** A fresh `domainNameId` (8 characters [R]), unused by any private domain. */
  newPrivateId(): string {
    let id = randomName(8)
    while (this.privates.has(id)) id = randomName(8)
    return id
  }

  /** Every domain of the account and region, public and private. */
  list(account: string, region: string): DomainNameData[] {
    return [...this.domains.values(), ...this.privates.values()].filter((d) => d.account === account && d.region === region)
  }

  reset(): void {
    this.forget()
    this.rows?.clear()
  }

  /** Empties memory only (a stop with a data dir keeps the rows). */
  forget(): void {
    this.domains.clear()
    this.privates.clear()
  }

  /**
   * The domain a Host names — its custom name, regional or distribution name — any port. A public domain of the name
   * first; else a private one (Nimbus answers as if called from inside the VPC), the oldest when several share the name.
   */
  byHost(host: string | undefined): DomainNameData | undefined {
    if (host === undefined || (this.domains.size === 0 && this.privates.size === 0)) return undefined
    const colon = host.lastIndexOf(':')
    const name = (colon > host.lastIndexOf(']') ? host.slice(0, colon) : host).toLowerCase()
    const direct = this.domains.get(name)
    if (direct !== undefined) return direct
    let oldest: DomainNameData | undefined
    for (const domain of this.privates.values()) {
      if (domain.domainName === name && (oldest === undefined || domain.createdDate < oldest.createdDate)) oldest = domain
    }
    if (oldest !== undefined) return oldest
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
