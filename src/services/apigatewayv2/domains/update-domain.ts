// UpdateDomainName for HTTP APIs' custom domain names: a new DomainNameConfigurations entry replaces
// the certificate, security policy and endpoint type (the regional `d-…` name stays), and
// MutualTlsAuthentication replaces the truststore (stored and shown, not enforced).
import type { OperationContext } from '../../service.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { checkRoutingMode, domainNotFound, domainView, sharedView } from './operations.ts'
import type { DomainPeer } from '../../api-gateway-domains.ts'
import type { HttpDomainState } from './store.ts'

/** `rest`: apigateway's domains, updated here too (one set of domain names on AWS: the fields both APIs show). */
export function updateDomainOperations(domains: HttpDomainState, rest?: () => DomainPeer | undefined) {
  const updateDomainName = (input: T.UpdateDomainNameRequest, ctx: OperationContext): T.UpdateDomainNameResponse => {
    const domain = domains.domains.get(input.DomainName.toLowerCase())
    const mine = domain !== undefined && domain.account === ctx.caller.account && domain.region === ctx.caller.region
    const other = mine ? undefined : rest?.()?.get(ctx.caller.account, ctx.caller.region, input.DomainName)
    if (!mine && other === undefined) throw domainNotFound(input.DomainName)
    const config = input.DomainNameConfigurations?.[0]
    // [R] An endpoint type stays what it is: EDGE isn't one HTTP APIs take, and a REST API's EDGE domain can't turn REGIONAL here.
    if (config?.EndpointType !== undefined && config.EndpointType !== (other?.endpointType ?? 'REGIONAL')) {
      throw apiGatewayV2Errors.badRequest('Only REGIONAL endpoint types are supported for HTTP APIs')
    }
    if (config?.SecurityPolicy !== undefined && config.SecurityPolicy !== 'TLS_1_0' && config.SecurityPolicy !== 'TLS_1_2') {
      throw apiGatewayV2Errors.badRequest(`Invalid security policy specified: ${String(config.SecurityPolicy)}`)
    }
    const routingMode = input.RoutingMode === undefined ? undefined : checkRoutingMode(input.RoutingMode)
    if (other !== undefined) {
      const updated = rest!()!.update(ctx.caller.account, ctx.caller.region, input.DomainName, {
        routingMode,
        certificateArn: config?.CertificateArn, certificateName: config?.CertificateName, securityPolicy: config?.SecurityPolicy,
        ...(input.MutualTlsAuthentication !== undefined && {
          mutualTls: { truststoreUri: input.MutualTlsAuthentication.TruststoreUri, truststoreVersion: input.MutualTlsAuthentication.TruststoreVersion },
        }),
      })
      return sharedView(updated!)
    }
    if (domain === undefined) throw domainNotFound(input.DomainName)
    if (config !== undefined) {
      if (config.CertificateArn !== undefined) domain.certificateArn = config.CertificateArn
      if (config.CertificateName !== undefined) domain.certificateName = config.CertificateName
      if (config.SecurityPolicy !== undefined) domain.securityPolicy = config.SecurityPolicy
      if (config.EndpointType !== undefined) domain.endpointType = config.EndpointType
    }
    if (routingMode !== undefined) domain.routingMode = routingMode
    if (input.MutualTlsAuthentication !== undefined) {
      domain.mutualTls = { truststoreUri: input.MutualTlsAuthentication.TruststoreUri, truststoreVersion: input.MutualTlsAuthentication.TruststoreVersion }
    }
    domains.save(domain)
    return domainView(domain)
  }
  return { UpdateDomainName: updateDomainName }
}
