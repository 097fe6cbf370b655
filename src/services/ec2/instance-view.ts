// How an instance reads on the wire (DescribeInstances, RunInstances) and the filters it answers to.
import { instanceMappings } from './block-devices.ts'
import { profileOf } from './iam-associations.ts'
import { metadataView, optionsOf } from './metadata-options.ts'
import { monitoringState } from './monitoring.ts'
import { bool } from './operations/common.ts'
import { stateCodes, stateReasonMessages } from './instance-state.ts'
import type { FilterTable } from './filters.ts'
import type { GroupRecord, InstanceRecord } from './resources.ts'
import type { RegionState } from './store.ts'
import { attachedInterfaces } from './interfaces.ts'
import { instanceInterfaceView } from './interface-view.ts'
import { zonesOf } from './regions.ts'

/** The public IP an instance shows: its Elastic IP's when one is associated, else its own. */
export function publicIpOf(region: RegionState, instance: InstanceRecord): string | undefined {
  for (const address of region.addresses.values()) if (address.instanceId === instance.id) return address.publicIp
  return instance.publicIp
}

const privateDns = (region: RegionState, ip: string) =>
  `ip-${ip.replaceAll('.', '-')}.${region.region === 'us-east-1' ? 'ec2.internal' : `${region.region}.compute.internal`}`
const publicDns = (region: RegionState, ip: string) =>
  `ec2-${ip.replaceAll('.', '-')}.${region.region === 'us-east-1' ? 'compute-1' : `${region.region}.compute`}.amazonaws.com`

export const stateOf = (i: InstanceRecord) => ({ Code: stateCodes[i.state], Name: i.state })

export function instanceView(region: RegionState, i: InstanceRecord) {
  const publicIp = i.state === 'terminated' ? undefined : publicIpOf(region, i)
  const groups = i.groupIds.map((id) => ({ GroupId: id, GroupName: region.groups.get(id)?.name ?? id }))
  const live = i.state !== 'terminated'
  // The profile follows its association (AssociateIamInstanceProfile and the rest: iam-associations.ts).
  const profile = live ? profileOf(i, region.now) : undefined
  const association = publicIp === undefined ? undefined
    : { PublicIp: publicIp, PublicDnsName: publicDns(region, publicIp), IpOwnerId: 'amazon' }
  return {
    InstanceId: i.id, ImageId: i.imageId, State: stateOf(i), InstanceType: i.type as 't3.micro', KeyName: i.keyName,
    AmiLaunchIndex: i.launchIndex, LaunchTime: new Date(i.launchTime), Architecture: i.architecture as 'x86_64',
    Placement: { AvailabilityZone: i.zone, GroupName: i.placementGroup ?? '', PartitionNumber: i.partitionNumber, Tenancy: 'default' as const },
    Monitoring: { State: monitoringState(i, region.now) },
    PrivateDnsName: live ? privateDns(region, i.privateIp) : '', PublicDnsName: publicIp === undefined ? '' : publicDns(region, publicIp),
    PrivateIpAddress: live ? i.privateIp : undefined, PublicIpAddress: publicIp, StateTransitionReason: i.transitionReason,
    StateReason: i.stateReason === undefined ? undefined : { Code: i.stateReason, Message: stateReasonMessages[i.stateReason] ?? i.stateReason },
    InstanceLifecycle: i.spot === undefined ? undefined : 'spot' as const, SpotInstanceRequestId: i.spot?.requestId,
    SubnetId: live ? i.subnetId : undefined, VpcId: live ? i.vpcId : undefined, Platform: i.platform as 'Windows' | undefined,
    PlatformDetails: i.platform === 'windows' ? 'Windows' : 'Linux/UNIX', UsageOperation: i.platform === 'windows' ? 'RunInstances:0002' : 'RunInstances:0000',
    ClientToken: i.clientToken, EbsOptimized: i.ebsOptimized, EnaSupport: i.enaSupport ?? true, Hypervisor: 'xen' as const, RootDeviceType: 'ebs' as const,
    RootDeviceName: i.rootDevice ?? '/dev/xvda', VirtualizationType: 'hvm' as const, SourceDestCheck: i.sourceDestCheck ?? true, SecurityGroups: live ? groups : [],
    Tags: i.tags.length === 0 ? undefined : i.tags.map((t) => ({ ...t })), ProductCodes: [],
    BlockDeviceMappings: live ? instanceMappings(region, i) : [],
    NetworkInterfaces: live ? [{
      NetworkInterfaceId: i.eniId, SubnetId: i.subnetId, VpcId: i.vpcId, MacAddress: i.macAddress, OwnerId: region.account,
      PrivateIpAddress: i.privateIp, PrivateDnsName: privateDns(region, i.privateIp), SourceDestCheck: i.sourceDestCheck ?? true, Status: 'in-use' as const,
      Description: i.eniDescription ?? '', Groups: groups, InterfaceType: 'interface', Ipv6Addresses: [], Association: association,
      Attachment: { AttachmentId: i.attachmentId, AttachTime: new Date(i.launchTime), DeleteOnTermination: true, DeviceIndex: 0,
        NetworkCardIndex: 0, Status: 'attached' as const },
      PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: i.privateIp, PrivateDnsName: privateDns(region, i.privateIp), Association: association }],
    },
    // Interfaces attached at device index 1 and up (AttachNetworkInterface).
    ...(region.networkInterfaces.size === 0 ? [] : attachedInterfaces(region, i.id).map((eni) => instanceInterfaceView(region, eni)))] : [],
    CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 }, CapacityReservationSpecification: { CapacityReservationPreference: 'open' as const },
    HibernationOptions: { Configured: i.hibernation === true }, MetadataOptions: metadataView(i, region.now),
    IamInstanceProfile: profile === undefined ? undefined : { Arn: profile.arn, Id: profile.id },
    EnclaveOptions: { Enabled: false }, BootMode: i.architecture === 'arm64' ? 'uefi' as const : undefined,
    MaintenanceOptions: { AutoRecovery: 'default' as const },
    PrivateDnsNameOptions: { HostnameType: 'ip-name' as const, EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
  }
}

