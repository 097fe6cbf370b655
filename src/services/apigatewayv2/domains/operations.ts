// CreateDomainName/GetDomainName(s)/DeleteDomainName and Create/Get/Update/DeleteApiMapping(s) for
// HTTP and WebSocket APIs: a custom domain answers at its own Host (and its regional `d-….execute-api`
// name), each API mapping key routing to one API and stage (a domain's APIs all WebSocket, or none).
import type { OperationContext } from '../../service.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import { page } from '../operations/pages.ts'
import type * as T from '../generated/types.ts'
import { newId, type HttpApiState } from '../store.ts'
import type { ApiMappingData, DomainData, HttpDomainState } from './store.ts'
import { checkTags } from '../tag-limits.ts'
import type { ApiGatewayPort } from '../../apigateway/port.ts'
import type { MappingOutcome, SharedDomain } from '../../api-gateway-domains.ts'
import type { RoutingMode } from '../../api-gateway-routing-rules.ts'
import { sharedDomain } from './peer.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** [R] CloudFront's hosted zone, one for every EDGE domain. */
const cloudFrontZone = 'Z2FDTNDATAQYW2'
/** [R] Route 53 hosted zones AWS answers for regional endpoints. */
const regionalZones: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8', 'us-east-2': 'ZOJJZC49E0EPZ', 'us-west-1': 'Z2MUQ32089INYE', 'us-west-2': 'Z2OJLYMUO9EFXC',
  'eu-west-1': 'ZLY8HYME6SFDD', 'eu-central-1': 'Z1U9ULNL0V5AJ3', 'ap-southeast-1': 'ZL327KTPIQFUL', 'ap-northeast-1': 'Z1YSHQZHG15GKL',
}

const domainPattern = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/
const keyPattern = /^[\w.$+!*'()-]+(\/[\w.$+!*'()-]+)*$/

// [R] AWS's wording for these answers.
export const domainNotFound = (name: string) => apiGatewayV2Errors.notFound(`Invalid domain name identifier specified ${name}`)
const mappingNotFound = (id: string) => apiGatewayV2Errors.notFound(`Invalid API mapping identifier specified ${id}`)

const routingModes = new Set<string>(['API_MAPPING_ONLY', 'ROUTING_RULE_ONLY', 'ROUTING_RULE_THEN_API_MAPPING'])

/** [R] AWS's wording for a RoutingMode that is none of its three. */
export function checkRoutingMode(mode: string): RoutingMode {
  if (!routingModes.has(mode)) throw apiGatewayV2Errors.badRequest(`Invalid routing mode specified: ${mode}`)
  return mode as RoutingMode
}

export const domainView = (domain: DomainData): T.DomainName => sharedView(sharedDomain(domain))

/**
 * A domain as GetDomainName shows it, whichever API created it (REST APIs' through apigateway: api-gateway-domains.ts).
 * [R] A REST API's EDGE domain shows its CloudFront name and CloudFront's hosted zone, as apigateway's
 * distributionDomainName/distributionHostedZoneId.
 */
export function sharedView(domain: SharedDomain): T.DomainName {
  const edge = domain.endpointType === 'EDGE' && domain.distributionDomainName !== undefined
  return {
    DomainName: domain.domainName, ApiMappingSelectionExpression: '$request.basepath',
    DomainNameArn: `arn:aws:apigateway:${domain.region}::/domainnames/${domain.domainName}`,
    DomainNameConfigurations: [{
      ApiGatewayDomainName: edge ? domain.distributionDomainName : domain.regionalDomainName,
      CertificateArn: domain.certificateArn, CertificateName: domain.certificateName,
      DomainNameStatus: 'AVAILABLE', EndpointType: domain.endpointType as T.EndpointType,
      HostedZoneId: edge ? cloudFrontZone : regionalZones[domain.region] ?? regionalZones['us-east-1'],
      SecurityPolicy: (domain.securityPolicy ?? 'TLS_1_2') as T.SecurityPolicy,
    }],
    Tags: { ...domain.tags }, RoutingMode: domain.routingMode ?? 'API_MAPPING_ONLY',
    ...(domain.mutualTls !== undefined && {
      MutualTlsAuthentication: { TruststoreUri: domain.mutualTls.truststoreUri, TruststoreVersion: domain.mutualTls.truststoreVersion },
    }),
  }
}

