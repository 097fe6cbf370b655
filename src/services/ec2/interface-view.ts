// How a network interface reads on the wire: DescribeNetworkInterfaces' view (standalone or an
// instance's primary interface, the same values DescribeInstances shows) and its filters.
import type { FilterTable } from './filters.ts'
import { standalone, type Interface } from './interfaces.ts'
import type { NetworkInterfaceRecord } from './network-resources.ts'
import { bool } from './operations/common.ts'
import type { InstanceRecord } from './resources.ts'
import type { RegionState } from './store.ts'

const privateDns = (region: RegionState, ip: string) =>
  `ip-${ip.replaceAll('.', '-')}.${region.region === 'us-east-1' ? 'ec2.internal' : `${region.region}.compute.internal`}`

/** An instance's public address: its Elastic IP's, else its own (as instance-view.ts shows it). */
function publicIpOf(region: RegionState, instance: InstanceRecord): string | undefined {
  for (const address of region.addresses.values()) if (address.instanceId === instance.id) return address.publicIp
  return instance.publicIp
}

/** The values both kinds share, read once. */
function facts(region: RegionState, i: Interface) {
  if (i.kind === 'primary') {
    const x = i.instance
    return {
      id: x.eniId, subnetId: x.subnetId, vpcId: x.vpcId, zone: x.zone, privateIp: x.privateIp, mac: x.macAddress, groupIds: x.groupIds,
      description: x.eniDescription ?? '', sourceDestCheck: x.sourceDestCheck ?? true, type: 'interface' as const, requesterManaged: false,
      status: 'in-use' as const, publicIp: publicIpOf(region, x), tags: [],
      attachment: { id: x.attachmentId, instanceId: x.id, deviceIndex: 0, attachTime: x.launchTime, deleteOnTermination: true },
    }
  }
  const r = i.record
  const address = [...region.addresses.values()].find((a) => a.networkInterfaceId === r.id)
  return {
    id: r.id, subnetId: r.subnetId, vpcId: r.vpcId, zone: r.zone, privateIp: r.privateIp, mac: r.macAddress, groupIds: r.groupIds,
    description: r.description, sourceDestCheck: r.sourceDestCheck, type: r.interfaceType, requesterManaged: r.requesterManaged,
    status: r.attachment === undefined && r.interfaceType === 'interface' ? 'available' as const : 'in-use' as const,
    publicIp: address?.publicIp, tags: r.tags, attachment: r.attachment,
  }
}

export function interfaceView(region: RegionState, i: Interface) {
  const f = facts(region, i)
  const association = f.publicIp === undefined ? undefined : { PublicIp: f.publicIp, IpOwnerId: 'amazon' }
  const zoneId = region.subnets.get(f.subnetId)?.zoneId
  return {
    NetworkInterfaceId: f.id, SubnetId: f.subnetId, VpcId: f.vpcId, AvailabilityZone: f.zone, AvailabilityZoneId: zoneId,
    Description: f.description, OwnerId: region.account, RequesterManaged: f.requesterManaged,
    RequesterId: f.requesterManaged ? 'amazon' : undefined, Status: f.status, MacAddress: f.mac, PrivateIpAddress: f.privateIp,
    PrivateDnsName: privateDns(region, f.privateIp), SourceDestCheck: f.sourceDestCheck,
    // AWS answers `nat_gateway` for a NAT gateway's interface (the model's enum says natGateway).
    InterfaceType: f.type as 'interface',
    Groups: f.groupIds.map((id) => ({ GroupId: id, GroupName: region.groups.get(id)?.name ?? id })),
    Association: association, Ipv6Addresses: [], TagSet: f.tags.map((t) => ({ ...t })),
    PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: f.privateIp, PrivateDnsName: privateDns(region, f.privateIp), Association: association }],
    Attachment: f.attachment === undefined ? undefined : {
      AttachmentId: f.attachment.id, InstanceId: f.attachment.instanceId, InstanceOwnerId: region.account, DeviceIndex: f.attachment.deviceIndex,
      NetworkCardIndex: 0, AttachTime: new Date(f.attachment.attachTime), DeleteOnTermination: f.attachment.deleteOnTermination, Status: 'attached' as const,
    },
  }
}

/** A standalone interface attached to an instance, as DescribeInstances lists it after the primary one. */
export function instanceInterfaceView(region: RegionState, eni: NetworkInterfaceRecord) {
  const v = interfaceView(region, standalone(eni))
  return {
    NetworkInterfaceId: v.NetworkInterfaceId, SubnetId: v.SubnetId, VpcId: v.VpcId, MacAddress: v.MacAddress, OwnerId: v.OwnerId,
    PrivateIpAddress: v.PrivateIpAddress, PrivateDnsName: v.PrivateDnsName, SourceDestCheck: v.SourceDestCheck, Status: v.Status,
    Description: v.Description, Groups: v.Groups, InterfaceType: v.InterfaceType, Ipv6Addresses: [], Association: v.Association,
    Attachment: v.Attachment === undefined ? undefined : { AttachmentId: v.Attachment.AttachmentId, AttachTime: v.Attachment.AttachTime,
      DeleteOnTermination: v.Attachment.DeleteOnTermination, DeviceIndex: v.Attachment.DeviceIndex, NetworkCardIndex: 0, Status: 'attached' as const },
    PrivateIpAddresses: v.PrivateIpAddresses,
  }
}

export function interfaceFilters(region: RegionState): FilterTable<Interface> {
  const of = (pick: (v: ReturnType<typeof interfaceView>) => string | undefined) => (i: Interface) => [pick(interfaceView(region, i))]
  return {
    'network-interface-id': of((v) => v.NetworkInterfaceId), 'subnet-id': of((v) => v.SubnetId), 'vpc-id': of((v) => v.VpcId),
    'availability-zone': of((v) => v.AvailabilityZone), status: of((v) => v.Status), description: of((v) => v.Description),
    'private-ip-address': of((v) => v.PrivateIpAddress), 'addresses.private-ip-address': of((v) => v.PrivateIpAddress),
    'private-dns-name': of((v) => v.PrivateDnsName), 'mac-address': of((v) => v.MacAddress), 'owner-id': () => [region.account],
    'interface-type': of((v) => v.InterfaceType), 'requester-managed': of((v) => bool(v.RequesterManaged)),
    'source-dest-check': of((v) => bool(v.SourceDestCheck)), 'association.public-ip': of((v) => v.Association?.PublicIp),
    'attachment.instance-id': of((v) => v.Attachment?.InstanceId), 'attachment.attachment-id': of((v) => v.Attachment?.AttachmentId),
    'attachment.device-index': of((v) => (v.Attachment === undefined ? undefined : String(v.Attachment.DeviceIndex))),
    'attachment.status': of((v) => v.Attachment?.Status), 'attachment.instance-owner-id': of((v) => v.Attachment?.InstanceOwnerId),
    'attachment.delete-on-termination': of((v) => (v.Attachment === undefined ? undefined : bool(v.Attachment.DeleteOnTermination))),
    'group-id': (i) => interfaceView(region, i).Groups.map((g) => g.GroupId),
    'group-name': (i) => interfaceView(region, i).Groups.map((g) => g.GroupName),
  }
}