export function instanceFilters(region: RegionState): FilterTable<InstanceRecord> {
  const groupNames = (i: InstanceRecord) => i.groupIds.map((id) => (region.groups.get(id) as GroupRecord | undefined)?.name)
  return {
    'instance-id': (i) => [i.id],
    'instance-state-name': (i) => [i.state],
    'instance-state-code': (i) => [String(stateCodes[i.state])],
    'instance-type': (i) => [i.type],
    'image-id': (i) => [i.imageId],
    'vpc-id': (i) => [i.vpcId],
    'subnet-id': (i) => [i.subnetId],
    'availability-zone': (i) => [i.zone],
    'placement-availability-zone': (i) => [i.zone],
    'private-ip-address': (i) => [i.privateIp],
    'ip-address': (i) => [publicIpOf(region, i)],
    'network-interface.addresses.association.public-ip': (i) => [publicIpOf(region, i)],
    'key-name': (i) => [i.keyName],
    'placement-group-name': (i) => [i.placementGroup], 'placement-partition-number': (i) => [i.partitionNumber === undefined ? undefined : String(i.partitionNumber)],
    'reservation-id': (i) => [i.reservationId],
    'owner-id': () => [region.account],
    'architecture': (i) => [i.architecture],
    'platform': (i) => [i.platform],
    'launch-index': (i) => [String(i.launchIndex)],
    'launch-time': (i) => [new Date(i.launchTime).toISOString()],
    'instance.group-id': (i) => i.groupIds,
    'instance.group-name': groupNames,
    'group-id': (i) => i.groupIds,
    'group-name': groupNames,
    'monitoring-state': (i) => [monitoringState(i, region.now)],
    'block-device-mapping.device-name': (i) => (i.devices ?? []).map((d) => d.device),
    'block-device-mapping.volume-id': (i) => (i.devices ?? [{ volumeId: i.volumeId }]).map((d) => d.volumeId),
    'root-device-name': (i) => [i.rootDevice ?? '/dev/xvda'],
    'hibernation-options.configured': (i) => [bool(i.hibernation === true)],
    'disable-api-termination': (i) => [bool(i.disableApiTermination)],
    'client-token': (i) => [i.clientToken],
    'instance-lifecycle': (i) => [i.spot === undefined ? undefined : 'spot'],
    'spot-instance-request-id': (i) => [i.spot?.requestId],
    'iam-instance-profile.arn': (i) => [profileOf(i, region.now)?.arn],
    'iam-instance-profile.id': (i) => [profileOf(i, region.now)?.id],
    'metadata-options.http-tokens': (i) => [optionsOf(i).httpTokens],
    'metadata-options.http-endpoint': (i) => [optionsOf(i).httpEndpoint],
    'metadata-options.http-put-response-hop-limit': (i) => [String(optionsOf(i).hopLimit)],
    'metadata-options.instance-metadata-tags': (i) => [optionsOf(i).instanceMetadataTags],
    ...describedFilters(region),
  }
}

