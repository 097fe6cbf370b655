// EBS snapshots: CreateSnapshot (pending → completed with Progress on the clock), CopySnapshot
// (within or across regions of the account), DescribeSnapshots (the account's own), DeleteSnapshot.
import type { OperationTable } from '../../service.ts'
import { defaultEbsKey, snapshotProgress } from '../ebs.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, paginate, type FilterTable } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import type { SnapshotRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, checkId, regionOf, specTags, tagsOut } from './common.ts'
import { findVolume } from './volumes.ts'
import { imageUsingSnapshot } from '../amis.ts'
import { snapshotInUse } from './own-images.ts'

function findSnapshot(region: RegionState, id: string): SnapshotRecord {
  checkId(id, 'snap', 'InvalidSnapshot.Malformed')
  const snapshot = region.snapshots.get(id)
  if (snapshot === undefined) throw ec2Errors.snapshotNotFound(id)
  return snapshot
}

function view(region: RegionState, s: SnapshotRecord) {
  const { state, progress } = snapshotProgress(s, region.now)
  return {
    SnapshotId: s.id, VolumeId: s.volumeId, VolumeSize: s.volumeSize, Description: s.description, StartTime: new Date(s.startTime),
    State: state, Progress: `${progress}%`, OwnerId: region.account, Encrypted: s.encrypted === true, KmsKeyId: s.kmsKeyId, StorageTier: 'standard' as const, Tags: tagsOut(s.tags),
  }
}

const filters = (region: RegionState): FilterTable<SnapshotRecord> => ({
  'snapshot-id': (s) => [s.id], 'volume-id': (s) => [s.volumeId], 'volume-size': (s) => [String(s.volumeSize)],
  description: (s) => [s.description], status: (s) => [snapshotProgress(s, region.now).state],
  progress: (s) => [`${snapshotProgress(s, region.now).progress}%`], 'owner-id': () => [region.account], encrypted: (s) => [String(s.encrypted === true)],
  'start-time': (s) => [new Date(s.startTime).toISOString()],
})

export function snapshotOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    CreateSnapshot: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const volume = findVolume(region, input.VolumeId)
      const snapshot: SnapshotRecord = {
        kind: 'snapshot', id: newId('snap'), volumeId: volume.id, volumeSize: volume.size, description: input.Description ?? '',
        startTime: region.now, tags: [], ...(volume.encrypted === true ? { encrypted: true, kmsKeyId: volume.kmsKeyId } : {}),
      }
      applyTags(snapshot, specTags(input.TagSpecifications, 'snapshot'))
      region.save(snapshot)
      return view(region, snapshot)
    },

    CopySnapshot: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      if (input.SourceRegion === undefined) throw ec2Errors.missingParameter('SourceRegion')
      const source = findSnapshot(state.region(ctx.caller.account, input.SourceRegion), input.SourceSnapshotId)
      if (snapshotProgress(source, state.clock.now()).state !== 'completed') throw ec2Errors.snapshotPending(source.id)
      if (input.KmsKeyId !== undefined && input.Encrypted !== true) throw ec2Errors.kmsKeyWithoutEncrypted()
      // An encrypted source gives an encrypted copy; Encrypted (with KmsKeyId or the default key) encrypts one.
      const encrypted = input.Encrypted === true || source.encrypted === true
      // A copy's VolumeId is AWS's placeholder "vol-ffffffff"; it goes through pending → completed itself.
      const copy: SnapshotRecord = {
        kind: 'snapshot', id: newId('snap'), volumeId: 'vol-ffffffff', volumeSize: source.volumeSize,
        description: input.Description ?? `[Copied ${source.id} from ${input.SourceRegion}] ${source.description}`.trimEnd(),
        startTime: region.now, sourceSnapshotId: source.id, tags: [],
        ...(encrypted ? { encrypted: true, kmsKeyId: input.KmsKeyId ?? source.kmsKeyId ?? defaultEbsKey } : {}),
      }
      applyTags(copy, specTags(input.TagSpecifications, 'snapshot'))
      region.save(copy)
      return { SnapshotId: copy.id, Tags: tagsOut(copy.tags) }
    },

    DeleteSnapshot: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const snapshot = findSnapshot(region, input.SnapshotId)
      const image = imageUsingSnapshot(region, snapshot.id)
      if (image !== undefined) throw snapshotInUse(snapshot.id, image.id)
      region.remove(snapshot)
    },

    DescribeSnapshots: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      // Only the account's own snapshots exist here: OwnerIds other than 'self' or the account find none (no public snapshots).
      const owners = input.OwnerIds ?? []
      const own = owners.length === 0 || owners.some((o) => o === 'self' || o === region.account)
      let all = own ? [...region.snapshots.values()] : []
      if (input.SnapshotIds !== undefined && input.SnapshotIds.length > 0) all = input.SnapshotIds.map((id) => findSnapshot(region, id))
      const match = compileFilters(input.Filters, filters(region))
      const page = paginate(all.filter(match), input.MaxResults, input.NextToken)
      return { Snapshots: page.items.map((s) => view(region, s)), NextToken: page.nextToken }
    },
  }
}
