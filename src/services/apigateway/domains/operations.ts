// CreateDomainName/GetDomainName(s)/DeleteDomainName and Create/Get/DeleteBasePathMapping(s):
// custom domain names answering at their own Host (and their regional `d-….execute-api` name),
// each base path routing to one REST API and stage.
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { ApiGatewayState } from '../store.ts'
import { type DomainNameData, type DomainState, randomName } from './store.ts'
import type { DomainPeer, SharedDomain } from '../../api-gateway-domains.ts'
import type { RoutingMode } from '../../api-gateway-routing-rules.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** [R] Route 53 hosted zones AWS answers for regional endpoints; CloudFront's is one for every domain. */
const regionalZones: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8', 'us-east-2': 'ZOJJZC49E0EPZ', 'us-west-1': 'Z2MUQ32089INYE', 'us-west-2': 'Z2OJLYMUO9EFXC',
  'eu-west-1': 'ZLY8HYME6SFDD', 'eu-central-1': 'Z1U9ULNL0V5AJ3', 'ap-southeast-1': 'ZL327KTPIQFUL', 'ap-northeast-1': 'Z1YSHQZHG15GKL',
}
const cloudFrontZone = 'Z2FDTNDATAQYW2'

// [R] AWS's wording for these answers.
export const domainNotFound = () => apiGatewayErrors.notFound('Invalid domain name identifier specified')
export const mappingNotFound = () => apiGatewayErrors.notFound('Invalid base path mapping identifier specified')
const baseTaken = () => apiGatewayErrors.conflict('Base path already exists for this domain name')

/** Letters, digits and `-` labels, at least two, as a DNS name must be (a `*.` wildcard first allowed). */
const domainPattern = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/
/** One or more segments of URL-safe characters: `v1`, `v1/orders`. */
export const basePathPattern = /^[\w.$+!*'()-]+(\/[\w.$+!*'()-]+)*$/

/** apigateway spells API mappings BASE_PATH_MAPPING in its RoutingMode; the stores keep apigatewayv2's spelling. */
const restModes: Record<RoutingMode, T.RoutingMode> = {
  API_MAPPING_ONLY: 'BASE_PATH_MAPPING_ONLY', ROUTING_RULE_ONLY: 'ROUTING_RULE_ONLY', ROUTING_RULE_THEN_API_MAPPING: 'ROUTING_RULE_THEN_BASE_PATH_MAPPING',
}
export const restRoutingMode = (mode: RoutingMode | undefined): T.RoutingMode => restModes[mode ?? 'API_MAPPING_ONLY']

/** [R] AWS's wording for a routingMode that is none of its three. */
export function routingModeOf(mode: string): RoutingMode {
  const found = (Object.keys(restModes) as RoutingMode[]).find((m) => restModes[m] === mode)
  if (found === undefined) throw apiGatewayErrors.badRequest(`Invalid routing mode specified: ${mode}`)
  return found
}

/** A domain's ARN: a PRIVATE one's names its account and id (`{name}+{id}`), as AWS's private custom domain names do. */
export const domainArn = (domain: Pick<DomainNameData, 'region' | 'account' | 'domainName' | 'domainNameId'>) => domain.domainNameId === undefined
  ? `arn:aws:apigateway:${domain.region}::/domainnames/${domain.domainName}`
  : `arn:aws:apigateway:${domain.region}:${domain.account}:/domainnames/${domain.domainName}+${domain.domainNameId}`

/**
 * The caller's domain a name and `domainNameId` address: with an id, the private domain of that name and id; without, the
 * public domain of the name (a private one needs its id, as AWS documents). None → NotFoundException [R: the wording].
 */
export function ownDomain(domains: DomainState, ctx: OperationContext, name: string, id: string | undefined): DomainNameData {
  const domain = id === undefined ? domains.domains.get(name.toLowerCase()) : domains.privateDomain(ctx.caller.account, ctx.caller.region, name, id)
  if (domain === undefined || domain.account !== ctx.caller.account || domain.region !== ctx.caller.region) throw domainNotFound()
  return domain
}