/** The filters that read what the view shows (DNS names, the primary interface, fixed platform facts). */
function describedFilters(region: RegionState): FilterTable<InstanceRecord> {
  const live = (i: InstanceRecord) => i.state !== 'terminated'
  const publicName = (i: InstanceRecord) => {
    const ip = live(i) ? publicIpOf(region, i) : undefined
    return ip === undefined ? undefined : publicDns(region, ip)
  }
  const groupNames = (i: InstanceRecord) => i.groupIds.map((id) => region.groups.get(id)?.name)
  return {
    'availability-zone-id': (i) => [zonesOf(region.region).find((z) => z.name === i.zone)?.id],
    'dns-name': (i) => [publicName(i)],
    'private-dns-name': (i) => [live(i) ? privateDns(region, i.privateIp) : undefined],
    'root-device-type': () => ['ebs'],
    'virtualization-type': () => ['hvm'],
    'hypervisor': () => ['xen'],
    'tenancy': () => ['default'],
    'platform-details': (i) => [i.platform === 'windows' ? 'Windows' : 'Linux/UNIX'],
    'usage-operation': (i) => [i.platform === 'windows' ? 'RunInstances:0002' : 'RunInstances:0000'],
    'ebs-optimized': (i) => [bool(i.ebsOptimized === true)],
    'ena-support': () => ['true'],
    'source-dest-check': (i) => [bool(i.sourceDestCheck ?? true)],
    'state-reason-code': (i) => [i.stateReason],
    'reason': (i) => [i.transitionReason],
    'network-interface.network-interface-id': (i) => [live(i) ? i.eniId : undefined],
    'network-interface.addresses.private-ip-address': (i) => [live(i) ? i.privateIp : undefined],
    'network-interface.private-dns-name': (i) => [live(i) ? privateDns(region, i.privateIp) : undefined],
    'network-interface.mac-address': (i) => [live(i) ? i.macAddress : undefined],
    'network-interface.subnet-id': (i) => [live(i) ? i.subnetId : undefined],
    'network-interface.vpc-id': (i) => [live(i) ? i.vpcId : undefined],
    'network-interface.availability-zone': (i) => [live(i) ? i.zone : undefined],
    'network-interface.group-id': (i) => (live(i) ? i.groupIds : []),
    'network-interface.group-name': (i) => (live(i) ? groupNames(i) : []),
    'network-interface.owner-id': (i) => [live(i) ? region.account : undefined],
    'network-interface.status': (i) => [live(i) ? 'in-use' : undefined],
    'network-interface.attachment.device-index': (i) => [live(i) ? '0' : undefined],
    'network-interface.addresses.primary': (i) => [live(i) ? 'true' : undefined],
  }
}
