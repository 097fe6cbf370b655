// NAT gateways: CreateNatGateway (public with an Elastic IP allocation — failed, as AWS's, when its
// VPC has no internet gateway —, or private), an interface in its subnet, states on the clock
// (nat-state.ts), DeleteNatGateway (deleting → deleted, visible for an hour), DescribeNatGateways.
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, type FilterTable, paginate } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import { allNatGateways, settleNat } from '../nat-state.ts'
import { attachedGateway, findSubnet } from '../network-find.ts'
import { networkErrors } from '../network-errors.ts'
import type { NatGatewayRecord } from '../network-resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, regionOf, specTags, tagsOut } from './common.ts'
import { createInterface } from './network-interfaces.ts'

function view(region: RegionState, n: NatGatewayRecord) {
  const failed = n.state === 'failed'
  const zone = region.subnets.get(n.subnetId)
  return {
    NatGatewayId: n.id, VpcId: n.vpcId, SubnetId: n.subnetId, State: n.state, ConnectivityType: n.connectivity,
    CreateTime: new Date(n.createTime), DeleteTime: n.deleteTime === undefined ? undefined : new Date(n.deleteTime), Tags: tagsOut(n.tags),
    FailureCode: failed ? 'Gateway.NotAttached' : undefined,
    FailureMessage: failed ? `Network ${n.vpcId} has no Internet gateway attached` : undefined,
    // A failed or deleted gateway no longer holds its interface or address.
    NatGatewayAddresses: failed ? [] : [{
      AllocationId: n.allocationId, NetworkInterfaceId: n.eniId, PrivateIp: n.privateIp, PublicIp: n.publicIp, AssociationId: n.associationId,
      IsPrimary: true, Status: n.state === 'deleted' ? 'succeeded' as const : n.state === 'deleting' ? 'disassociating' as const
        : n.state === 'pending' ? 'associating' as const : 'succeeded' as const,
      AvailabilityZone: zone?.zone, AvailabilityZoneId: zone?.zoneId,
    }],
  }
}

const filters: FilterTable<NatGatewayRecord> = {
  'nat-gateway-id': (n) => [n.id], state: (n) => [n.state], 'subnet-id': (n) => [n.subnetId], 'vpc-id': (n) => [n.vpcId],
}

function findNat(region: RegionState, id: string | undefined): NatGatewayRecord {
  if (id === undefined) throw ec2Errors.missingParameter('natGatewayId')
  if (!/^nat-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) throw networkErrors.natGatewayMalformed(id)
  const nat = region.natGateways.get(id)
  const settled = nat === undefined ? undefined : settleNat(region, nat)
  if (settled === undefined) throw networkErrors.natGatewayNotFound(id)
  return settled
}

export function natGatewayOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    CreateNatGateway: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const subnet = findSubnet(region, input.SubnetId)
      const connectivity = input.ConnectivityType ?? 'public'
      if (connectivity !== 'public' && connectivity !== 'private') {
        throw ec2Errors.invalidParameterValue(`Value (${String(connectivity)}) for parameter connectivityType is invalid. Valid values are public and private.`)
      }
      let address
      if (connectivity === 'public') {
        if (input.AllocationId === undefined) throw ec2Errors.missingParameter('allocationId')
        address = region.addresses.get(input.AllocationId)
        if (address === undefined) throw ec2Errors.allocationNotFound(input.AllocationId)
        if (address.associationId !== undefined) {
          throw ec2Errors.alreadyAssociated(address.id, address.associationId)
        }
      } else if (input.AllocationId !== undefined) {
        throw ec2Errors.invalidParameterCombination('A private NAT gateway cannot have an Elastic IP address allocation.')
      }
      const id = newId('nat')
      const eni = createInterface(region, subnet.id, { privateIp: input.PrivateIpAddress, description: `Interface for NAT Gateway ${id}`, type: 'nat_gateway' })
      const now = region.now
      // A public NAT gateway in a VPC with no internet gateway fails (visible as `failed`, as AWS's).
      const failed = connectivity === 'public' && attachedGateway(region, subnet.vpcId) === undefined
      const nat: NatGatewayRecord = {
        kind: 'nat', id, vpcId: subnet.vpcId, subnetId: subnet.id, connectivity, allocationId: address?.id, publicIp: address?.publicIp,
        associationId: undefined, privateIp: eni.privateIp, eniId: eni.id, createTime: now, state: failed ? 'failed' : 'pending', since: now,
        deleteTime: undefined, tags: [],
      }
      applyTags(nat, specTags(input.TagSpecifications, 'natgateway'))
      if (failed) {
        region.remove(eni)
      } else if (address !== undefined) {
        nat.associationId = newId('eipassoc')
        address.associationId = nat.associationId
        address.networkInterfaceId = eni.id
        address.privateIp = eni.privateIp
        region.save(address)
      }
      region.save(nat)
      return { NatGateway: view(region, nat), ClientToken: input.ClientToken }
    },

    DescribeNatGateways: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const match = compileFilters(input.Filter, filters)
      const ids = input.NatGatewayIds ?? []
      const all = ids.length > 0 ? ids.map((id) => findNat(region, id)) : allNatGateways(region)
      const page = paginate(all.filter(match), input.MaxResults, input.NextToken)
      return { NatGateways: page.items.map((n) => view(region, n)), NextToken: page.nextToken }
    },

    DeleteNatGateway: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const nat = findNat(region, input.NatGatewayId)
      if (nat.state === 'pending' || nat.state === 'available') {
        nat.state = 'deleting'
        nat.since = region.now
        region.save(nat)
      } else if (nat.state === 'failed') {
        // A failed gateway holds nothing: it is deleted at once.
        nat.state = 'deleted'
        nat.deleteTime = region.now
        region.save(nat)
      }
      return { NatGatewayId: nat.id }
    },
  }
}