const mappingView = (m: Pick<ApiMappingData, 'id' | 'apiId' | 'key'> & { stage?: string }): T.ApiMapping =>
  // [R] A REST base path mapping without a stage (the path names it) shows REST's `(none)`.
  ({ ApiId: m.apiId, ApiMappingId: m.id, ApiMappingKey: m.key, Stage: m.stage ?? '(none)' })

function randomName(length: number): string {
  return newId(length)
}

/**
 * `rest`: apigateway's port, whose domain names share one set with these (a name either has is taken), and through
 * which the domains created there are listed, read, deleted and mapped here too.
 */
export function domainOperations(state: HttpApiState, domains: HttpDomainState, rest?: () => ApiGatewayPort | undefined) {
  const mine = (ctx: OperationContext, name: string): DomainData | undefined => {
    const domain = domains.domains.get(name.toLowerCase())
    return domain === undefined || domain.account !== ctx.caller.account || domain.region !== ctx.caller.region ? undefined : domain
  }
  const own = (ctx: OperationContext, name: string): DomainData => {
    const domain = mine(ctx, name)
    if (domain === undefined) throw domainNotFound(name)
    return domain
  }
  /** A domain created through apigateway (REST APIs'), when the name is none of this service's. */
  const restOne = (ctx: OperationContext, name: string): SharedDomain | undefined =>
    mine(ctx, name) === undefined ? rest?.()?.domainPeer.get(ctx.caller.account, ctx.caller.region, name) : undefined
  const outcome = (domain: string, result: MappingOutcome, key: string, id?: string): T.ApiMapping => {
    if (!('refused' in result)) return mappingView(result)
    if (result.refused === 'conflict') throw apiGatewayV2Errors.conflict(`ApiMapping with key ${key === '' ? '(none)' : key} already exists for domain name ${domain}`)
    throw id === undefined ? domainNotFound(domain) : mappingNotFound(id)
  }

  const createDomainName: Op<T.CreateDomainNameRequest, T.CreateDomainNameResponse> = (input, ctx) => {
    const name = input.DomainName.toLowerCase()
    if (!domainPattern.test(name)) throw apiGatewayV2Errors.badRequest(`Invalid domain name specified: ${input.DomainName}`)
    // One namespace with REST APIs' custom domain names, as on AWS.
    if (domains.domains.has(name) || rest?.()?.hasDomain(name) === true) throw apiGatewayV2Errors.conflict(`The domain name resource already exists: ${name}`)
    const config = input.DomainNameConfigurations?.[0]
    if (config?.EndpointType === 'EDGE') throw apiGatewayV2Errors.badRequest('Only REGIONAL endpoint types are supported for HTTP APIs')
    checkTags(input.Tags ?? {})
    const routingMode = input.RoutingMode === undefined ? undefined : checkRoutingMode(input.RoutingMode)
    const domain: DomainData = {
      account: ctx.caller.account, region: ctx.caller.region, domainName: name,
      apiGatewayDomainName: `d-${randomName(10)}.execute-api.${ctx.caller.region}.amazonaws.com`,
      certificateArn: config?.CertificateArn, certificateName: config?.CertificateName, securityPolicy: config?.SecurityPolicy,
      endpointType: config?.EndpointType ?? 'REGIONAL', tags: input.Tags ?? {}, createdDate: state.clock.now(), mappings: {},
      ...(routingMode !== undefined && routingMode !== 'API_MAPPING_ONLY' && { routingMode }),
      ...(input.MutualTlsAuthentication !== undefined && {
        mutualTls: { truststoreUri: input.MutualTlsAuthentication.TruststoreUri, truststoreVersion: input.MutualTlsAuthentication.TruststoreVersion },
      }),
    }
    domains.save(domain)
    return domainView(domain)
  }

  const getDomainName: Op<T.GetDomainNameRequest, T.GetDomainNameResponse> = (input, ctx) => {
    const restDomainNamed = restOne(ctx, input.DomainName)
    return restDomainNamed !== undefined ? sharedView(restDomainNamed) : domainView(own(ctx, input.DomainName))
  }

  // Both APIs list the same domain names, as on AWS.
  const getDomainNames: Op<T.GetDomainNamesRequest, T.GetDomainNamesResponse> = (input, ctx) => page([
    ...[...domains.domains.values()].filter((d) => d.account === ctx.caller.account && d.region === ctx.caller.region).map(sharedDomain),
    ...(rest?.()?.domainPeer.list(ctx.caller.account, ctx.caller.region) ?? []),
  ].sort((a, b) => a.domainName.localeCompare(b.domainName)).map(sharedView), input)

  const deleteDomainName: Op<T.DeleteDomainNameRequest, void> = (input, ctx) => {
    const domain = mine(ctx, input.DomainName)
    if (domain !== undefined) return domains.remove(domain)
    if (rest?.()?.domainPeer.remove(ctx.caller.account, ctx.caller.region, input.DomainName) !== true) throw domainNotFound(input.DomainName)
  }

  /** A mapping on a REST API's domain: an HTTP API's stage (checked here) or a REST API's (by apigateway's port). */
  const checkRestDomainMapping = (ctx: OperationContext, apiId: string, stage: string, key: string) => {
    const restStage = rest?.()?.restStage(ctx.caller.account, ctx.caller.region, apiId, stage)
    if (restStage === undefined) {
      const api = state.api(ctx.caller.account, ctx.caller.region, apiId)
      // [R] REST APIs' domains take REST and HTTP APIs; WebSocket APIs need a domain of their own.
      if (api.protocolType === 'WEBSOCKET') throw apiGatewayV2Errors.badRequest('WebSocket APIs cannot be mapped to a domain name with REST or HTTP APIs')
      if (api.stages[stage] === undefined) throw apiGatewayV2Errors.badRequest(`Invalid stage identifier specified ${stage}`)
    } else if (!restStage) throw apiGatewayV2Errors.badRequest(`Invalid stage identifier specified ${stage}`)
    if (key !== '' && !keyPattern.test(key)) throw apiGatewayV2Errors.badRequest(`Invalid API mapping key specified: ${key}`)
  }

  /** `stage` absent: a REST API's mapping without one (apigateway's CreateBasePathMapping may make it). */
  const checkMapping = (domain: DomainData, ctx: OperationContext, apiId: string, stage: string | undefined, key: string, id: string | undefined) => {
    // A REST API may be mapped here too, as on AWS ("you can map a REST API and an HTTP API to the same custom domain
    // name"): its stage is checked through apigateway's port, and apigateway serves it at the domain.
    const restStage = state.apis.has(apiId) ? undefined : rest?.()?.restStage(ctx.caller.account, ctx.caller.region, apiId, stage ?? '')
    if (restStage !== undefined) {
      if (stage !== undefined && !restStage) throw apiGatewayV2Errors.badRequest(`Invalid stage identifier specified ${stage}`)
      if (Object.values(domain.mappings).some((m) => m.id !== id && state.apis.get(m.apiId)?.protocolType === 'WEBSOCKET')) {
        throw apiGatewayV2Errors.badRequest(`Domain name ${domain.domainName} cannot have both WebSocket and HTTP APIs mapped to it`)
      }
      return checkKey(domain, key, id)
    }
    const api = state.api(ctx.caller.account, ctx.caller.region, apiId)
    // "You can't map WebSocket APIs to the same custom domain name as an HTTP API or REST API" [R: the message].
    const websocket = api.protocolType === 'WEBSOCKET'
    const other = Object.values(domain.mappings).find((m) => m.id !== id && (state.apis.get(m.apiId)?.protocolType === 'WEBSOCKET') !== websocket)
    if (other !== undefined) {
      throw apiGatewayV2Errors.badRequest(`Domain name ${domain.domainName} cannot have both WebSocket and HTTP APIs mapped to it`)
    }
    if (stage === undefined || api.stages[stage] === undefined) throw apiGatewayV2Errors.badRequest(`Invalid stage identifier specified ${stage}`)
    checkKey(domain, key, id)
  }
  const checkKey = (domain: DomainData, key: string, id: string | undefined) => {
    if (key !== '' && !keyPattern.test(key)) throw apiGatewayV2Errors.badRequest(`Invalid API mapping key specified: ${key}`)
    if (Object.values(domain.mappings).some((m) => m.key === key && m.id !== id)) {
      throw apiGatewayV2Errors.conflict(`ApiMapping with key ${key === '' ? '(none)' : key} already exists for domain name ${domain.domainName}`)
    }
  }

  const createApiMapping: Op<T.CreateApiMappingRequest, T.CreateApiMappingResponse> = (input, ctx) => {
    const key = (input.ApiMappingKey ?? '').replace(/^\/+|\/+$/g, '')
    if (restOne(ctx, input.DomainName) !== undefined) {
      checkRestDomainMapping(ctx, input.ApiId, input.Stage, key)
      const put = rest!()!.domainPeer.putMapping(ctx.caller.account, ctx.caller.region, input.DomainName, { apiId: input.ApiId, key, stage: input.Stage })
      return outcome(input.DomainName, put, key)
    }
    const domain = own(ctx, input.DomainName)
    checkMapping(domain, ctx, input.ApiId, input.Stage, key, undefined)
    let id = newId(6)
    while (domain.mappings[id] !== undefined) id = newId(6)
    const mapping: ApiMappingData = { id, apiId: input.ApiId, key, stage: input.Stage }
    domain.mappings[id] = mapping
    domains.save(domain)
    return mappingView(mapping)
  }

  const mappingOf = (domain: DomainData, id: string): ApiMappingData => {
    const mapping = domain.mappings[id]
    if (mapping === undefined) throw mappingNotFound(id)
    return mapping
  }

  /** A REST API domain's mapping by its id (its base path mappings seen as API mappings). */
  const restMapping = (domain: SharedDomain, id: string) => {
    const mapping = domain.mappings.find((m) => m.id === id)
    if (mapping === undefined) throw mappingNotFound(id)
    return mapping
  }

  const getApiMapping: Op<T.GetApiMappingRequest, T.GetApiMappingResponse> = (input, ctx) => {
    const restDomainNamed = restOne(ctx, input.DomainName)
    if (restDomainNamed !== undefined) return mappingView(restMapping(restDomainNamed, input.ApiMappingId))
    return mappingView(mappingOf(own(ctx, input.DomainName), input.ApiMappingId))
  }

  const getApiMappings: Op<T.GetApiMappingsRequest, T.GetApiMappingsResponse> = (input, ctx) => {
    const restDomainNamed = restOne(ctx, input.DomainName)
    if (restDomainNamed !== undefined) return page(restDomainNamed.mappings.map(mappingView), input)
    return page(Object.values(own(ctx, input.DomainName).mappings).map(mappingView), input)
  }

  const updateApiMapping: Op<T.UpdateApiMappingRequest, T.UpdateApiMappingResponse> = (input, ctx) => {
    const restDomainNamed = restOne(ctx, input.DomainName)
    if (restDomainNamed !== undefined) {
      const current = restMapping(restDomainNamed, input.ApiMappingId)
      const key = input.ApiMappingKey === undefined ? current.key : input.ApiMappingKey.replace(/^\/+|\/+$/g, '')
      const stage = input.Stage ?? current.stage ?? '$default'
      checkRestDomainMapping(ctx, input.ApiId, stage, key)
      const put = rest!()!.domainPeer.putMapping(ctx.caller.account, ctx.caller.region, input.DomainName, { apiId: input.ApiId, key, stage }, current.id)
      return outcome(input.DomainName, put, key, current.id)
    }
    const domain = own(ctx, input.DomainName)
    const mapping = mappingOf(domain, input.ApiMappingId)
    const key = input.ApiMappingKey === undefined ? mapping.key : input.ApiMappingKey.replace(/^\/+|\/+$/g, '')
    const stage = input.Stage ?? mapping.stage
    checkMapping(domain, ctx, input.ApiId, stage, key, mapping.id)
    Object.assign(mapping, { apiId: input.ApiId, key, stage })
    domains.save(domain)
    return mappingView(mapping)
  }

  const deleteApiMapping: Op<T.DeleteApiMappingRequest, void> = (input, ctx) => {
    if (restOne(ctx, input.DomainName) !== undefined) {
      if (!rest!()!.domainPeer.removeMapping(ctx.caller.account, ctx.caller.region, input.DomainName, input.ApiMappingId)) throw mappingNotFound(input.ApiMappingId)
      return
    }
    const domain = own(ctx, input.DomainName)
    mappingOf(domain, input.ApiMappingId)
    delete domain.mappings[input.ApiMappingId]
    domains.save(domain)
  }

  return {
    CreateDomainName: createDomainName, GetDomainName: getDomainName, GetDomainNames: getDomainNames, DeleteDomainName: deleteDomainName,
    CreateApiMapping: createApiMapping, GetApiMapping: getApiMapping, GetApiMappings: getApiMappings, UpdateApiMapping: updateApiMapping,
    DeleteApiMapping: deleteApiMapping,
  }
}
