// GetLaunchTemplateData: an instance's launch parameters as launch template data (what
// CreateLaunchTemplate takes), read from the instance as it is now — AMI, type, key, placement, its
// primary interface, its EBS mappings, tags, profile, metadata options, protections.
import type { OperationTable } from '../../service.ts'
import { creditsOf, isBurstable } from '../credit-specification.ts'
import { optionsOf } from '../metadata-options.ts'
import { profileOf } from '../iam-associations.ts'
import type { Ec2Operations, InstanceType, ResponseLaunchTemplateData, VolumeType } from '../generated/types.ts'
import type { InstanceRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { regionOf } from './common.ts'
import { namedInstances } from './instances.ts'

function mappings(region: RegionState, i: InstanceRecord): ResponseLaunchTemplateData['BlockDeviceMappings'] {
  const devices = i.devices ?? [{ device: i.rootDevice ?? '/dev/xvda', volumeId: i.volumeId, deleteOnTermination: true }]
  return devices.flatMap((d) => {
    const v = region.volumes.get(d.volumeId)
    if (v === undefined || v.attachment?.instanceId !== i.id) return []
    return [{ DeviceName: d.device, Ebs: { DeleteOnTermination: v.attachment.deleteOnTermination, Encrypted: v.encrypted === true, KmsKeyId: v.kmsKeyId,
      VolumeSize: v.size, VolumeType: v.volumeType as VolumeType, Iops: v.iops, Throughput: v.throughput, SnapshotId: v.snapshotId } }]
  })
}

function dataOf(region: RegionState, i: InstanceRecord): ResponseLaunchTemplateData {
  const tags = i.tags.filter((t) => !t.Key.startsWith('aws:'))
  const profile = profileOf(i, region.now)
  const options = optionsOf(i)
  return {
    ImageId: i.imageId, InstanceType: i.type as InstanceType, KeyName: i.keyName, EbsOptimized: i.ebsOptimized,
    Monitoring: { Enabled: i.monitoring },
    Placement: { AvailabilityZone: i.zone, GroupName: i.placementGroup ?? '', Tenancy: 'default' },
    NetworkInterfaces: [{
      DeviceIndex: 0, NetworkInterfaceId: i.eniId, SubnetId: i.subnetId, Groups: [...i.groupIds], Description: i.eniDescription ?? '',
      PrivateIpAddress: i.privateIp, PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: i.privateIp }], Ipv6Addresses: [], DeleteOnTermination: true,
    }],
    BlockDeviceMappings: mappings(region, i),
    UserData: i.userData,
    TagSpecifications: tags.length === 0 ? undefined : [{ ResourceType: 'instance', Tags: tags.map((t) => ({ ...t })) }],
    IamInstanceProfile: profile === undefined ? undefined : { Arn: profile.arn },
    MetadataOptions: { HttpTokens: options.httpTokens, HttpPutResponseHopLimit: options.hopLimit, HttpEndpoint: options.httpEndpoint,
      HttpProtocolIpv6: 'disabled', InstanceMetadataTags: options.instanceMetadataTags },
    DisableApiTermination: i.disableApiTermination, DisableApiStop: i.disableApiStop === true,
    InstanceInitiatedShutdownBehavior: i.shutdownBehavior ?? 'stop',
    HibernationOptions: { Configured: i.hibernation === true },
    CreditSpecification: isBurstable(i.type) ? { CpuCredits: creditsOf(i) } : undefined,
    InstanceMarketOptions: i.spot === undefined ? undefined : { MarketType: 'spot', SpotOptions: { MaxPrice: i.spot.maxPrice,
      InstanceInterruptionBehavior: i.spot.interruptionBehavior } },
    CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
    EnclaveOptions: { Enabled: false },
    MaintenanceOptions: { AutoRecovery: 'default' },
    PrivateDnsNameOptions: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
  }
}

export function launchTemplateDataOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    GetLaunchTemplateData: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const [i] = namedInstances(region, [input.InstanceId])
      return { LaunchTemplateData: dataOf(region, i!) }
    },
  }
}