export function domainView(domain: DomainNameData): T.DomainName {
  const edge = domain.endpointConfiguration.types?.includes('EDGE') === true
  const privateDomain = domain.domainNameId !== undefined
  return {
    domainName: domain.domainName, domainNameArn: domainArn(domain), certificateArn: domain.certificateArn, certificateName: domain.certificateName,
    regionalCertificateArn: domain.regionalCertificateArn, regionalCertificateName: domain.regionalCertificateName,
    ...(privateDomain ? { domainNameId: domain.domainNameId, ...(domain.policy !== undefined && { policy: domain.policy }),
      ...(domain.managementPolicy !== undefined && { managementPolicy: domain.managementPolicy }) }
      : edge
      ? { distributionDomainName: domain.distributionDomainName, distributionHostedZoneId: cloudFrontZone }
      : { regionalDomainName: domain.regionalDomainName, regionalHostedZoneId: regionalZones[domain.region] ?? regionalZones['us-east-1'] }),
    endpointConfiguration: structuredClone(domain.endpointConfiguration), domainNameStatus: 'AVAILABLE',
    securityPolicy: (domain.securityPolicy ?? 'TLS_1_2') as T.SecurityPolicy, tags: { ...domain.tags }, routingMode: restRoutingMode(domain.routingMode),
    ...(domain.certificateArn !== undefined && { certificateUploadDate: new Date(domain.createdDate) }),
    ...(domain.mutualTls !== undefined && { mutualTlsAuthentication: { ...domain.mutualTls } }),
  }
}

/** A domain created through apigatewayv2 as GetDomainName shows it here (REGIONAL; its API mappings are base path mappings). */
export function sharedView(domain: SharedDomain): T.DomainName {
  return {
    domainName: domain.domainName, domainNameArn: `arn:aws:apigateway:${domain.region}::/domainnames/${domain.domainName}`,
    regionalCertificateArn: domain.certificateArn, regionalCertificateName: domain.certificateName, regionalDomainName: domain.regionalDomainName,
    regionalHostedZoneId: regionalZones[domain.region] ?? regionalZones['us-east-1'], endpointConfiguration: { types: [domain.endpointType as T.EndpointType] },
    domainNameStatus: 'AVAILABLE', securityPolicy: (domain.securityPolicy ?? 'TLS_1_2') as T.SecurityPolicy, tags: { ...domain.tags },
    routingMode: restRoutingMode(domain.routingMode),
    ...(domain.mutualTls !== undefined && { mutualTlsAuthentication: { ...domain.mutualTls } }),
  }
}

/** A domain created through apigatewayv2: its API mapping whose key is the base path (`(none)`: the empty key). */
const sharedMapping = (domain: SharedDomain, basePath: string) => {
  const key = basePath === '' || basePath === '(none)' ? '' : decodeURIComponent(basePath)
  return domain.mappings.find((m) => m.key === key)
}

const basePathView = (m: SharedDomain['mappings'][number]): T.BasePathMapping =>
  ({ basePath: m.key === '' ? '(none)' : m.key, restApiId: m.apiId, ...(m.stage !== undefined && { stage: m.stage }) })

/**
 * `removed`: a domain of this service was deleted (its access associations go with it).
 * `httpDomain`: whether HTTP APIs (apigatewayv2) already have the name (the two share one set of domain names);
 * `http`: apigatewayv2's domains, listed, read and deleted here too (their API mappings shown as base path mappings).
 */
