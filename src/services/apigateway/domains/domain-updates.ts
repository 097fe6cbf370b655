// UpdateDomainName and UpdateBasePathMapping, the PATCH operations of custom domain names, with the
// paths AWS documents: a domain's `/certificateName`, `/certificateArn`, `/regionalCertificateName`,
// `/regionalCertificateArn`, `/securityPolicy`, `/endpointConfiguration/types/0` (EDGE ↔ REGIONAL) and
// `/mutualTlsAuthentication/truststoreUri|truststoreVersion`, `/routingMode`, a private domain's `/policy` and
// `/managementPolicy`; a mapping's `/basePath`, `/restapiId`, `/stage`.
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { applyPatches, memberRule, type PatchRule } from '../operations/patch.ts'
import type { ApiGatewayState } from '../store.ts'
import { basePathPattern, domainView, mappingNotFound, ownDomain, restRoutingMode, routingModeOf, sharedView } from './operations.ts'
import type { DomainPeer, SharedDomain } from '../../api-gateway-domains.ts'
import { type DomainNameData, type DomainState, randomName } from './store.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const policies = new Set(['TLS_1_0', 'TLS_1_2'])

const domainRules: PatchRule<DomainNameData>[] = [
  memberRule('/certificateName', (d, v) => { d.certificateName = String(v) }, 'string', (d) => d.certificateName),
  memberRule('/certificateArn', (d, v) => { d.certificateArn = String(v) }, 'string', (d) => d.certificateArn),
  memberRule('/regionalCertificateName', (d, v) => { d.regionalCertificateName = String(v) }, 'string', (d) => d.regionalCertificateName),
  memberRule('/regionalCertificateArn', (d, v) => { d.regionalCertificateArn = String(v) }, 'string', (d) => d.regionalCertificateArn),
  memberRule('/securityPolicy', (d, v) => {
    // [R] AWS's wording.
    if (!policies.has(String(v))) throw apiGatewayErrors.badRequest(`Invalid security policy specified: ${String(v)}`)
    d.securityPolicy = String(v)
  }, 'string', (d) => d.securityPolicy),
  memberRule('/endpointConfiguration/types/0', (d, v) => {
    if (v !== 'EDGE' && v !== 'REGIONAL') throw apiGatewayErrors.badRequest(`Invalid endpoint type specified: ${String(v)}`)
    d.endpointConfiguration = { ...d.endpointConfiguration, types: [v] }
    if (v === 'EDGE') d.distributionDomainName ??= `d${randomName(13)}.cloudfront.net`
  }, 'string', (d) => d.endpointConfiguration.types?.[0]),
  // A private custom domain name's resource policy (who may invoke through it) and management policy (which accounts'
  // VPC endpoints may associate with it): stored and shown, not enforced (Nimbus has no private network).
  memberRule('/policy', (d, v) => { d.policy = String(v) }, 'string', (d) => d.policy),
  memberRule('/managementPolicy', (d, v) => { d.managementPolicy = String(v) }, 'string', (d) => d.managementPolicy),
  memberRule('/routingMode', (d, v) => { d.routingMode = routingModeOf(String(v)) }, 'string', (d) => restRoutingModeValue(d)),
  memberRule('/mutualTlsAuthentication/truststoreUri', (d, v) => { d.mutualTls = { ...d.mutualTls, truststoreUri: String(v) } }, 'string', (d) => d.mutualTls?.truststoreUri),
  memberRule('/mutualTlsAuthentication/truststoreVersion', (d, v) => { d.mutualTls = { ...d.mutualTls, truststoreVersion: String(v) } }, 'string', (d) => d.mutualTls?.truststoreVersion),
]

const restRoutingModeValue = (d: DomainNameData) => restRoutingMode(d.routingMode)

/** A domain created through apigatewayv2 (REGIONAL) as this API's patch paths read it. */
function asRestDomain(d: SharedDomain): DomainNameData {
  return {
    account: d.account, region: d.region, domainName: d.domainName, regionalDomainName: d.regionalDomainName, endpointConfiguration: { types: ['REGIONAL'] },
    regionalCertificateArn: d.certificateArn, regionalCertificateName: d.certificateName, securityPolicy: d.securityPolicy,
    ...(d.mutualTls !== undefined && { mutualTls: { ...d.mutualTls } }), tags: d.tags, createdDate: d.createdDate, mappings: {},
    ...(d.routingMode !== undefined && { routingMode: d.routingMode }),
  }
}

