// HTTP APIs' VPC links (CreateVpcLink, GetVpcLink(s), UpdateVpcLink, DeleteVpcLink): stored per account
// and region, durable with a data dir (table `apigatewayv2_vpc_links`); PENDING for a while after
// creation and AVAILABLE after, read off Nimbus's clock. Nimbus has no VPCs: nothing is provisioned.
import type { Clock } from '../../../core/clock.ts'
import { OwnedRows } from '../../../storage/owned-rows.ts'
import type { Persistence } from '../../../storage/persistence/persistence.ts'
import type { OperationContext } from '../../service.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { page } from '../operations/pages.ts'
import { newId } from '../store.ts'
import { checkTags } from '../tag-limits.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** How long a new link stays PENDING (AWS provisions ENIs for minutes; Nimbus a minute of its clock) [R]. */
export const vpcLinkPendingMs = 60_000

export interface VpcLinkData {
  account: string
  region: string
  id: string
  name: string
  securityGroupIds: string[]
  subnetIds: string[]
  tags: Record<string, string>
  createdDate: number
}

export class VpcLinkState extends OwnedRows<VpcLinkData> {
  constructor(persistence: Persistence | undefined) {
    super(persistence, 'apigatewayv2_vpc_links')
  }

  /** The caller's link, else AWS's NotFoundException [R: the wording]. */
  own(ctx: OperationContext, id: string): VpcLinkData {
    const link = this.get(id, ctx.caller.account, ctx.caller.region)
    if (link === undefined) throw apiGatewayV2Errors.notFound(`Invalid VpcLink identifier specified ${id}`)
    return link
  }
}

function view(link: VpcLinkData, now: number): T.VpcLink {
  const pending = now - link.createdDate < vpcLinkPendingMs
  return {
    VpcLinkId: link.id, Name: link.name, SecurityGroupIds: [...link.securityGroupIds], SubnetIds: [...link.subnetIds],
    Tags: { ...link.tags }, CreatedDate: new Date(link.createdDate), VpcLinkVersion: 'V2',
    VpcLinkStatus: pending ? 'PENDING' : 'AVAILABLE',
    VpcLinkStatusMessage: pending ? 'VPC link is provisioning ENIs' : 'VPC link is ready to route traffic',
  }
}

export function vpcLinkOperations(links: VpcLinkState, clock: Clock) {
  const createVpcLink: Op<T.CreateVpcLinkRequest, T.CreateVpcLinkResponse> = (input, ctx) => {
    if (input.Name.trim() === '' || input.Name.length > 128) throw apiGatewayV2Errors.badRequest('Invalid VpcLink name specified')
    // [R] AWS wants at least one subnet; ids are checked for their form only (Nimbus has no VPCs).
    if (input.SubnetIds.length === 0) throw apiGatewayV2Errors.badRequest('SubnetIds must contain at least one subnet')
    for (const id of input.SubnetIds) if (!/^subnet-[0-9a-f]+$/.test(id)) throw apiGatewayV2Errors.badRequest(`Invalid subnet ID specified: ${id}`)
    for (const id of input.SecurityGroupIds ?? []) if (!/^sg-[0-9a-f]+$/.test(id)) throw apiGatewayV2Errors.badRequest(`Invalid security group ID specified: ${id}`)
    checkTags(input.Tags ?? {})
    const id = links.freshId(() => newId(6))
    const link: VpcLinkData = {
      account: ctx.caller.account, region: ctx.caller.region, id, name: input.Name, securityGroupIds: [...(input.SecurityGroupIds ?? [])],
      subnetIds: [...input.SubnetIds], tags: { ...input.Tags }, createdDate: clock.now(),
    }
    links.save(link)
    return view(link, clock.now())
  }

  const updateVpcLink: Op<T.UpdateVpcLinkRequest, T.UpdateVpcLinkResponse> = (input, ctx) => {
    const link = links.own(ctx, input.VpcLinkId)
    if (input.Name !== undefined) {
      if (input.Name.trim() === '' || input.Name.length > 128) throw apiGatewayV2Errors.badRequest('Invalid VpcLink name specified')
      link.name = input.Name
    }
    links.save(link)
    return view(link, clock.now())
  }

  return {
    CreateVpcLink: createVpcLink,
    GetVpcLink: ((input, ctx) => view(links.own(ctx, input.VpcLinkId), clock.now())) as Op<T.GetVpcLinkRequest, T.GetVpcLinkResponse>,
    GetVpcLinks: ((input, ctx) => page(links.list(ctx.caller.account, ctx.caller.region).map((l) => view(l, clock.now())), input)) as Op<T.GetVpcLinksRequest, T.GetVpcLinksResponse>,
    UpdateVpcLink: updateVpcLink,
    // AWS answers 202 and takes the link down over a while; Nimbus forgets it at once.
    DeleteVpcLink: ((input, ctx) => {
      links.remove(links.own(ctx, input.VpcLinkId))
      return {}
    }) as Op<T.DeleteVpcLinkRequest, T.DeleteVpcLinkResponse>,
  }
}
