// Elastic IPs: allocate, associate (with reassociation, moving between instances: the instance's
// public IP follows), disassociate, release, describe.
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, type FilterTable } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import { newPublicIp } from '../launch.ts'
import type { AddressRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, checkId, regionOf, specTags, tagsOut } from './common.ts'
import { namedInstances } from './instances.ts'

function find(region: RegionState, allocationId: string | undefined, publicIp: string | undefined): AddressRecord {
  if (allocationId !== undefined) {
    checkId(allocationId, 'eipalloc', 'InvalidAllocationID.Malformed')
    const address = region.addresses.get(allocationId)
    if (address === undefined) throw ec2Errors.allocationNotFound(allocationId)
    return address
  }
  if (publicIp !== undefined) {
    const address = [...region.addresses.values()].find((a) => a.publicIp === publicIp)
    if (address === undefined) throw ec2Errors.addressNotFound(publicIp)
    return address
  }
  throw ec2Errors.missingParameter('allocationId')
}

function view(region: RegionState, a: AddressRecord) {
  const instance = a.instanceId === undefined ? undefined : region.instances.get(a.instanceId)
  return {
    AllocationId: a.id, PublicIp: a.publicIp, Domain: 'vpc' as const, PublicIpv4Pool: 'amazon', NetworkBorderGroup: region.region,
    AssociationId: a.associationId, InstanceId: a.instanceId, NetworkInterfaceId: instance?.eniId ?? a.networkInterfaceId,
    NetworkInterfaceOwnerId: instance === undefined && a.networkInterfaceId === undefined ? undefined : region.account,
    PrivateIpAddress: instance?.privateIp ?? a.privateIp, Tags: tagsOut(a.tags),
  }
}

const filters: FilterTable<AddressRecord> = {
  'allocation-id': (a) => [a.id], 'association-id': (a) => [a.associationId], 'instance-id': (a) => [a.instanceId],
  'public-ip': (a) => [a.publicIp], domain: () => ['vpc'], 'network-interface-id': (a) => [a.networkInterfaceId],
}

export function addressOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    AllocateAddress: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const address: AddressRecord = { kind: 'eip', id: newId('eipalloc'), publicIp: newPublicIp(52), instanceId: undefined, associationId: undefined, tags: [] }
      applyTags(address, specTags(input.TagSpecifications, 'elastic-ip'))
      region.save(address)
      return { AllocationId: address.id, PublicIp: address.publicIp, Domain: 'vpc', PublicIpv4Pool: 'amazon', NetworkBorderGroup: region.region }
    },

    AssociateAddress: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const address = find(region, input.AllocationId, input.PublicIp)
      if (input.InstanceId === undefined) throw ec2Errors.missingParameter('instanceId')
      const [instance] = namedInstances(region, [input.InstanceId])
      if (instance!.state === 'terminated' || instance!.state === 'shutting-down') {
        throw ec2Errors.incorrectStateAssociate(instance!.id, instance!.state)
      }
      if (address.instanceId === instance!.id) return { AssociationId: address.associationId }
      // An address a NAT gateway holds stays with it (reassociation or not).
      if (address.networkInterfaceId !== undefined) throw ec2Errors.alreadyAssociated(address.id, address.associationId!)
      if (address.instanceId !== undefined && input.AllowReassociation !== true) {
        throw ec2Errors.alreadyAssociated(address.id, address.associationId!)
      }
      // An instance holds one Elastic IP here: the one it had is disassociated (AllowReassociation or not, as AWS replaces it).
      for (const other of region.addresses.values()) {
        if (other.instanceId === instance!.id && other !== address) {
          if (input.AllowReassociation !== true) throw ec2Errors.alreadyAssociated(other.id, other.associationId!)
          other.instanceId = undefined
          other.associationId = undefined
          region.save(other)
        }
      }
      const previous = address.instanceId === undefined ? undefined : region.instances.get(address.instanceId)
      address.instanceId = instance!.id
      address.associationId = newId('eipassoc')
      region.save(address)
      // The Elastic IP replaces the instance's auto-assigned public IP, which AWS releases.
      instance!.publicIp = undefined
      region.save(instance!)
      // The instance it left gets a new public IP where its subnet maps one (as AWS does).
      if (previous !== undefined) giveBackPublicIp(region, previous.id)
      return { AssociationId: address.associationId }
    },

    DisassociateAddress: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      let address: AddressRecord | undefined
      if (input.AssociationId !== undefined) {
        checkId(input.AssociationId, 'eipassoc', 'InvalidAssociationID.Malformed')
        address = [...region.addresses.values()].find((a) => a.associationId === input.AssociationId)
        if (address === undefined) throw ec2Errors.associationNotFound(input.AssociationId)
      } else {
        address = find(region, undefined, input.PublicIp)
      }
      // A NAT gateway's address is released with the gateway, not disassociated from it.
      if (address.networkInterfaceId !== undefined) throw ec2Errors.addressInUse()
      const instanceId = address.instanceId
      address.instanceId = undefined
      address.associationId = undefined
      region.save(address)
      if (instanceId !== undefined) giveBackPublicIp(region, instanceId)
    },

    ReleaseAddress: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const address = find(region, input.AllocationId, input.PublicIp)
      if (address.associationId !== undefined) throw ec2Errors.addressInUse()
      region.remove(address)
    },

    DescribeAddresses: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const match = compileFilters(input.Filters, filters)
      let all = [...region.addresses.values()]
      if (input.AllocationIds !== undefined && input.AllocationIds.length > 0) all = input.AllocationIds.map((id) => find(region, id, undefined))
      if (input.PublicIps !== undefined && input.PublicIps.length > 0) all = input.PublicIps.map((ip) => find(region, undefined, ip))
      return { Addresses: all.filter(match).map((a) => view(region, a)) }
    },
  }
}

/** An instance that lost its Elastic IP shows an auto-assigned one again if it runs in a subnet that maps them. */
function giveBackPublicIp(region: RegionState, instanceId: string): void {
  const instance = region.instance(instanceId)
  if (instance === undefined || instance.state === 'stopped' || instance.state === 'terminated') return
  if (instance.publicIp === undefined && region.subnets.get(instance.subnetId)?.mapPublicIp === true) {
    instance.publicIp = newPublicIp(3)
    region.save(instance)
  }
}
