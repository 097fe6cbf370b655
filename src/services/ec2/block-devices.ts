// Block device mappings at launch: the AMI's mappings with RunInstances' (or a launch template's)
// laid over them device by device, checked as AWS checks them, then one EBS volume per mapping
// attached to each instance (root first). Planned once per launch, applied per instance.
import { AwsError } from '../../protocol/errors.ts'
import { checkVolume, defaultEbsKey, snapshotProgress } from './ebs.ts'
import { ec2Errors } from './errors.ts'
import type { BlockDeviceMapping } from './generated/types.ts'
import type { ImageBlockDevice, InstanceRecord, VolumeAttachment } from './resources.ts'
import type { RegionState } from './store.ts'

/** What a launch needs of an AMI (a catalog image or one of the account's). */
export interface LaunchImage {
  imageId: string
  architecture: string
  platform: string | undefined
  rootDeviceName: string
  blockDevices: ImageBlockDevice[]
}

/** One EBS volume a launch makes per instance. */
export interface PlannedVolume {
  device: string
  size: number
  volumeType: string
  iops: number | undefined
  throughput: number | undefined
  snapshotId: string | undefined
  deleteOnTermination: boolean
  encrypted: boolean
  kmsKeyId: string | undefined
}

const badMapping = (message: string) => new AwsError('InvalidBlockDeviceMapping', message, { status: 400 })

/**
 * Device names AWS accepts for EBS on HVM instances: /dev/sda1 and /dev/sd[a-z], /dev/xvd[a-z] and
 * /dev/xvd[a-z][a-z], Windows' xvd[a-z]. "/dev/sde1" and "/dev/xvda1" are refused ("Invalid device name /dev/sde1").
 */
export const validDeviceName = (name: string): boolean =>
  /^\/dev\/(sda1|sd[a-z]|xvd[a-z]{1,2})$/.test(name) || /^xvd[a-z]{1,2}$/.test(name)

/** Checks a list of mappings' device names (once each, well formed). */
export function checkMappings(mappings: readonly BlockDeviceMapping[]): void {
  const seen = new Set<string>()
  for (const m of mappings) {
    const name = m.DeviceName
    if (name === undefined || name === '') throw badMapping('Missing device name')
    if (!validDeviceName(name)) throw badMapping(`Invalid device name ${name}`)
    if (seen.has(name)) throw badMapping(`The device '${name}' is used in more than one block-device mapping`)
    seen.add(name)
  }
}

/** The image's mappings with the request's laid over them (NoDevice drops one); no size or snapshot checks yet. */
export function mergeMappings(image: { rootDeviceName: string; blockDevices: readonly ImageBlockDevice[] },
  mappings: readonly BlockDeviceMapping[] | undefined): ImageBlockDevice[] {
  const byDevice = new Map(image.blockDevices.map((d) => [d.deviceName, { ...d }]))
  if (mappings === undefined || mappings.length === 0) return [...byDevice.values()]
  checkMappings(mappings)
  for (const m of mappings) {
    const name = m.DeviceName!
    if (m.NoDevice !== undefined) {
      if (name === image.rootDeviceName) throw badMapping(`The device '${name}' is the root device and cannot be suppressed`)
      byDevice.delete(name)
      continue
    }
    if (m.Ebs === undefined) {
      if (m.VirtualName !== undefined) byDevice.set(name, { deviceName: name, virtualName: m.VirtualName, deleteOnTermination: true, encrypted: false })
      continue
    }
    const base = byDevice.get(name)
    const e = m.Ebs
    const typeChanged = e.VolumeType !== undefined && e.VolumeType !== base?.volumeType
    byDevice.set(name, {
      deviceName: name,
      snapshotId: e.SnapshotId ?? base?.snapshotId,
      volumeSize: e.VolumeSize ?? (e.SnapshotId === undefined ? base?.volumeSize : undefined),
      // EbsBlockDevice's VolumeType defaults to gp2 (API reference); a mapping laid over the AMI's keeps the AMI's.
      volumeType: e.VolumeType ?? base?.volumeType ?? 'gp2',
      iops: e.Iops ?? (typeChanged ? undefined : base?.iops),
      throughput: e.Throughput ?? (typeChanged ? undefined : base?.throughput),
      deleteOnTermination: e.DeleteOnTermination ?? base?.deleteOnTermination ?? true,
      encrypted: e.Encrypted ?? (e.KmsKeyId !== undefined ? true : base?.encrypted ?? false),
      kmsKeyId: e.KmsKeyId ?? base?.kmsKeyId,
    })
  }
  return [...byDevice.values()]
}

/**
 * The volumes a launch makes per instance, root first, or AWS's error: a size below the snapshot's,
 * neither size nor snapshot, io1/io2 without Iops, a size or IOPS outside the type's limits. Snapshots
 * the request names must exist and be completed; the catalog AMIs' own snapshot ids are taken as given.
 */