/** `http`: apigatewayv2's domains, updated here too (one set of domain names on AWS: the fields both APIs show). */
export function domainUpdateOperations(state: ApiGatewayState, domains: DomainState, http?: () => DomainPeer | undefined) {
  const own = (ctx: OperationContext, name: string, id: string | undefined) => ownDomain(domains, ctx, name, id)
  /** A domain created through apigatewayv2 (public: it has no private ones), when the name is none of REST APIs' public ones. */
  const httpOne = (ctx: OperationContext, name: string, id: string | undefined): SharedDomain | undefined => {
    if (id !== undefined) return undefined
    const mine = domains.domains.get(name.toLowerCase())
    return mine !== undefined && mine.account === ctx.caller.account && mine.region === ctx.caller.region ? undefined
      : http?.()?.get(ctx.caller.account, ctx.caller.region, name)
  }

  const updateDomainName: Op<T.UpdateDomainNameRequest, T.DomainName> = (input, ctx) => {
    const other = httpOne(ctx, input.domainName, input.domainNameId)
    if (other !== undefined) {
      const patched = asRestDomain(other)
      applyPatches(patched, input.patchOperations, domainRules)
      // [R] A domain HTTP APIs created stays REGIONAL (they take no EDGE endpoint).
      if (patched.endpointConfiguration.types?.[0] !== 'REGIONAL') throw apiGatewayErrors.badRequest('Only REGIONAL endpoint types are supported for HTTP APIs')
      const updated = http!()!.update(ctx.caller.account, ctx.caller.region, input.domainName, {
        certificateArn: patched.regionalCertificateArn, certificateName: patched.regionalCertificateName, securityPolicy: patched.securityPolicy,
        routingMode: patched.routingMode,
        ...(patched.mutualTls !== undefined && { mutualTls: patched.mutualTls }),
      })
      return sharedView(updated!)
    }
    const updated = structuredClone(own(ctx, input.domainName, input.domainNameId))
    applyPatches(updated, input.patchOperations, domainRules)
    // [R] The endpoint type's certificate must be there, as CreateDomainName wants.
    if (updated.domainNameId === undefined && (updated.policy !== undefined || updated.managementPolicy !== undefined)) {
      throw apiGatewayErrors.badRequest('Only private custom domain names take a policy or a management policy')
    }
    const edge = updated.endpointConfiguration.types?.includes('EDGE') === true || updated.domainNameId !== undefined
    if (edge && updated.certificateArn === undefined) throw apiGatewayErrors.badRequest('A certificate was not provided for the EDGE endpoint')
    if (!edge && updated.regionalCertificateArn === undefined) throw apiGatewayErrors.badRequest('A certificate was not provided for the REGIONAL endpoint')
    domains.save(updated)
    return domainView(updated)
  }

  const updateBasePathMapping: Op<T.UpdateBasePathMappingRequest, T.BasePathMapping> = (input, ctx) => {
    const key = input.basePath === '' ? '(none)' : decodeURIComponent(input.basePath)
    const other = httpOne(ctx, input.domainName, input.domainNameId)
    // A domain created through apigatewayv2: its API mapping at that key, replaced through its port.
    const shared = other?.mappings.find((m) => m.key === (key === '(none)' ? '' : key))
    if (other !== undefined && shared === undefined) throw mappingNotFound()
    const domain = other === undefined ? structuredClone(own(ctx, input.domainName, input.domainNameId)) : undefined
    const current = domain === undefined
      ? { basePath: key, restApiId: shared!.apiId, ...(shared!.stage !== undefined && { stage: shared!.stage }) } : domain.mappings[key]
    if (current === undefined) throw mappingNotFound()
    const mapping: T.BasePathMapping = { ...current }
    applyPatches(mapping, input.patchOperations, [
      memberRule<T.BasePathMapping>('/basePath', (m, v) => {
        const path = String(v).replace(/^\/+|\/+$/g, '')
        if (path !== '' && path !== '(none)' && !basePathPattern.test(path)) throw apiGatewayErrors.badRequest(`Invalid base path: ${String(v)}`)
        m.basePath = path === '' ? '(none)' : path
      }, 'string', (m) => m.basePath),
      memberRule<T.BasePathMapping>('/restapiId', (m, v) => { m.restApiId = state.api(ctx.caller.account, ctx.caller.region, String(v)).id }, 'string', (m) => m.restApiId),
      memberRule<T.BasePathMapping>('/stage', (m, v) => { m.stage = String(v) === '' || v === '(none)' ? undefined : String(v) }, 'string', (m) => m.stage),
    ])
    // The stage must be one of the (possibly new) API's [R: the message].
    const api = state.api(ctx.caller.account, ctx.caller.region, mapping.restApiId!)
    if (mapping.stage !== undefined && api.stages[mapping.stage] === undefined) throw apiGatewayErrors.badRequest('Invalid stage identifier specified')
    if (domain === undefined) {
      const put = http!()!.putMapping(ctx.caller.account, ctx.caller.region, input.domainName, {
        apiId: mapping.restApiId!, key: mapping.basePath === '(none)' ? '' : mapping.basePath!, ...(mapping.stage !== undefined && { stage: mapping.stage }),
      }, shared!.id)
      if ('refused' in put && put.refused === 'conflict') throw apiGatewayErrors.conflict('Base path already exists for this domain name')
      if ('refused' in put) throw mappingNotFound()
      return { ...mapping }
    }
    if (mapping.basePath !== key && domain.mappings[mapping.basePath!] !== undefined) throw apiGatewayErrors.conflict('Base path already exists for this domain name')
    delete domain.mappings[key]
    domain.mappings[mapping.basePath!] = mapping
    domains.save(domain)
    return { ...mapping }
  }

  return { UpdateDomainName: updateDomainName, UpdateBasePathMapping: updateBasePathMapping }
}
