// TagResource, UntagResource and GetTags for HTTP and WebSocket APIs' taggable resources, named by
// AWS's ARN forms: `arn:aws:apigateway:{region}::/apis/{id}`, `…/apis/{id}/stages/{name}`,
// `…::/domainnames/{name}` and `…::/vpclinks/{id}` (the tags are the ones Create*/Get* show).
import type { OperationContext } from '../../service.ts'
import type { HttpDomainState } from '../domains/store.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { HttpApiState } from '../store.ts'
import type { VpcLinkState } from '../vpc-links/vpc-links.ts'
import { checkTags } from '../tag-limits.ts'
import type { DomainPeer } from '../../api-gateway-domains.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O
type RestDomains = (() => DomainPeer | undefined) | undefined

/** The tag map an ARN names (the object itself, so changes stick), and how to save its owner. */
function resolve(arn: string, ctx: OperationContext, state: HttpApiState, domains: HttpDomainState, links: VpcLinkState, rest: RestDomains):
  { tags: Record<string, string>; save: () => void } {
  const match = /^arn:aws[\w-]*:apigateway:([\w-]+)::(\/.*)$/.exec(arn)
  // [R] AWS's answer to an ARN it can't read.
  if (match === null) throw apiGatewayV2Errors.badRequest(`Invalid resource ARN specified: ${arn}`)
  const [, region, path] = match as unknown as [string, string, string]
  if (region !== ctx.caller.region) throw apiGatewayV2Errors.notFound(`Invalid resource ARN specified: ${arn}`)
  const parts = path.split('/').slice(1).map((p) => decodeURIComponent(p))
  if (parts[0] === 'apis' && parts.length === 2) {
    const api = state.api(ctx.caller.account, region, parts[1]!)
    return { tags: api.tags, save: () => state.save(api) }
  }
  if (parts[0] === 'apis' && parts.length === 4 && parts[2] === 'stages') {
    const api = state.api(ctx.caller.account, region, parts[1]!)
    const stage = state.stage(api, parts[3]!)
    return { tags: stage.tags, save: () => state.save(api) }
  }
  if (parts[0] === 'domainnames' && parts.length === 2) {
    const domain = domains.domains.get(parts[1]!.toLowerCase())
    if (domain === undefined || domain.account !== ctx.caller.account || domain.region !== region) {
      // One set of domain names with apigateway (api-gateway-domains.ts): a domain created there is tagged here too.
      const other = rest?.()?.get(ctx.caller.account, region, parts[1]!)
      if (other === undefined) throw apiGatewayV2Errors.notFound(`Invalid domain name identifier specified ${parts[1]}`)
      return { tags: other.tags, save: () => rest!()!.setTags(ctx.caller.account, region, parts[1]!, other.tags) }
    }
    return { tags: domain.tags, save: () => domains.save(domain) }
  }
  if (parts[0] === 'vpclinks' && parts.length === 2) {
    const link = links.own(ctx, parts[1]!)
    return { tags: link.tags, save: () => links.save(link) }
  }
  throw apiGatewayV2Errors.badRequest(`Invalid resource ARN specified: ${arn}`)
}

/** `rest`: apigateway's domains, tagged here too (one set of domain names on AWS). */
export function tagOperations(state: HttpApiState, domains: HttpDomainState, links: VpcLinkState, rest?: RestDomains) {
  const tagResource: Op<T.TagResourceRequest, T.TagResourceResponse> = (input, ctx) => {
    const target = resolve(input.ResourceArn, ctx, state, domains, links, rest)
    const tags = input.Tags ?? {}
    checkTags(tags, target.tags)
    Object.assign(target.tags, tags)
    target.save()
    return {}
  }

  const untagResource: Op<T.UntagResourceRequest, void> = (input, ctx) => {
    const target = resolve(input.ResourceArn, ctx, state, domains, links, rest)
    for (const key of input.TagKeys) delete target.tags[key]
    target.save()
  }

  const getTags: Op<T.GetTagsRequest, T.GetTagsResponse> = (input, ctx) => ({ Tags: { ...resolve(input.ResourceArn, ctx, state, domains, links, rest).tags } })

  return { TagResource: tagResource, UntagResource: untagResource, GetTags: getTags }
}
