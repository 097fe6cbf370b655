// REST APIs' VPC links (CreateVpcLink, GetVpcLink(s), UpdateVpcLink, DeleteVpcLink): a name and the one
// Network Load Balancer ARN AWS takes, PENDING for a minute of Nimbus's clock after creation and then
// AVAILABLE [R: AWS takes minutes]. Nothing is provisioned: an integration through one calls its URI.
import type { Clock } from '../../../core/clock.ts'
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../ids.ts'
import { applyPatches, memberRule } from '../operations/patch.ts'
import { page } from '../operations/views.ts'
import type { AccountResources, RestVpcLinkData } from './store.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

export const restVpcLinkPendingMs = 60_000

// [R] AWS's wording.
export const vpcLinkNotFound = () => apiGatewayErrors.notFound('Invalid VPC link identifier specified')
const nlbArn = /^arn:aws[\w-]*:elasticloadbalancing:[\w-]+:\d{12}:loadbalancer\/net\/[^/]+\/[0-9a-f]+$/

function view(link: RestVpcLinkData, now: number): T.VpcLink {
  const pending = now - link.createdDate < restVpcLinkPendingMs
  return {
    id: link.id, name: link.name, description: link.description, targetArns: [...link.targetArns],
    status: pending ? 'PENDING' : 'AVAILABLE', statusMessage: pending ? 'VPC link is provisioning ENIs' : 'Your vpc link is ready for use',
    tags: Object.keys(link.tags).length > 0 ? { ...link.tags } : undefined,
  }
}

export function restVpcLinkOperations(resources: AccountResources, clock: Clock) {
  const own = (id: string, ctx: OperationContext) => {
    const link = resources.vpcLinks.get(id, ctx.caller.account, ctx.caller.region)
    if (link === undefined) throw vpcLinkNotFound()
    return link
  }

  const createVpcLink: Op<T.CreateVpcLinkRequest, T.VpcLink> = (input, ctx) => {
    if (input.name.trim() === '') throw apiGatewayErrors.badRequest('Invalid VPC link name specified')
    // [R] REST VPC links target exactly one Network Load Balancer.
    if (input.targetArns.length !== 1) throw apiGatewayErrors.badRequest('A VPC link must have exactly one target ARN')
    if (!nlbArn.test(input.targetArns[0]!)) throw apiGatewayErrors.invalidArn(input.targetArns[0]!)
    const id = resources.vpcLinks.freshId(() => newId(6))
    const link: RestVpcLinkData = {
      account: ctx.caller.account, region: ctx.caller.region, id, name: input.name, description: input.description,
      targetArns: [...input.targetArns], tags: { ...input.tags }, createdDate: clock.now(),
    }
    resources.vpcLinks.save(link)
    return view(link, clock.now())
  }

  const updateVpcLink: Op<T.UpdateVpcLinkRequest, T.VpcLink> = (input, ctx) => {
    const link = structuredClone(own(input.vpcLinkId, ctx))
    applyPatches(link, input.patchOperations, [
      memberRule<RestVpcLinkData>('/name', (l, v) => { l.name = String(v) }, 'string', (l) => l.name),
      memberRule<RestVpcLinkData>('/description', (l, v) => { l.description = String(v) }, 'string', (l) => l.description),
    ])
    if (link.name.trim() === '') throw apiGatewayErrors.badRequest('Invalid VPC link name specified')
    resources.vpcLinks.save(link)
    return view(link, clock.now())
  }

  return {
    CreateVpcLink: createVpcLink,
    GetVpcLink: ((input, ctx) => view(own(input.vpcLinkId, ctx), clock.now())) as Op<T.GetVpcLinkRequest, T.VpcLink>,
    GetVpcLinks: ((input, ctx) => {
      const { items, position } = page(resources.vpcLinks.list(ctx.caller.account, ctx.caller.region), input.position, input.limit)
      return { items: items.map((l) => view(l, clock.now())), position }
    }) as Op<T.GetVpcLinksRequest, T.VpcLinks>,
    UpdateVpcLink: updateVpcLink,
    // AWS answers 202 and takes the link down over a while; Nimbus forgets it at once.
    DeleteVpcLink: ((input, ctx) => { resources.vpcLinks.remove(own(input.vpcLinkId, ctx)) }) as Op<T.DeleteVpcLinkRequest, void>,
  }
}
