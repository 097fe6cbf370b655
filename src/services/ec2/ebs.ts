// EBS as AWS sizes and times it: each volume type's size and IOPS limits, and volumes' and
// snapshots' states on the clock (computed lazily from their start, no timers).
import { ec2Errors } from './errors.ts'
import type { SnapshotRecord, VolumeModificationRecord, VolumeRecord } from './resources.ts'
import type { RegionState } from './store.ts'

/** The key an encrypted volume or snapshot names when none is given (what launch volumes show too). */
export const defaultEbsKey = 'alias/aws/ebs'

/** A new volume is 'creating' this long, then 'available'. */
export const volumeCreateMs = 5_000
/** A snapshot is 'pending' this long (Progress rising evenly), then 'completed'. */
export const snapshotMs = 60_000

/** Sizes in GiB per type (AWS's EBS volume types page); IOPS bounds and IOPS:GiB ratio where provisioned. */
const limits: Record<string, { min: number; max: number; iops?: { min: number; max: number; ratio: number } }> = {
  gp3: { min: 1, max: 16384, iops: { min: 3000, max: 16000, ratio: 500 } },
  gp2: { min: 1, max: 16384 },
  io1: { min: 4, max: 16384, iops: { min: 100, max: 64000, ratio: 50 } },
  io2: { min: 4, max: 65536, iops: { min: 100, max: 256000, ratio: 1000 } },
  st1: { min: 125, max: 16384 },
  sc1: { min: 125, max: 16384 },
  standard: { min: 1, max: 1024 },
}

/** Checks a CreateVolume's type, size and IOPS; answers the IOPS and throughput the volume gets. */
export function checkVolume(type: string, size: number, iops: number | undefined, throughput: number | undefined):
  { iops: number | undefined; throughput: number | undefined } {
  const limit = limits[type]
  if (limit === undefined) throw ec2Errors.invalidParameterValue(`Value (${type}) for parameter volumeType is invalid. Valid values: standard, io1, io2, gp2, gp3, sc1, st1`)
  if (!Number.isInteger(size) || size < limit.min) throw ec2Errors.invalidParameterValue(`Volume of size ${size}GiB is too small; minimum is ${limit.min}GiB.`)
  if (size > limit.max) throw ec2Errors.invalidParameterValue(`Volume of ${size}GiB is too large for volume type ${type}; maximum is ${limit.max}GiB.`)
  if (limit.iops === undefined) {
    if (iops !== undefined) throw ec2Errors.invalidParameterCombination(`The parameter iops is not supported for ${type} volumes.`)
    // gp2's baseline: 3 IOPS per GiB, at least 100, at most 16,000.
    return { iops: type === 'gp2' ? Math.min(16000, Math.max(100, 3 * size)) : undefined, throughput: undefined }
  }
  if (iops === undefined) {
    if (type !== 'gp3') throw ec2Errors.missingParameter('iops')
    return { iops: 3000, throughput: throughput ?? 125 }
  }
  if (iops < limit.iops.min || iops > limit.iops.max) {
    throw ec2Errors.invalidParameterValue(`Volume iops of ${iops} is ${iops < limit.iops.min ? 'too low' : 'too high'}; ${iops < limit.iops.min ? 'minimum' : 'maximum'} is ${iops < limit.iops.min ? limit.iops.min : limit.iops.max}.`)
  }
  if (iops > size * limit.iops.ratio) {
    throw ec2Errors.invalidParameterValue(`Iops to volume size ratio of ${(iops / size).toFixed(6)} is too high; maximum is ${limit.iops.ratio}.000000.`)
  }
  return { iops, throughput: type === 'gp3' ? throughput ?? 125 : undefined }
}

/** The volume's state now: a created volume turns available once its creation time has passed. */
export const volumeState = (v: VolumeRecord, now: number): string =>
  v.state === 'creating' && now >= v.createTime + volumeCreateMs ? 'available' : v.state

/** A ModifyVolume's state: 'modifying' this long (Progress 0), then 'optimizing' (rising) until its end, then 'completed'. */
export const modifyingMs = 10_000

export function modificationStateOf(m: VolumeModificationRecord, now: number): { state: 'modifying' | 'optimizing' | 'completed'; progress: number } {
  if (now >= m.endTime) return { state: 'completed', progress: 100 }
  if (now < m.startTime + modifyingMs) return { state: 'modifying', progress: 0 }
  return { state: 'optimizing', progress: Math.floor(((now - m.startTime - modifyingMs) / (m.endTime - m.startTime - modifyingMs)) * 100) }
}

export function snapshotProgress(s: SnapshotRecord, now: number): { state: 'pending' | 'completed'; progress: number } {
  const done = Math.min(1, Math.max(0, (now - s.startTime) / snapshotMs))
  return done >= 1 ? { state: 'completed', progress: 100 } : { state: 'pending', progress: Math.floor(done * 100) }
}

/** Ends a detachment that is due (DetachVolume's `detaching` is over): the volume is available again, its row written. */
export function settleVolume(region: RegionState, v: VolumeRecord): VolumeRecord {
  const due = v.attachment?.detachAt
  if (due !== undefined && region.now >= due) {
    v.attachment = undefined
    v.state = 'available'
    region.save(v)
  }
  return v
}
