// DescribeImages over the built-in catalog and DescribeInstanceTypes over the instance-type data.
import type { OperationTable } from '../../service.ts'
import { type ImageRow, imageState, visibleImages } from '../amis.ts'
import { type CatalogImage, catalogImages, instanceTypes, type InstanceTypeSpec } from '../catalog.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, paginate } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import type { Ec2State } from '../store.ts'
import { bool, checkId, regionOf } from './common.ts'

const imageFilters = (now: number) => ({
  'image-id': (i: ImageRow) => [i.imageId],
  name: (i: ImageRow) => [i.name],
  description: (i: ImageRow) => [i.description],
  architecture: (i: ImageRow) => [i.architecture],
  'owner-id': (i: ImageRow) => [i.ownerId],
  'owner-alias': (i: ImageRow) => [i.ownerAlias],
  platform: (i: ImageRow) => [i.platform],
  'platform-details': (i: ImageRow) => [i.platformDetails],
  state: (i: ImageRow) => [i.own === undefined ? 'available' : imageState(i.own, now)],
  'image-type': () => ['machine'],
  'is-public': (i: ImageRow) => [i.own === undefined || i.own.isPublic ? 'true' : 'false'],
  'root-device-type': () => ['ebs'],
  'virtualization-type': () => ['hvm'],
  hypervisor: () => ['xen'],
  'root-device-name': (i: ImageRow) => [i.rootDeviceName],
  'block-device-mapping.volume-type': (i: ImageRow) => [i.volumeType],
  'block-device-mapping.volume-size': (i: ImageRow) => [String(i.volumeSize)],
  'block-device-mapping.snapshot-id': (i: ImageRow) => i.own === undefined ? [i.snapshotId] : i.own.blockDevices.map((d) => d.snapshotId),
  'block-device-mapping.device-name': (i: ImageRow) => i.own === undefined ? [i.rootDeviceName] : i.own.blockDevices.map((d) => d.deviceName),
})

export function imageView(i: ImageRow, now: number) {
  if (i.own !== undefined) return ownImageView(i, i.own, now)
  return {
    ImageId: i.imageId, Name: i.name, Description: i.description, Architecture: i.architecture as 'x86_64', OwnerId: i.ownerId,
    ImageOwnerAlias: i.ownerAlias, Platform: i.platform as 'Windows' | undefined, PlatformDetails: i.platformDetails,
    UsageOperation: i.platform === 'windows' ? 'RunInstances:0002' : 'RunInstances:0000', CreationDate: i.creationDate,
    ImageLocation: `${i.ownerAlias ?? i.ownerId}/${i.name}`, ImageType: 'machine' as const, Public: true, State: 'available' as const,
    RootDeviceName: i.rootDeviceName, RootDeviceType: 'ebs' as const, VirtualizationType: 'hvm' as const, Hypervisor: 'xen' as const,
    EnaSupport: true, SriovNetSupport: 'simple', BootMode: i.architecture === 'arm64' ? 'uefi' as const : undefined,
    BlockDeviceMappings: [{ DeviceName: i.rootDeviceName, Ebs: { DeleteOnTermination: true, SnapshotId: i.snapshotId, VolumeSize: i.volumeSize,
      VolumeType: i.volumeType as 'gp3', Encrypted: false } }],
  }
}

function ownImageView(row: ImageRow, i: NonNullable<ImageRow['own']>, now: number) {
  return {
    ImageId: i.id, Name: i.name, Description: i.description, Architecture: i.architecture as 'x86_64', OwnerId: row.ownerId,
    Platform: i.platform as 'Windows' | undefined, PlatformDetails: row.platformDetails,
    UsageOperation: i.platform === 'windows' ? 'RunInstances:0002' : 'RunInstances:0000', CreationDate: row.creationDate,
    ImageLocation: `${row.ownerId}/${i.name}`, ImageType: 'machine' as const, Public: i.isPublic, State: imageState(i, now) as 'available',
    RootDeviceName: i.rootDeviceName, RootDeviceType: 'ebs' as const, VirtualizationType: 'hvm' as const, Hypervisor: 'xen' as const,
    EnaSupport: i.enaSupport, SriovNetSupport: 'simple', BootMode: i.bootMode as 'uefi' | undefined, SourceInstanceId: i.sourceInstanceId,
    SourceImageId: i.sourceImage?.id, SourceImageRegion: i.sourceImage?.region, Tags: i.tags.length === 0 ? undefined : i.tags.map((t) => ({ ...t })),
    BlockDeviceMappings: i.blockDevices.map(mappingView),
  }
}

/** An image's block device mapping on the wire (an EBS volume, or an instance store's VirtualName). */
export function mappingView(d: NonNullable<ImageRow['own']>['blockDevices'][number]) {
  if (d.virtualName !== undefined && d.volumeSize === undefined && d.snapshotId === undefined) return { DeviceName: d.deviceName, VirtualName: d.virtualName }
  return { DeviceName: d.deviceName, Ebs: { DeleteOnTermination: d.deleteOnTermination, SnapshotId: d.snapshotId, VolumeSize: d.volumeSize,
    VolumeType: d.volumeType as 'gp3', Iops: d.iops, Throughput: d.throughput, Encrypted: d.encrypted, KmsKeyId: d.kmsKeyId } }
}

