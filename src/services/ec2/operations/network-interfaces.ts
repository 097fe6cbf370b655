// Network interfaces as resources: CreateNetworkInterface (an address of its subnet, the VPC's
// default group unless given), Describe (standalone ones and every instance's primary interface),
// Delete (InvalidNetworkInterface.InUse while attached), Attach/Detach at device index 1 and up,
// Modify/DescribeNetworkInterfaceAttribute (groups, sourceDestCheck, description, attachment).
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, paginate } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import { interfaceFilters, interfaceView } from '../interface-view.ts'
import { allInterfaces, attachedInterfaces, findInterface, standalone, type Interface } from '../interfaces.ts'
import { allocatePrivateIps } from '../launch.ts'
import { findSubnet } from '../network-find.ts'
import { networkErrors } from '../network-errors.ts'
import type { NetworkInterfaceRecord } from '../network-resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, checkId, regionOf, specTags } from './common.ts'
import { namedInstances } from './instances.ts'
import { findGroup } from './security-groups.ts'

export const randomMac = () => `0e:${Array.from({ length: 5 }, () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0')).join(':')}`

/** The groups named, all in the VPC (AWS: "… belong to different networks"), as ids. */
function groupsIn(region: RegionState, ids: readonly string[], vpcId: string, subnetId: string): string[] {
  const groups = ids.map((id) => findGroup(region, id, undefined))
  for (const group of groups) {
    if (group.vpcId !== vpcId) throw ec2Errors.invalidParameter(`Security group ${group.id} and subnet ${subnetId} belong to different networks.`)
  }
  return [...new Set(groups.map((g) => g.id))]
}

/** An interface in a subnet, as CreateNetworkInterface and NAT gateways make them. */
export function createInterface(region: RegionState, subnetId: string, options: {
  privateIp?: string; groupIds?: string[]; description?: string; type?: 'interface' | 'nat_gateway'
}): NetworkInterfaceRecord {
  const subnet = findSubnet(region, subnetId)
  const [privateIp] = allocatePrivateIps(region, subnet, 1, options.privateIp)
  const eni: NetworkInterfaceRecord = {
    kind: 'eni', id: newId('eni'), subnetId: subnet.id, vpcId: subnet.vpcId, zone: subnet.zone, zoneId: subnet.zoneId, privateIp: privateIp!,
    macAddress: randomMac(), description: options.description ?? '', sourceDestCheck: true, tags: [],
    groupIds: options.groupIds ?? (options.type === 'nat_gateway' ? [] : [region.defaultGroup(subnet.vpcId)!.id]),
    interfaceType: options.type ?? 'interface', requesterManaged: options.type === 'nat_gateway', attachment: undefined,
  }
  region.save(eni)
  return eni
}

/** The interface a Modify/Detach names by attachment id. */
function byAttachment(region: RegionState, attachmentId: string | undefined): Interface {
  if (attachmentId === undefined) throw ec2Errors.missingParameter('attachmentId')
  checkId(attachmentId, 'eni-attach', 'InvalidNetworkInterfaceAttachmentId.Malformed')
  const found = allInterfaces(region).find((i) => (i.kind === 'primary' ? i.instance.attachmentId : i.record.attachment?.id) === attachmentId)
  if (found === undefined) throw networkErrors.interfaceNotAttached(attachmentId)
  return found
}

