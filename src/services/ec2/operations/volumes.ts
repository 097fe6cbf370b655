// EBS volumes: CreateVolume (type, size and IOPS limits; from a snapshot), creating → available on
// the clock, Attach/DetachVolume (same zone, free device; attaching and detaching on the clock),
// DeleteVolume, DescribeVolumes (root volumes: root-volumes.ts).
import type { OperationTable } from '../../service.ts'
import { addDevice, attachMs, attachmentState, detachMs } from '../block-devices.ts'
import { checkVolume, defaultEbsKey, settleVolume, snapshotProgress, volumeState } from '../ebs.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, paginate, type FilterTable } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import { zonesOf } from '../regions.ts'
import type { VolumeRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, checkId, regionOf, specTags, tagsOut } from './common.ts'
import { namedInstances } from './instances.ts'

export function findVolume(region: RegionState, id: string): VolumeRecord {
  checkId(id, 'vol', 'InvalidVolume.Malformed')
  const volume = region.volumes.get(id)
  if (volume === undefined) throw ec2Errors.volumeNotFound(id)
  return settleVolume(region, volume)
}

function view(region: RegionState, v: VolumeRecord) {
  const a = v.attachment
  return {
    VolumeId: v.id, AvailabilityZone: v.zone, Size: v.size, VolumeType: v.volumeType as 'gp3', Iops: v.iops, Throughput: v.throughput,
    SnapshotId: v.snapshotId ?? '', CreateTime: new Date(v.createTime), State: volumeState(v, region.now) as 'available', Encrypted: v.encrypted === true, KmsKeyId: v.kmsKeyId,
    MultiAttachEnabled: false, Tags: tagsOut(v.tags),
    Attachments: a === undefined ? [] : [{ VolumeId: v.id, InstanceId: a.instanceId, Device: a.device, State: attachmentState(a, region.now),
      AttachTime: new Date(a.attachTime), DeleteOnTermination: a.deleteOnTermination }],
  }
}

const filters: FilterTable<VolumeRecord & { now?: number }> = {
  'volume-id': (v) => [v.id], 'availability-zone': (v) => [v.zone], size: (v) => [String(v.size)], 'volume-type': (v) => [v.volumeType],
  'snapshot-id': (v) => [v.snapshotId], encrypted: (v) => [String(v.encrypted === true)], status: (v) => [volumeState(v, v.now ?? 0)],
  'attachment.instance-id': (v) => [v.attachment?.instanceId], 'attachment.device': (v) => [v.attachment?.device],
  'attachment.status': (v) => [v.attachment === undefined ? undefined : attachmentState(v.attachment, v.now ?? 0)],
  'attachment.delete-on-termination': (v) => [v.attachment === undefined ? undefined : String(v.attachment.deleteOnTermination)],
}

