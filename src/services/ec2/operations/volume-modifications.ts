// Elastic Volumes: ModifyVolume (a larger size, another type, IOPS or throughput, checked as
// CreateVolume checks them) and DescribeVolumesModifications. The volume shows its new figures at
// once; the modification is `modifying` for 10 s of clock, then `optimizing` (Progress rising) until
// 60 s, then `completed`; the next may start 6 hours after the last began, as AWS allows.
import type { OperationTable } from '../../service.ts'
import { checkVolume, modificationStateOf, volumeState } from '../ebs.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, paginate } from '../filters.ts'
import type { Ec2Operations, VolumeType } from '../generated/types.ts'
import type { VolumeRecord } from '../resources.ts'
import type { Ec2State } from '../store.ts'
import { regionOf } from './common.ts'
import { findVolume } from './volumes.ts'

/** AWS's limit: one modification per volume every 6 hours. */
const rateMs = 6 * 3_600_000

/** Types whose IOPS (and gp3's throughput) are provisioned and kept across a modification that doesn't name them. */
const provisioned = new Set(['gp3', 'io1', 'io2'])

function view(v: VolumeRecord, now: number) {
  const m = v.modification!
  const { state, progress } = modificationStateOf(m, now)
  return {
    VolumeId: v.id, ModificationState: state, Progress: progress, StartTime: new Date(m.startTime),
    EndTime: state === 'completed' ? new Date(m.endTime) : undefined,
    TargetSize: m.target.size, TargetIops: m.target.iops, TargetVolumeType: m.target.volumeType as VolumeType, TargetThroughput: m.target.throughput,
    TargetMultiAttachEnabled: false,
    OriginalSize: m.original.size, OriginalIops: m.original.iops, OriginalVolumeType: m.original.volumeType as VolumeType,
    OriginalThroughput: m.original.throughput, OriginalMultiAttachEnabled: false,
  }
}

export function volumeModificationOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    ModifyVolume: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const v = findVolume(region, input.VolumeId)
      const now = region.now
      const current = volumeState(v, now)
      if (current !== 'available' && current !== 'in-use') throw ec2Errors.volumeNotAvailable(v.id, current)
      if (v.modification !== undefined) {
        const { state: modState } = modificationStateOf(v.modification, now)
        if (modState !== 'completed') throw ec2Errors.modificationInProgress(v.id, modState)
        if (now < v.modification.startTime + rateMs) throw ec2Errors.modificationRate()
      }
      if (input.MultiAttachEnabled === true) throw ec2Errors.invalidParameterValue('Multi-Attach is not supported by Nimbus.')
      const size = input.Size ?? v.size
      if (size < v.size) throw ec2Errors.invalidParameterValue(`New size cannot be smaller than existing size (${v.size}GiB).`)
      const type = input.VolumeType ?? v.volumeType
      const keep = type === v.volumeType && provisioned.has(type)
      const { iops, throughput } = checkVolume(type, size, input.Iops ?? (keep ? v.iops : undefined), input.Throughput ?? (keep ? v.throughput : undefined))
      v.modification = {
        startTime: now, endTime: now + 60_000,
        original: { size: v.size, volumeType: v.volumeType, iops: v.iops, throughput: v.throughput },
        target: { size, volumeType: type, iops, throughput },
      }
      v.size = size
      v.volumeType = type
      v.iops = iops
      v.throughput = throughput
      region.save(v)
      return { VolumeModification: view(v, now) }
    },

    DescribeVolumesModifications: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const now = region.now
      const named = input.VolumeIds ?? []
      const all = named.length > 0 ? named.map((id) => {
        const v = findVolume(region, id)
        if (v.modification === undefined) throw ec2Errors.modificationNotFound(id)
        return v
      }) : [...region.volumes.values()].filter((v) => v.modification !== undefined)
      const match = compileFilters<VolumeRecord>(input.Filters, {
        'volume-id': (v) => [v.id],
        'modification-state': (v) => [modificationStateOf(v.modification!, now).state],
        'target-size': (v) => [String(v.modification!.target.size)],
        'target-iops': (v) => [v.modification!.target.iops === undefined ? undefined : String(v.modification!.target.iops)],
        'target-volume-type': (v) => [v.modification!.target.volumeType],
        'original-size': (v) => [String(v.modification!.original.size)],
        'original-iops': (v) => [v.modification!.original.iops === undefined ? undefined : String(v.modification!.original.iops)],
        'original-volume-type': (v) => [v.modification!.original.volumeType],
        'start-time': (v) => [new Date(v.modification!.startTime).toISOString()],
      })
      const page = paginate(all.filter(match), input.MaxResults, input.NextToken)
      return { VolumesModifications: page.items.map((v) => view(v, now)), NextToken: page.nextToken }
    },
  }
}
