// UpdateDomainName for HTTP APIs' custom domain names: a new DomainNameConfigurations entry replaces
// the certificate, security policy and endpoint type (the regional `d-…` name stays), and
// MutualTlsAuthentication replaces the truststore (stored and shown, not enforced).
import type { OperationContext } from '../../service.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { domainNotFound, domainView } from './operations.ts'
import type { HttpDomainState } from './store.ts'

export function updateDomainOperations(domains: HttpDomainState) {
  const updateDomainName = (input: T.UpdateDomainNameRequest, ctx: OperationContext): T.UpdateDomainNameResponse => {
    const domain = domains.domains.get(input.DomainName.toLowerCase())
    if (domain === undefined || domain.account !== ctx.caller.account || domain.region !== ctx.caller.region) throw domainNotFound(input.DomainName)
    const config = input.DomainNameConfigurations?.[0]
    if (config?.EndpointType === 'EDGE') throw apiGatewayV2Errors.badRequest('Only REGIONAL endpoint types are supported for HTTP APIs')
    if (config?.SecurityPolicy !== undefined && config.SecurityPolicy !== 'TLS_1_0' && config.SecurityPolicy !== 'TLS_1_2') {
      throw apiGatewayV2Errors.badRequest(`Invalid security policy specified: ${String(config.SecurityPolicy)}`)
    }
    if (config !== undefined) {
      if (config.CertificateArn !== undefined) domain.certificateArn = config.CertificateArn
      if (config.CertificateName !== undefined) domain.certificateName = config.CertificateName
      if (config.SecurityPolicy !== undefined) domain.securityPolicy = config.SecurityPolicy
      if (config.EndpointType !== undefined) domain.endpointType = config.EndpointType
    }
    if (input.MutualTlsAuthentication !== undefined) {
      domain.mutualTls = { truststoreUri: input.MutualTlsAuthentication.TruststoreUri, truststoreVersion: input.MutualTlsAuthentication.TruststoreVersion }
    }
    domains.save(domain)
    return domainView(domain)
  }
  return { UpdateDomainName: updateDomainName }
}
