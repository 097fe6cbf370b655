// The account's own AMIs: CreateImage (snapshots of the instance's volumes through the snapshot
// store), RegisterImage (from snapshots), CopyImage, DeregisterImage, Describe/ModifyImageAttribute.
import { AwsError } from '../../../protocol/errors.ts'
import type { OperationTable } from '../../service.ts'
import { findAnyImage, imageState, imageUnavailable, ownImage } from '../amis.ts'
import { mergeMappings } from '../block-devices.ts'
import { settleVolume, snapshotMs } from '../ebs.ts'
import { ec2Errors } from '../errors.ts'
import type { BlockDeviceMapping, Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import type { ImageBlockDevice, ImageRecord, SnapshotRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, checkId, regionOf, specTags } from './common.ts'
import { mappingView } from './images.ts'
import { namedInstances } from './instances.ts'

const e = (code: string, message: string) => new AwsError(code, message, { status: 400 })

/** AMI names: 3–128 of letters, digits and ( ) [ ] space . / - ' @ _ (AWS's rule); one per account and region. */
function checkName(region: RegionState, name: string | undefined): string {
  if (name === undefined || name === '') throw ec2Errors.missingParameter('name')
  if (name.length < 3 || name.length > 128 || !/^[A-Za-z0-9()[\] ./\-'@_]+$/.test(name)) {
    throw e('InvalidAMIName.Malformed', `AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'`)
  }
  for (const i of region.images.values()) {
    if (!i.deregistered && i.name === name) throw e('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${i.id}`)
  }
  return name
}

/** An own image the caller may change (a catalog or another account's image: AuthFailure [R]). */
function changeable(region: RegionState, id: string): ImageRecord {
  const image = ownImage(region, id, true)
  if (image === undefined) {
    findAnyImage(region, id)
    throw e('AuthFailure', `Not authorized for image:${id}`)
  }
  if (image.deregistered) throw imageUnavailable(`The image id '[${id}]' is no longer available`)
  return image
}

function newSnapshot(region: RegionState, volumeId: string, size: number, description: string, start: number, tags: { Key?: string; Value?: string }[]): SnapshotRecord {
  const snapshot: SnapshotRecord = { kind: 'snapshot', id: newId('snap'), volumeId, volumeSize: size, description, startTime: start, tags: [] }
  applyTags(snapshot, tags)
  region.save(snapshot)
  return snapshot
}

function baseImage(id: string, name: string, now: number): Omit<ImageRecord, 'architecture' | 'platform' | 'rootDeviceName' | 'blockDevices' | 'availableAt'> {
  return { kind: 'image', id, name, description: undefined, createTime: now, deregistered: false, isPublic: false, launchUsers: [], enaSupport: true, tags: [] }
}

export function ownImageOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    CreateImage: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      checkId(input.InstanceId, 'i', 'InvalidInstanceID.Malformed')
      const [instance] = namedInstances(region, [input.InstanceId])
      const name = checkName(region, input.Name)
      if (!['running', 'stopping', 'stopped'].includes(instance!.state)) {
        throw ec2Errors.incorrectState(instance!.id, 'imaged')
      }
      const id = newId('ami')
      const now = region.now
      // Each EBS volume attached to the instance becomes a mapping of the image, then the request's
      // BlockDeviceMappings lie over them (NoDevice leaves a volume out, a new one adds an empty volume).
      // A volume whose detachment is over is no longer the instance's.
      const attached = [...region.volumes.values()].filter((v) => v.attachment?.instanceId === instance!.id)
        .map((v) => settleVolume(region, v)).filter((v) => v.attachment?.instanceId === instance!.id)
      const root = instance!.rootDevice ?? attached.find((v) => v.id === instance!.volumeId)?.attachment?.device ?? '/dev/xvda'
      const fromVolumes: ImageBlockDevice[] = attached.map((v) => ({
        // gp2's IOPS follow from its size: only provisioned IOPS (gp3, io1, io2) and gp3's throughput are kept.
        deviceName: v.attachment!.device, snapshotId: v.id, volumeSize: v.size, volumeType: v.volumeType,
        iops: v.volumeType === 'gp2' ? undefined : v.iops, throughput: v.throughput, deleteOnTermination: v.attachment!.deleteOnTermination, encrypted: v.encrypted === true, kmsKeyId: v.kmsKeyId,
      }))
      const merged = mergeMappings({ rootDeviceName: root, blockDevices: fromVolumes }, input.BlockDeviceMappings)
      const snapshotTags = specTags(input.TagSpecifications, 'snapshot')
      // AWS snapshots each volume (pending → completed on the clock); the image is pending until they complete.
      const blockDevices = merged.map((d) => {
        const volume = d.snapshotId === undefined ? undefined : region.volumes.get(d.snapshotId)
        if (volume === undefined) return d
        if (d.volumeSize !== undefined && d.volumeSize < volume.size) {
          throw e('InvalidBlockDeviceMapping', `Volume of size ${d.volumeSize}GB is smaller than  snapshot '${volume.id}', expect size >= ${volume.size}GB`)
        }
        const snapshot = newSnapshot(region, volume.id, volume.size, `Created by CreateImage(${instance!.id}) for ${id}`, now, snapshotTags)
        return { ...d, snapshotId: snapshot.id, volumeSize: d.volumeSize ?? volume.size }
      })
      const image: ImageRecord = {
        ...baseImage(id, name, now), description: input.Description, architecture: instance!.architecture, platform: instance!.platform,
        rootDeviceName: root, blockDevices, availableAt: now + snapshotMs, sourceInstanceId: instance!.id,
      }
      applyTags(image, specTags(input.TagSpecifications, 'image'))
      region.save(image)
      return { ImageId: id }
    },

    RegisterImage: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const name = checkName(region, input.Name)
      if (input.ImageLocation !== undefined && (input.BlockDeviceMappings ?? []).length === 0) {
        // Instance-store AMIs (an S3 manifest) are not simulated.
        throw ec2Errors.invalidParameterValue('Nimbus registers EBS-backed images only: give BlockDeviceMappings with the root snapshot')
      }
      const root = input.RootDeviceName ?? '/dev/xvda'
      const mappings = input.BlockDeviceMappings ?? []
      if (!mappings.some((m) => m.DeviceName === root && m.Ebs !== undefined)) {
        throw e('InvalidBlockDeviceMapping', `The root device name ${root} must be mapped to an EBS snapshot`)
      }
      let availableAt = region.now
      const blockDevices = mergeMappings({ rootDeviceName: root, blockDevices: [] }, mappings).map((d) => {
        if (d.snapshotId === undefined) {
          if (d.virtualName === undefined && d.volumeSize === undefined) throw e('InvalidBlockDeviceMapping', `Either snapshot ID or volume size must be provided for: ${d.deviceName}`)
          return d
        }
        checkId(d.snapshotId, 'snap', 'InvalidSnapshot.Malformed')
        const snapshot = region.snapshots.get(d.snapshotId)
        if (snapshot === undefined) throw ec2Errors.snapshotNotFound(d.snapshotId)
        if (d.volumeSize !== undefined && d.volumeSize < snapshot.volumeSize) {
          throw e('InvalidBlockDeviceMapping', `Volume of size ${d.volumeSize}GB is smaller than  snapshot '${snapshot.id}', expect size >= ${snapshot.volumeSize}GB`)
        }
        // Registered from a snapshot still pending: the image is pending until it completes.
        availableAt = Math.max(availableAt, snapshot.startTime + snapshotMs)
        return { ...d, volumeSize: d.volumeSize ?? snapshot.volumeSize }
      })
      const image: ImageRecord = {
        ...baseImage(newId('ami'), name, region.now), description: input.Description, architecture: input.Architecture ?? 'x86_64',
        platform: undefined, rootDeviceName: root, blockDevices, availableAt, enaSupport: input.EnaSupport ?? true, bootMode: input.BootMode,
      }
      applyTags(image, specTags(input.TagSpecifications, 'image'))
      region.save(image)
      return { ImageId: image.id }
    },

    CopyImage: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const sourceRegion = state.region(ctx.caller.account, input.SourceRegion)
      const source = findAnyImage(sourceRegion, input.SourceImageId)
      if (source.own !== undefined && imageState(source.own, sourceRegion.now) !== 'available') {
        throw imageUnavailable(`Image ${source.imageId} is not in a valid state for copying: pending`)
      }
      const name = checkName(region, input.Name)
      const id = newId('ami')
      const now = region.now
      const devices: ImageBlockDevice[] = source.own?.blockDevices ?? [{ deviceName: source.rootDeviceName, snapshotId: source.snapshotId,
        volumeSize: source.volumeSize, volumeType: source.volumeType, deleteOnTermination: true, encrypted: false }]
      // Each snapshot is copied into this region (pending → completed on the clock), as AWS's copy does.
      const blockDevices = devices.map((d) => {
        if (d.snapshotId === undefined) return { ...d }
        const copy = newSnapshot(region, 'vol-ffffffff', d.volumeSize ?? 8,
          `Copied for DestinationAmi ${id} from SourceAmi ${source.imageId} for SourceSnapshot ${d.snapshotId}. Task created on ${new Date(now).toISOString()}.`, now, [])
        return { ...d, snapshotId: copy.id, encrypted: d.encrypted || input.Encrypted === true, kmsKeyId: input.KmsKeyId ?? d.kmsKeyId }
      })
      const image: ImageRecord = {
        ...baseImage(id, name, now), description: input.Description ?? source.own?.description, architecture: source.architecture,
        platform: source.platform, rootDeviceName: source.rootDeviceName, blockDevices, availableAt: now + snapshotMs,
        sourceImage: { region: input.SourceRegion, id: source.imageId },
      }
      if (input.CopyImageTags === true && source.own !== undefined) applyTags(image, source.own.tags)
      applyTags(image, specTags(input.TagSpecifications, 'image'))
      region.save(image)
      return { ImageId: id }
    },

    DeregisterImage: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const image = changeable(region, input.ImageId)
      image.deregistered = true
      region.save(image)
      // The snapshots stay (AWS keeps them) unless DeleteAssociatedSnapshots asks otherwise.
      const results = input.DeleteAssociatedSnapshots === true
        ? image.blockDevices.filter((d) => d.snapshotId !== undefined).map((d) => {
          const snapshot = region.snapshots.get(d.snapshotId!)
          if (snapshot !== undefined) region.remove(snapshot)
          return { SnapshotId: d.snapshotId, ReturnCode: snapshot === undefined ? 'client-error' as const : 'success' as const }
        })
        : undefined
      return { Return: true, DeleteSnapshotResults: results }
    },

    DescribeImageAttribute: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const image = changeable(region, input.ImageId)
      const base = { ImageId: image.id }
      switch (input.Attribute) {
        case 'description': return { ...base, Description: image.description === undefined ? {} : { Value: image.description } }
        case 'launchPermission': return { ...base, LaunchPermissions: [...(image.isPublic ? [{ Group: 'all' as const }] : []), ...image.launchUsers.map((u) => ({ UserId: u }))] }
        case 'blockDeviceMapping': return { ...base, BlockDeviceMappings: image.blockDevices.map(mappingView) as BlockDeviceMapping[] }
        case 'bootMode': return { ...base, BootMode: image.bootMode === undefined ? {} : { Value: image.bootMode } }
        case 'sriovNetSupport': return { ...base, SriovNetSupport: { Value: 'simple' } }
        case 'productCodes': return { ...base, ProductCodes: [] }
        case 'kernel': return { ...base, KernelId: {} }
        case 'ramdisk': return { ...base, RamdiskId: {} }
        case 'lastLaunchedTime': return { ...base, LastLaunchedTime: {} }
        case 'deregistrationProtection': return { ...base, DeregistrationProtection: { Value: 'disabled' } }
        default: throw ec2Errors.invalidParameterValue(`Value (${String(input.Attribute)}) for parameter attribute is invalid. Unknown attribute.`)
      }
    },

    ModifyImageAttribute: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const image = changeable(region, input.ImageId)
      if (input.Description !== undefined || input.Attribute === 'description') {
        image.description = input.Description?.Value ?? input.Value ?? ''
      }
      // LaunchPermission Add/Remove, or the older Attribute=launchPermission with OperationType, UserIds and UserGroups.
      const add = [...(input.LaunchPermission?.Add ?? [])]
      const remove = [...(input.LaunchPermission?.Remove ?? [])]
      if (input.Attribute === 'launchPermission' || input.UserIds !== undefined || input.UserGroups !== undefined) {
        const listed = [...(input.UserIds ?? []).map((u) => ({ UserId: u })), ...(input.UserGroups ?? []).map((g) => ({ Group: g as 'all' }))]
        if (input.OperationType === 'remove') remove.push(...listed)
        else if (input.OperationType === 'add' || listed.length > 0) add.push(...listed)
      }
      for (const p of add) {
        const group: string | undefined = p.Group
        if (group !== undefined && group !== 'all') throw ec2Errors.invalidParameterValue(`Value (${group}) for parameter group is invalid. Only 'all' is allowed.`)
        if (p.Group === 'all') image.isPublic = true
        if (p.UserId !== undefined) {
          if (!/^\d{12}$/.test(p.UserId)) throw ec2Errors.invalidParameterValue(`Value (${p.UserId}) for parameter userId is invalid. Expected a 12-digit account id.`)
          if (!image.launchUsers.includes(p.UserId)) image.launchUsers.push(p.UserId)
        }
      }
      for (const p of remove) {
        if (p.Group === 'all') image.isPublic = false
        if (p.UserId !== undefined) image.launchUsers = image.launchUsers.filter((u) => u !== p.UserId)
      }
      region.save(image)
    },
  }
}

/** DeleteSnapshot of a snapshot a registered image uses: AWS refuses. */
export function snapshotInUse(snapshotId: string, imageId: string): AwsError {
  return e('InvalidSnapshot.InUse', `The snapshot ${snapshotId} is currently in use by ${imageId}`)
}