export function domainOperations(state: ApiGatewayState, domains: DomainState, httpDomain?: (name: string) => boolean,
  http?: () => DomainPeer | undefined, removed?: (domain: DomainNameData) => void) {
  const own = (ctx: OperationContext, name: string, id: string | undefined) => ownDomain(domains, ctx, name, id)
  /** A domain created through apigatewayv2, when the name is none of REST APIs' public ones (apigatewayv2 has no private domains). */
  const httpOne = (ctx: OperationContext, name: string, id: string | undefined): SharedDomain | undefined => {
    if (id !== undefined) return undefined
    const domain = domains.domains.get(name.toLowerCase())
    if (domain !== undefined && domain.account === ctx.caller.account && domain.region === ctx.caller.region) return undefined
    return http?.()?.get(ctx.caller.account, ctx.caller.region, name)
  }

  const createDomainName: Op<T.CreateDomainNameRequest, T.DomainName> = (input, ctx) => {
    const name = input.domainName.toLowerCase()
    if (!domainPattern.test(name)) throw apiGatewayErrors.badRequest('Invalid domain name identifier specified')
    const endpointConfiguration: T.EndpointConfiguration = input.endpointConfiguration ?? { types: ['EDGE'] }
    const privateDomain = endpointConfiguration.types?.includes('PRIVATE') === true
    // Public names: one namespace with HTTP APIs' custom domain names, as on AWS. Private ones are their own (by id).
    if (!privateDomain && (domains.domains.has(name) || httpDomain?.(name) === true)) {
      throw apiGatewayErrors.conflict('The domain name you provided already exists.')
    }
    // A PRIVATE domain (AWS's private custom domain names) takes its certificate as `certificateArn`, like EDGE.
    const edge = (endpointConfiguration.types?.includes('EDGE') ?? true) || privateDomain
    if (privateDomain && input.certificateArn === undefined) throw apiGatewayErrors.badRequest('A certificate was not provided for the PRIVATE endpoint')
    // [R] AWS wants the certificate for the endpoint type: certificateArn (EDGE) or regionalCertificateArn (REGIONAL).
    if (edge && input.certificateArn === undefined && input.certificateBody === undefined) {
      throw apiGatewayErrors.badRequest('A certificate was not provided for the EDGE endpoint')
    }
    if (!edge && input.regionalCertificateArn === undefined) throw apiGatewayErrors.badRequest('A certificate was not provided for the REGIONAL endpoint')
    const routingMode = input.routingMode === undefined ? undefined : routingModeOf(input.routingMode)
    const domain: DomainNameData = {
      account: ctx.caller.account, region: ctx.caller.region, domainName: name,
      regionalDomainName: `d-${randomName(10)}.execute-api.${ctx.caller.region}.amazonaws.com`,
      ...(edge && !privateDomain && { distributionDomainName: `d${randomName(13)}.cloudfront.net` }),
      ...(privateDomain && { domainNameId: domains.newPrivateId(), ...(input.policy !== undefined && { policy: input.policy }) }),
      endpointConfiguration, certificateArn: input.certificateArn, certificateName: input.certificateName,
      regionalCertificateArn: input.regionalCertificateArn, regionalCertificateName: input.regionalCertificateName,
      securityPolicy: input.securityPolicy, tags: input.tags ?? {}, createdDate: state.clock.now(), mappings: {},
      ...(routingMode !== undefined && routingMode !== 'API_MAPPING_ONLY' && { routingMode }),
      ...(input.mutualTlsAuthentication !== undefined && {
        mutualTls: { truststoreUri: input.mutualTlsAuthentication.truststoreUri, truststoreVersion: input.mutualTlsAuthentication.truststoreVersion },
      }),
    }
    domains.save(domain)
    return domainView(domain)
  }

  const getDomainName: Op<T.GetDomainNameRequest, T.DomainName> = (input, ctx) => {
    const other = httpOne(ctx, input.domainName, input.domainNameId)
    return other !== undefined ? sharedView(other) : domainView(own(ctx, input.domainName, input.domainNameId))
  }

  // Both APIs list the same domain names, as on AWS.
  const getDomainNames: Op<T.GetDomainNamesRequest, T.DomainNames> = (_input, ctx) => ({
    items: [
      ...domains.list(ctx.caller.account, ctx.caller.region).map(domainView),
      ...(http?.()?.list(ctx.caller.account, ctx.caller.region) ?? []).map(sharedView),
    ].sort((a, b) => a.domainName!.localeCompare(b.domainName!)),
  })

  const deleteDomainName: Op<T.DeleteDomainNameRequest, void> = (input, ctx) => {
    if (httpOne(ctx, input.domainName, input.domainNameId) !== undefined) {
      http!()!.remove(ctx.caller.account, ctx.caller.region, input.domainName)
      return
    }
    const domain = own(ctx, input.domainName, input.domainNameId)
    domains.remove(domain)
    removed?.(domain)
  }

  const createBasePathMapping: Op<T.CreateBasePathMappingRequest, T.BasePathMapping> = (input, ctx) => {
    const other = httpOne(ctx, input.domainName, input.domainNameId)
    const domain = other === undefined ? own(ctx, input.domainName, input.domainNameId) : undefined
    const basePath = input.basePath === undefined || input.basePath === '' ? '(none)' : input.basePath.replace(/^\/+|\/+$/g, '')
    if (basePath !== '(none)' && !basePathPattern.test(basePath)) throw apiGatewayErrors.badRequest(`Invalid base path: ${input.basePath}`)
    const api = state.api(ctx.caller.account, ctx.caller.region, input.restApiId)
    if (input.stage !== undefined && input.stage !== '(none)' && api.stages[input.stage] === undefined) {
      throw apiGatewayErrors.badRequest('Invalid stage identifier specified')
    }
    const mapping: T.BasePathMapping = { basePath, restApiId: api.id, ...(input.stage !== undefined && input.stage !== '(none)' && { stage: input.stage }) }
    // A domain created through apigatewayv2 takes the mapping among its API mappings (served here all the same).
    if (domain === undefined) return sharedPut(ctx, input.domainName, mapping)
    if (domain.mappings[basePath] !== undefined) throw baseTaken()
    domain.mappings[basePath] = mapping
    domains.save(domain)
    return { ...mapping }
  }

  const mappingOf = (domain: DomainNameData, basePath: string): T.BasePathMapping => {
    const key = basePath === '' ? '(none)' : decodeURIComponent(basePath)
    const mapping = domain.mappings[key]
    if (mapping === undefined) throw mappingNotFound()
    return mapping
  }

  const getBasePathMapping: Op<T.GetBasePathMappingRequest, T.BasePathMapping> = (input, ctx) => {
    const other = httpOne(ctx, input.domainName, input.domainNameId)
    if (other === undefined) return { ...mappingOf(own(ctx, input.domainName, input.domainNameId), input.basePath) }
    const mapping = sharedMapping(other, input.basePath)
    if (mapping === undefined) throw mappingNotFound()
    return basePathView(mapping)
  }

  const getBasePathMappings: Op<T.GetBasePathMappingsRequest, T.BasePathMappings> = (input, ctx) => {
    const other = httpOne(ctx, input.domainName, input.domainNameId)
    if (other !== undefined) return { items: other.mappings.map(basePathView) }
    return { items: Object.values(own(ctx, input.domainName, input.domainNameId).mappings).map((m) => ({ ...m })) }
  }

  const sharedPut = (ctx: OperationContext, name: string, mapping: T.BasePathMapping): T.BasePathMapping => {
    const put = http!()!.putMapping(ctx.caller.account, ctx.caller.region, name,
      { apiId: mapping.restApiId!, key: mapping.basePath === '(none)' ? '' : mapping.basePath!, ...(mapping.stage !== undefined && { stage: mapping.stage }) })
    if (!('refused' in put)) return basePathView(put)
    if (put.refused === 'conflict') throw baseTaken()
    // [R] A WebSocket API's domain takes no REST API ("You can't map WebSocket APIs to the same custom domain name as an HTTP API or REST API").
    if (put.refused === 'websocket') throw apiGatewayErrors.badRequest(`Domain name ${name} cannot have both WebSocket and REST APIs mapped to it`)
    throw domainNotFound()
  }

  const deleteBasePathMapping: Op<T.DeleteBasePathMappingRequest, void> = (input, ctx) => {
    const other = httpOne(ctx, input.domainName, input.domainNameId)
    if (other !== undefined) {
      // A domain created through apigatewayv2: its API mapping with that key, removed there.
      const mapping = sharedMapping(other, input.basePath)
      if (mapping === undefined || !http!()!.removeMapping(ctx.caller.account, ctx.caller.region, input.domainName, mapping.id)) throw mappingNotFound()
      return
    }
    const domain = own(ctx, input.domainName, input.domainNameId)
    const mapping = mappingOf(domain, input.basePath)
    delete domain.mappings[mapping.basePath!]
    domains.save(domain)
  }

  return {
    CreateDomainName: createDomainName, GetDomainName: getDomainName, GetDomainNames: getDomainNames, DeleteDomainName: deleteDomainName,
    CreateBasePathMapping: createBasePathMapping, GetBasePathMapping: getBasePathMapping, GetBasePathMappings: getBasePathMappings,
    DeleteBasePathMapping: deleteBasePathMapping,
  }
}
