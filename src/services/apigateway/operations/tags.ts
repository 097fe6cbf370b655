// TagResource, UntagResource and GetTags on every REST API Gateway resource AWS tags, by its ARN:
// `arn:aws:apigateway:{region}::/restapis/{id}` (and `…/stages/{name}`), `::/apikeys/{id}`,
// `::/usageplans/{id}`, `::/domainnames/{name}`, `::/vpclinks/{id}`, `::/clientcertificates/{id}`.
// The tags are the ones the Create operations take and the Get operations show.
import type { OperationContext } from '../../service.ts'
import { certificateNotFound } from '../account-resources/client-certificates.ts'
import type { AccountResources } from '../account-resources/store.ts'
import { vpcLinkNotFound } from '../account-resources/vpc-links.ts'
import { domainNotFound, ownDomain } from '../domains/operations.ts'
import type { DomainState } from '../domains/store.ts'
import type { DomainPeer } from '../../api-gateway-domains.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { ApiGatewayState } from '../store.ts'
import type { UsageState } from '../usage-store.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

interface Tagged {
  tags: Record<string, string>
  save: () => void
}

/** [R] AWS's limits and wording: keys 1–128 characters, not `aws:`; values up to 256. */
/** AWS's tag limits: keys 1–128 characters not starting with `aws:`, values up to 256, 50 tags a resource [R: the messages]. */
function checkTags(tags: Record<string, string>, existing: Record<string, string> = {}): void {
  if (Object.keys({ ...existing, ...tags }).length > 50) throw apiGatewayErrors.badRequest('A resource can have at most 50 tags')
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128 || key.toLowerCase().startsWith('aws:')) throw apiGatewayErrors.badRequest(`Invalid tag key: ${key}`)
    if (typeof value !== 'string' || value.length > 256) throw apiGatewayErrors.badRequest(`Invalid tag value for key: ${key}`)
  }
}

/** A percent-encoded part of a resource ARN; a malformed escape makes it no ARN of ours. */
function decoded(part: string, arn: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    throw apiGatewayErrors.invalidArn(arn)
  }
}

/** `http`: apigatewayv2's domains, tagged here too (one set of domain names on AWS). */
export function restTagOperations(state: ApiGatewayState, usage: UsageState, domains: DomainState, resources: AccountResources,
  http?: () => DomainPeer | undefined) {
  const resolve = (arn: string, ctx: OperationContext): Tagged => {
    // A private custom domain name's ARN names its account and id: `arn:aws:apigateway:{region}:{account}:/domainnames/{name}+{id}`.
    const privateArn = /^arn:aws[\w-]*:apigateway:([\w-]+):(\d{12}):\/domainnames\/([^/+]+)\+([a-z0-9]+)$/.exec(arn)
    if (privateArn !== null) {
      if (privateArn[1] !== ctx.caller.region) throw apiGatewayErrors.invalidArn(arn)
      if (privateArn[2] !== ctx.caller.account) throw domainNotFound()
      const domain = ownDomain(domains, ctx, decoded(privateArn[3]!, arn), privateArn[4]!)
      return { tags: domain.tags, save: () => domains.save(domain) }
    }
    const match = /^arn:aws[\w-]*:apigateway:([\w-]+)::\/([a-z]+)\/([^/]+)(?:\/stages\/([^/]+))?$/.exec(arn)
    if (match === null || match[1] !== ctx.caller.region) throw apiGatewayErrors.invalidArn(arn)
    const [, region, kind, rawId, stageName] = match as unknown as [string, string, string, string, string | undefined]
    const id = decoded(rawId, arn)
    const { account } = ctx.caller
    if (stageName !== undefined && kind !== 'restapis') throw apiGatewayErrors.invalidArn(arn)
    switch (kind) {
      case 'restapis': {
        const api = state.api(account, region, id)
        return { tags: stageName === undefined ? api.tags : state.stage(api, decoded(stageName, arn)).tags, save: () => state.save(api) }
      }
      case 'apikeys': {
        const key = usage.keys.get(id)
        if (key === undefined || key.account !== account || key.region !== region) throw apiGatewayErrors.apiKeyNotFound()
        return { tags: key.tags, save: () => usage.saveKey(key) }
      }
      case 'usageplans': {
        const plan = usage.plans.get(id)
        if (plan === undefined || plan.account !== account || plan.region !== region) throw apiGatewayErrors.usagePlanNotFound(id)
        return { tags: plan.tags, save: () => usage.savePlan(plan) }
      }
      case 'domainnames': {
        const domain = domains.domains.get(id.toLowerCase())
        if (domain === undefined || domain.account !== account || domain.region !== region) {
          // One set of domain names with apigatewayv2 (api-gateway-domains.ts): a domain created there is tagged here too.
          const other = http?.()?.get(account, region, id)
          if (other === undefined) throw domainNotFound()
          return { tags: other.tags, save: () => http!()!.setTags(account, region, id, other.tags) }
        }
        return { tags: domain.tags, save: () => domains.save(domain) }
      }
      case 'vpclinks': {
        const link = resources.vpcLinks.get(id, account, region)
        if (link === undefined) throw vpcLinkNotFound()
        return { tags: link.tags, save: () => resources.vpcLinks.save(link) }
      }
      case 'clientcertificates': {
        const cert = resources.certificates.get(id, account, region)
        if (cert === undefined) throw certificateNotFound()
        return { tags: cert.tags, save: () => resources.certificates.save(cert) }
      }
      default:
        throw apiGatewayErrors.invalidArn(arn)
    }
  }

  const tagResource: Op<T.TagResourceRequest, void> = (input, ctx) => {
    const target = resolve(input.resourceArn, ctx)
    checkTags(input.tags, target.tags)
    Object.assign(target.tags, input.tags)
    target.save()
  }

  const untagResource: Op<T.UntagResourceRequest, void> = (input, ctx) => {
    const target = resolve(input.resourceArn, ctx)
    for (const key of input.tagKeys) delete target.tags[key]
    target.save()
  }

  const getTags: Op<T.GetTagsRequest, T.Tags> = (input, ctx) => ({ tags: { ...resolve(input.resourceArn, ctx).tags } })

  return { TagResource: tagResource, UntagResource: untagResource, GetTags: getTags }
}