export function planVolumes(region: RegionState, image: LaunchImage, mappings: readonly BlockDeviceMapping[] | undefined): PlannedVolume[] {
  const merged = mergeMappings(image, mappings)
  const asked = new Set((mappings ?? []).map((m) => m.Ebs?.SnapshotId).filter((s) => s !== undefined))
  const out: PlannedVolume[] = []
  for (const d of merged) {
    if (d.virtualName !== undefined && d.snapshotId === undefined && d.volumeSize === undefined) continue
    const snapshot = d.snapshotId === undefined ? undefined : region.snapshots.get(d.snapshotId)
    if (d.snapshotId !== undefined && snapshot === undefined && asked.has(d.snapshotId)) throw ec2Errors.snapshotNotFound(d.snapshotId)
    if (snapshot !== undefined && snapshotProgress(snapshot, region.now).state !== 'completed' && asked.has(snapshot.id)) {
      throw ec2Errors.snapshotPending(snapshot.id)
    }
    // The catalog's snapshots are not records: their size is the AMI mapping's.
    const minimum = snapshot?.volumeSize ?? image.blockDevices.find((b) => b.deviceName === d.deviceName && b.snapshotId === d.snapshotId)?.volumeSize
    const size = d.volumeSize ?? minimum
    if (size === undefined) throw badMapping(`Either snapshot ID or volume size must be provided for: ${d.deviceName}`)
    if (d.snapshotId !== undefined && minimum !== undefined && size < minimum) {
      // AWS's wording, double space included.
      throw badMapping(`Volume of size ${size}GB is smaller than  snapshot '${d.snapshotId}', expect size >= ${minimum}GB`)
    }
    const type = d.volumeType ?? 'gp2'
    if ((type === 'io1' || type === 'io2') && d.iops === undefined) {
      throw ec2Errors.invalidParameterCombination(`The parameter iops must be specified for ${type} volumes.`)
    }
    if (d.throughput !== undefined && type !== 'gp3') {
      throw ec2Errors.invalidParameterCombination('throughput can only be specified for volumeType gp3.')
    }
    const { iops, throughput } = checkVolume(type, size, d.iops, d.throughput)
    out.push({ device: d.deviceName, size, volumeType: type, iops, throughput, snapshotId: d.snapshotId,
      // A volume restored from an encrypted snapshot is encrypted, with the snapshot's key unless another is given.
      deleteOnTermination: d.deleteOnTermination, encrypted: d.encrypted || snapshot?.encrypted === true, kmsKeyId: d.kmsKeyId ?? snapshot?.kmsKeyId })
  }
  out.sort((a, b) => (a.device === image.rootDeviceName ? -1 : b.device === image.rootDeviceName ? 1 : 0))
  if (out[0]?.device !== image.rootDeviceName) throw badMapping(`The device '${image.rootDeviceName}' must be mapped as the root device`)
  return out
}

/** Makes the planned volumes for one instance, attached at launch (the root one takes the instance's `volumeId`). */
export function attachLaunchVolumes(region: RegionState, instance: InstanceRecord, planned: readonly PlannedVolume[]): void {
  instance.rootDevice = planned[0]!.device
  instance.devices = planned.map((p, i) => {
    const id = i === 0 ? instance.volumeId : region.launchId('vol')
    region.save({
      kind: 'volume', id, zone: instance.zone, size: p.size, volumeType: p.volumeType, iops: p.iops, throughput: p.throughput,
      snapshotId: p.snapshotId, createTime: instance.launchTime, state: 'in-use', tags: [],
      ...(p.encrypted ? { encrypted: true, kmsKeyId: p.kmsKeyId ?? defaultEbsKey } : {}),
      attachment: { instanceId: instance.id, device: p.device, attachTime: instance.launchTime, deleteOnTermination: p.deleteOnTermination },
    })
    return { device: p.device, volumeId: id, deleteOnTermination: p.deleteOnTermination }
  })
}

/** An AttachVolume'd volume stays 'attaching' this long (attached at launch: attached at once). */
export const attachMs = 2_000

export const attachmentState = (a: VolumeAttachment, now: number): 'attaching' | 'attached' | 'detaching' | 'detached' =>
  a.detachAt !== undefined ? (now < a.detachAt ? 'detaching' : 'detached')
    : a.attachedAt !== undefined && now < a.attachedAt ? 'attaching' : 'attached'

/** A DetachVolume'd volume stays 'detaching' (the volume 'in-use') this long, then it is available. */
export const detachMs = 2_000

/** An attached volume joins the instance's mappings (AttachVolume): 'attaching' on the clock, then 'attached'. */
export function addDevice(i: InstanceRecord, device: string, volumeId: string): void {
  const devices = i.devices ?? [{ device: i.rootDevice ?? '/dev/xvda', volumeId: i.volumeId, deleteOnTermination: true }]
  i.devices = [...devices.filter((d) => d.volumeId !== volumeId), { device, volumeId, deleteOnTermination: false }]
}

/** The instance's EBS mappings as DescribeInstances shows them: its volumes still attached to it. */
export function instanceMappings(region: RegionState, i: InstanceRecord) {
  const devices = i.devices ?? [{ device: i.rootDevice ?? '/dev/xvda', volumeId: i.volumeId, deleteOnTermination: true }]
  const out = []
  for (const d of devices) {
    const a = i.devices === undefined ? undefined : region.volumes.get(d.volumeId)?.attachment
    if (i.devices !== undefined && (a?.instanceId !== i.id || (a.detachAt !== undefined && region.now >= a.detachAt))) continue
    out.push({ DeviceName: d.device, Ebs: { AttachTime: new Date(a?.attachTime ?? i.launchTime), DeleteOnTermination: a?.deleteOnTermination ?? d.deleteOnTermination,
      Status: a === undefined ? 'attached' as const : attachmentState(a, region.now), VolumeId: d.volumeId } })
  }
  return out
}