/** An image of the catalog by id: InvalidAMIID.Malformed for a bad id, InvalidAMIID.NotFound for an unknown one. */
export function findImage(region: string, id: string): CatalogImage {
  checkId(id, 'ami', 'InvalidAMIID.Malformed')
  const image = catalogImages(region).find((i) => i.imageId === id)
  if (image === undefined) throw ec2Errors.imageNotFound(id)
  return image
}

function typeView(t: InstanceTypeSpec) {
  return {
    InstanceType: t.type as 't3.micro', CurrentGeneration: t.currentGeneration, FreeTierEligible: t.freeTier,
    SupportedUsageClasses: ['on-demand' as const, 'spot' as const], SupportedRootDeviceTypes: ['ebs' as const],
    SupportedVirtualizationTypes: ['hvm' as const], BareMetal: false, Hypervisor: t.hypervisor as 'nitro',
    ProcessorInfo: { SupportedArchitectures: t.architectures as 'x86_64'[], Manufacturer: t.processor.startsWith('AMD') ? 'AMD' : 'Intel' },
    VCpuInfo: { DefaultVCpus: t.vcpus }, MemoryInfo: { SizeInMiB: t.memoryMiB }, InstanceStorageSupported: false,
    EbsInfo: { EbsOptimizedSupport: t.hypervisor === 'nitro' ? 'default' as const : 'unsupported' as const, EncryptionSupport: 'supported' as const },
    NetworkInfo: { NetworkPerformance: t.network, EnaSupport: t.hypervisor === 'nitro' ? 'required' as const : 'unsupported' as const },
    BurstablePerformanceSupported: t.burstable, HibernationSupported: true, DedicatedHostsSupported: !t.type.startsWith('t'),
    AutoRecoverySupported: true, SupportedBootModes: ['legacy-bios' as const, 'uefi' as const],
  }
}

export function imageOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    DescribeImages: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const match = compileFilters<ImageRow>(input.Filters, imageFilters(region.now))
      let images: ImageRow[] = visibleImages(region)
      if (input.ImageIds !== undefined && input.ImageIds.length > 0) {
        for (const id of input.ImageIds) checkId(id, 'ami', 'InvalidAMIID.Malformed')
        // A deregistered own image is left out without an error (as AWS answers for a while after deregistration).
        const missing = input.ImageIds.filter((id) => !images.some((i) => i.imageId === id) && region.images.get(id)?.deregistered !== true)
        if (missing.length === 1) throw ec2Errors.imageNotFound(missing[0]!)
        if (missing.length > 1) throw ec2Errors.imagesNotFound(missing)
        images = images.filter((i) => input.ImageIds!.includes(i.imageId))
      }
      if (input.Owners !== undefined && input.Owners.length > 0) {
        // "self" is the caller's own images; "amazon" is an alias, others are account ids.
        const owners = input.Owners
        images = images.filter((i) => owners.includes(i.ownerId) || (i.ownerAlias !== undefined && owners.includes(i.ownerAlias)) ||
          (owners.includes('self') && i.ownerId === region.account && i.own !== undefined))
      }
      const page = paginate(images.filter(match), input.MaxResults, input.NextToken)
      return { Images: page.items.map((i) => imageView(i, region.now)), NextToken: page.nextToken }
    },

    DescribeInstanceTypes: (input, ctx) => {
      regionOf(state, input, ctx)
      const match = compileFilters<InstanceTypeSpec & { tags?: [] }>(input.Filters, {
        'instance-type': (t) => [t.type], 'current-generation': (t) => [bool(t.currentGeneration)],
        'free-tier-eligible': (t) => [bool(t.freeTier)], 'burstable-performance-supported': (t) => [bool(t.burstable)],
        'processor-info.supported-architecture': (t) => t.architectures, 'vcpu-info.default-vcpus': (t) => [String(t.vcpus)],
        'memory-info.size-in-mib': (t) => [String(t.memoryMiB)], hypervisor: (t) => [t.hypervisor],
        'network-info.network-performance': (t) => [t.network],
      })
      let types = [...instanceTypes]
      if (input.InstanceTypes !== undefined && input.InstanceTypes.length > 0) {
        const unknown = input.InstanceTypes.filter((t) => !types.some((x) => x.type === t))
        if (unknown.length > 0) {
          throw ec2Errors.unknownInstanceTypes(unknown)
        }
        types = types.filter((t) => input.InstanceTypes!.includes(t.type as never))
      }
      const page = paginate(types.filter(match), input.MaxResults, input.NextToken, { min: 5, max: 100 })
      return { InstanceTypes: page.items.map(typeView), NextToken: page.nextToken }
    },
  }
}