export function networkInterfaceOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    CreateNetworkInterface: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const subnet = findSubnet(region, input.SubnetId)
      const groupIds = input.Groups !== undefined && input.Groups.length > 0 ? groupsIn(region, input.Groups, subnet.vpcId, subnet.id) : undefined
      const eni = createInterface(region, subnet.id, { privateIp: input.PrivateIpAddress, groupIds, description: input.Description })
      applyTags(eni, specTags(input.TagSpecifications, 'network-interface'))
      region.save(eni)
      return { NetworkInterface: interfaceView(region, standalone(eni)), ClientToken: input.ClientToken }
    },

    DescribeNetworkInterfaces: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const match = compileFilters(input.Filters, interfaceFilters(region))
      const ids = input.NetworkInterfaceIds ?? []
      const all = ids.length > 0 ? ids.map((id) => findInterface(region, id)) : allInterfaces(region)
      const page = paginate(all.filter(match), input.MaxResults, input.NextToken)
      return { NetworkInterfaces: page.items.map((i) => interfaceView(region, i)), NextToken: page.nextToken }
    },

    DeleteNetworkInterface: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const eni = findInterface(region, input.NetworkInterfaceId)
      // An instance's primary interface, an attached one and a NAT gateway's are in use.
      if (eni.kind === 'primary' || eni.record.attachment !== undefined || eni.record.requesterManaged) {
        throw networkErrors.interfaceInUse(input.NetworkInterfaceId!)
      }
      region.remove(eni.record)
    },

    AttachNetworkInterface: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const eni = findInterface(region, input.NetworkInterfaceId)
      const [instance] = namedInstances(region, [input.InstanceId!])
      if (eni.kind === 'primary' || eni.record.attachment !== undefined || eni.record.requesterManaged) {
        throw networkErrors.interfaceInUse(input.NetworkInterfaceId!)
      }
      if (instance!.state !== 'running' && instance!.state !== 'stopped') throw ec2Errors.incorrectStateAssociate(instance!.id, instance!.state)
      if (eni.record.zone !== instance!.zone) {
        throw ec2Errors.invalidParameterCombination(`The network interface and instance must be in the same availability zone. ` +
          `Interface ${eni.record.id} is in ${eni.record.zone}; instance ${instance!.id} is in ${instance!.zone}.`)
      }
      const index = input.DeviceIndex
      if (index === undefined) throw ec2Errors.missingParameter('deviceIndex')
      if (index === 0 || attachedInterfaces(region, instance!.id).some((e) => e.attachment!.deviceIndex === index)) {
        throw networkErrors.deviceIndexInUse(instance!.id, index)
      }
      eni.record.attachment = { id: newId('eni-attach'), instanceId: instance!.id, deviceIndex: index, attachTime: region.now, deleteOnTermination: false }
      region.save(eni.record)
      return { AttachmentId: eni.record.attachment.id, NetworkCardIndex: input.NetworkCardIndex ?? 0 }
    },

    DetachNetworkInterface: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const eni = byAttachment(region, input.AttachmentId)
      if (eni.kind === 'primary') {
        throw ec2Errors.invalidParameterValue('The network interface at device index 0 cannot be detached.')
      }
      eni.record.attachment = undefined
      region.save(eni.record)
    },

    ModifyNetworkInterfaceAttribute: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const eni = findInterface(region, input.NetworkInterfaceId)
      const vpcId = eni.kind === 'primary' ? eni.instance.vpcId : eni.record.vpcId
      const subnetId = eni.kind === 'primary' ? eni.instance.subnetId : eni.record.subnetId
      const record = eni.kind === 'primary' ? eni.instance : eni.record
      if (input.Groups !== undefined) {
        if (input.Groups.length === 0) throw ec2Errors.missingParameter('groupId')
        record.groupIds = groupsIn(region, input.Groups, vpcId, subnetId)
      }
      if (input.SourceDestCheck?.Value !== undefined) record.sourceDestCheck = input.SourceDestCheck.Value
      if (input.Description?.Value !== undefined) {
        if (eni.kind === 'primary') eni.instance.eniDescription = input.Description.Value
        else eni.record.description = input.Description.Value
      }
      if (input.Attachment?.DeleteOnTermination !== undefined) {
        if (eni.kind === 'primary') throw ec2Errors.invalidParameterValue('Nimbus keeps DeleteOnTermination true for a primary network interface')
        if (eni.record.attachment?.id !== input.Attachment.AttachmentId) throw networkErrors.interfaceNotAttached(input.Attachment.AttachmentId ?? '')
        eni.record.attachment!.deleteOnTermination = input.Attachment.DeleteOnTermination
      }
      region.save(record)
    },

    DescribeNetworkInterfaceAttribute: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const v = interfaceView(region, findInterface(region, input.NetworkInterfaceId))
      const base = { NetworkInterfaceId: v.NetworkInterfaceId }
      switch (input.Attribute) {
        case 'description': return { ...base, Description: { Value: v.Description } }
        case 'groupSet': return { ...base, Groups: v.Groups }
        case 'sourceDestCheck': return { ...base, SourceDestCheck: { Value: v.SourceDestCheck } }
        case 'attachment': return { ...base, Attachment: v.Attachment }
        default: throw ec2Errors.invalidParameterValue(`Value (${input.Attribute ?? ''}) for parameter attribute is invalid. Unknown attribute.`)
      }
    },
  }
}