export function volumeOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    CreateVolume: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const zone = zonesOf(region.region).find((z) => z.name === input.AvailabilityZone || z.id === input.AvailabilityZoneId)
      if (zone === undefined) {
        if (input.AvailabilityZone === undefined && input.AvailabilityZoneId === undefined) throw ec2Errors.missingParameter('AvailabilityZone')
        throw ec2Errors.invalidParameterValue(`Value (${input.AvailabilityZone ?? input.AvailabilityZoneId}) for parameter availabilityZone is invalid. ${input.AvailabilityZone ?? input.AvailabilityZoneId} is not a valid availability zone.`)
      }
      let size = input.Size
      if (input.KmsKeyId !== undefined && input.Encrypted !== true) throw ec2Errors.kmsKeyWithoutEncrypted()
      let encrypted = input.Encrypted === true
      let kmsKeyId = input.KmsKeyId
      if (input.SnapshotId !== undefined) {
        checkId(input.SnapshotId, 'snap', 'InvalidSnapshot.Malformed')
        const snapshot = region.snapshots.get(input.SnapshotId)
        if (snapshot === undefined) throw ec2Errors.snapshotNotFound(input.SnapshotId)
        if (snapshotProgress(snapshot, region.now).state !== 'completed') throw ec2Errors.snapshotPending(snapshot.id)
        if (size !== undefined && size < snapshot.volumeSize) {
          throw ec2Errors.invalidParameterValue(`Volume of size ${size}GiB is smaller than snapshot '${snapshot.id}', expect size >= ${snapshot.volumeSize}GiB`)
        }
        size ??= snapshot.volumeSize
        // A volume from an encrypted snapshot is encrypted (with the snapshot's key unless another is given).
        if (snapshot.encrypted === true) {
          encrypted = true
          kmsKeyId ??= snapshot.kmsKeyId
        }
      }
      if (size === undefined) throw ec2Errors.missingParameter('size')
      const volumeType = input.VolumeType ?? 'gp3'
      const { iops, throughput } = checkVolume(volumeType, size, input.Iops, input.Throughput)
      const volume: VolumeRecord = {
        kind: 'volume', id: newId('vol'), zone: zone.name, size, volumeType, iops, throughput, snapshotId: input.SnapshotId,
        createTime: region.now, state: 'creating', attachment: undefined, tags: [],
        ...(encrypted ? { encrypted: true, kmsKeyId: kmsKeyId ?? defaultEbsKey } : {}),
      }
      applyTags(volume, specTags(input.TagSpecifications, 'volume'))
      region.save(volume)
      return view(region, volume)
    },

    AttachVolume: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const volume = findVolume(region, input.VolumeId)
      const [instance] = namedInstances(region, [input.InstanceId])
      if (volume.attachment !== undefined) throw ec2Errors.volumeInUse(volume.id, volume.attachment.instanceId)
      const current = volumeState(volume, region.now)
      if (current !== 'available') throw ec2Errors.volumeNotAvailable(volume.id, current)
      if (instance!.state === 'terminated' || instance!.state === 'shutting-down') throw ec2Errors.incorrectStateAssociate(instance!.id, instance!.state)
      if (volume.zone !== instance!.zone) throw ec2Errors.volumeZoneMismatch(volume.id, instance!.id)
      if (!/^\/dev\/(sd|xvd)[a-z]{1,2}\d*$|^xvd[a-z]{1,2}$/.test(input.Device)) throw ec2Errors.invalidParameterValue(`Value (${input.Device}) for parameter device is invalid. ${input.Device} is not a valid EBS device name.`)
      for (const other of region.volumes.values()) {
        if (other.attachment?.instanceId === instance!.id && other.attachment.device === input.Device) throw ec2Errors.deviceInUse(input.Device)
      }
      const now = region.now
      volume.state = 'in-use'
      volume.attachment = { instanceId: instance!.id, device: input.Device, attachTime: now, deleteOnTermination: false, attachedAt: now + attachMs }
      region.save(volume)
      // The instance lists it among its block device mappings (block-devices.ts); 'attaching' for attachMs of clock.
      addDevice(instance!, input.Device, volume.id)
      region.save(instance!)
      return { VolumeId: volume.id, InstanceId: instance!.id, Device: input.Device, State: 'attaching', AttachTime: new Date(now) }
    },

    DetachVolume: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const volume = findVolume(region, input.VolumeId)
      const a = volume.attachment
      if (a === undefined || (input.InstanceId !== undefined && a.instanceId !== input.InstanceId)) {
        throw ec2Errors.volumeNotAttached(volume.id, volumeState(volume, region.now))
      }
      if (a.detachAt !== undefined) throw ec2Errors.volumeNotAttached(volume.id, 'detaching')
      // A running instance's root volume stays (AWS detaches it from a stopped instance only).
      const instance = region.instance(a.instanceId)
      const root = instance === undefined ? undefined : instance.devices?.[0]?.volumeId ?? instance.volumeId
      if (instance !== undefined && root === volume.id && instance.state !== 'stopped') throw ec2Errors.rootVolumeAttached(volume.id, instance.id)
      // 'detaching' for detachMs of clock (the volume still in-use), then available (settleVolume).
      a.detachAt = region.now + detachMs
      region.save(volume)
      return { VolumeId: volume.id, InstanceId: a.instanceId, Device: a.device, State: 'detaching', AttachTime: new Date(a.attachTime) }
    },

    DeleteVolume: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const volume = findVolume(region, input.VolumeId)
      if (volume.attachment !== undefined) throw ec2Errors.volumeInUse(volume.id, volume.attachment.instanceId)
      region.remove(volume)
    },

    DescribeVolumes: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      if (input.MaxResults !== undefined && input.VolumeIds !== undefined && input.VolumeIds.length > 0) {
        throw ec2Errors.invalidParameterCombination('The parameter volumeSet cannot be used with the parameter maxResults')
      }
      let all = [...region.volumes.values()].map((v) => settleVolume(region, v))
      if (input.VolumeIds !== undefined && input.VolumeIds.length > 0) all = input.VolumeIds.map((id) => findVolume(region, id))
      const match = compileFilters(input.Filters, filters)
      const now = region.now
      const page = paginate(all.filter((v) => match({ ...v, now })), input.MaxResults, input.NextToken)
      return { Volumes: page.items.map((v) => view(region, v)), NextToken: page.nextToken }
    },
  }
}
