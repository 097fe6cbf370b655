// Internet gateways (Create/Describe/Delete, Attach/Detach to one VPC each) and egress-only internet
// gateways (made attached to their VPC). The default VPC's gateway is made with it (vpc-defaults.ts).
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, type FilterTable, paginate } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import { publicIpOf } from '../instance-view.ts'
import { allNatGateways } from '../nat-state.ts'
import { attachedGateway, findInternetGateway } from '../network-find.ts'
import { networkErrors } from '../network-errors.ts'
import type { InternetGatewayRecord } from '../network-resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { findVpc } from './network.ts'
import { applyTags, regionOf, specTags, tagsOut } from './common.ts'

const view = (region: RegionState, g: InternetGatewayRecord) => ({
  InternetGatewayId: g.id, OwnerId: region.account, Tags: tagsOut(g.tags),
  // AWS shows an attached internet gateway's attachment as `available`.
  Attachments: g.vpcId === undefined ? [] : [{ State: 'available' as 'attached', VpcId: g.vpcId }],
})

const egressView = (g: InternetGatewayRecord) => ({
  EgressOnlyInternetGatewayId: g.id, Tags: tagsOut(g.tags), Attachments: [{ State: 'attached' as const, VpcId: g.vpcId }],
})

function filtersFor(region: RegionState): FilterTable<InternetGatewayRecord> {
  return {
    'internet-gateway-id': (g) => [g.id], 'owner-id': () => [region.account],
    'attachment.vpc-id': (g) => [g.vpcId], 'attachment.state': (g) => [g.vpcId === undefined ? undefined : 'available'],
  }
}

/** A VPC still maps public addresses while a live instance in it has one, or a public NAT gateway lives there. */
function hasMappedAddresses(region: RegionState, vpcId: string): boolean {
  for (const instance of region.allInstances()) {
    if (instance.vpcId === vpcId && instance.state !== 'terminated' && publicIpOf(region, instance) !== undefined) return true
  }
  return allNatGateways(region).some((n) => n.vpcId === vpcId && n.connectivity === 'public' && n.state !== 'deleted' && n.state !== 'failed')
}

export function internetGatewayOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    CreateInternetGateway: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const gateway: InternetGatewayRecord = { kind: 'igw', id: newId('igw'), vpcId: undefined, egressOnly: false, tags: [] }
      applyTags(gateway, specTags(input.TagSpecifications, 'internet-gateway'))
      region.save(gateway)
      return { InternetGateway: view(region, gateway) }
    },

    DescribeInternetGateways: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const match = compileFilters(input.Filters, filtersFor(region))
      const all = input.InternetGatewayIds !== undefined && input.InternetGatewayIds.length > 0
        ? input.InternetGatewayIds.map((id) => findInternetGateway(region, id))
        : [...region.internetGateways.values()].filter((g) => !g.egressOnly)
      const page = paginate(all.filter(match), input.MaxResults, input.NextToken)
      return { InternetGateways: page.items.map((g) => view(region, g)), NextToken: page.nextToken }
    },

    DeleteInternetGateway: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const gateway = findInternetGateway(region, input.InternetGatewayId)
      if (gateway.vpcId !== undefined) throw networkErrors.dependency('internetGateway', gateway.id)
      region.remove(gateway)
    },

    AttachInternetGateway: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const gateway = findInternetGateway(region, input.InternetGatewayId)
      const vpc = findVpc(region, input.VpcId!)
      if (gateway.vpcId !== undefined) throw networkErrors.gatewayAttached(gateway.id, gateway.vpcId)
      if (attachedGateway(region, vpc.id) !== undefined) throw networkErrors.vpcHasGateway(vpc.id)
      gateway.vpcId = vpc.id
      region.save(gateway)
    },

    DetachInternetGateway: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const gateway = findInternetGateway(region, input.InternetGatewayId)
      const vpc = findVpc(region, input.VpcId!)
      if (gateway.vpcId !== vpc.id) throw networkErrors.gatewayNotAttached(gateway.id, vpc.id)
      if (hasMappedAddresses(region, vpc.id)) {
        throw ec2Errors.dependencyViolation(`Network ${vpc.id} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`)
      }
      gateway.vpcId = undefined
      region.save(gateway)
    },

    CreateEgressOnlyInternetGateway: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const vpc = findVpc(region, input.VpcId!)
      const gateway: InternetGatewayRecord = { kind: 'igw', id: newId('eigw'), vpcId: vpc.id, egressOnly: true, tags: [] }
      applyTags(gateway, specTags(input.TagSpecifications, 'egress-only-internet-gateway'))
      region.save(gateway)
      return { EgressOnlyInternetGateway: egressView(gateway), ClientToken: input.ClientToken }
    },

    DescribeEgressOnlyInternetGateways: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const match = compileFilters<InternetGatewayRecord>(input.Filters, {})
      const all = input.EgressOnlyInternetGatewayIds !== undefined && input.EgressOnlyInternetGatewayIds.length > 0
        ? input.EgressOnlyInternetGatewayIds.map((id) => findInternetGateway(region, id, true))
        : [...region.internetGateways.values()].filter((g) => g.egressOnly)
      const page = paginate(all.filter(match), input.MaxResults, input.NextToken, { min: 5, max: 255 })
      return { EgressOnlyInternetGateways: page.items.map(egressView), NextToken: page.nextToken }
    },

    DeleteEgressOnlyInternetGateway: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const gateway = findInternetGateway(region, input.EgressOnlyInternetGatewayId, true)
      region.remove(gateway)
      return { ReturnCode: true }
    },
  }
}
