// Elastic Volumes (ModifyVolume, DescribeVolumesModifications: modifying → optimizing → completed on
// the manual clock, AWS's limits and errors) and EBS encryption (CreateVolume's Encrypted/KmsKeyId,
// carried by snapshots, their copies and the volumes made from them) with @aws-sdk/client-ec2.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CopySnapshotCommand, CreateSnapshotCommand, CreateVolumeCommand, DescribeSnapshotsCommand, DescribeVolumesCommand,
  DescribeVolumesModificationsCommand, EC2Client, ModifyVolumeCommand,
} from '@aws-sdk/client-ec2'
import { ec2Rejects } from '../../helpers/ec2.ts'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
const volume = async (id: string) => (await ec2().send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0]!
const modification = async (id: string) =>
  (await ec2().send(new DescribeVolumesModificationsCommand({ VolumeIds: [id] }))).VolumesModifications![0]!

describe('EC2 ModifyVolume', () => {
  it('grows and retypes a volume: modifying, optimizing with progress, completed; once per 6 hours', async () => {
    const { VolumeId } = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, VolumeType: 'gp2' }))
    const id = VolumeId!
    await advance(nimbus.current, 5_000)
    const { VolumeModification: started } = await ec2().send(new ModifyVolumeCommand({ VolumeId: id, Size: 20, VolumeType: 'gp3', Iops: 4000 }))
    assert.deepEqual([started!.ModificationState, started!.Progress, started!.OriginalSize, started!.OriginalVolumeType, started!.OriginalIops],
      ['modifying', 0, 8, 'gp2', 100])
    assert.deepEqual([started!.TargetSize, started!.TargetVolumeType, started!.TargetIops, started!.TargetThroughput], [20, 'gp3', 4000, 125])
    const v = await volume(id)
    assert.deepEqual([v.Size, v.VolumeType, v.Iops, v.Throughput], [20, 'gp3', 4000, 125])
    await ec2Rejects(ec2().send(new ModifyVolumeCommand({ VolumeId: id, Size: 30 })), 'IncorrectModificationState',
      `Volume ${id} cannot be modified in modification state MODIFYING`)
    await advance(nimbus.current, 35_000)
    const optimizing = await modification(id)
    assert.deepEqual([optimizing.ModificationState, optimizing.Progress], ['optimizing', 50])
    const filtered = await ec2().send(new DescribeVolumesModificationsCommand({ Filters: [{ Name: 'modification-state', Values: ['optimizing'] }] }))
    assert.deepEqual(filtered.VolumesModifications!.map((m) => m.VolumeId), [id])
    await advance(nimbus.current, 25_000)
    const done = await modification(id)
    assert.deepEqual([done.ModificationState, done.Progress], ['completed', 100])
    assert.ok(done.EndTime instanceof Date)
    await ec2Rejects(ec2().send(new ModifyVolumeCommand({ VolumeId: id, Size: 30 })), 'VolumeModificationRateExceeded',
      'You\'ve reached the maximum modification rate per volume limit. Wait at least 6 hours between modifications per EBS volume.')
    await advance(nimbus.current, 6 * 3_600_000)
    // gp3 keeps its provisioned IOPS when they are not named again.
    const { VolumeModification: second } = await ec2().send(new ModifyVolumeCommand({ VolumeId: id, Size: 30 }))
    assert.deepEqual([second!.OriginalSize, second!.TargetSize, second!.TargetIops], [20, 30, 4000])
  })

  it('refuses a smaller size, bad figures and unknown modifications', async () => {
    const { VolumeId } = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 100 }))
    await advance(nimbus.current, 5_000)
    await ec2Rejects(ec2().send(new ModifyVolumeCommand({ VolumeId, Size: 50 })), 'InvalidParameterValue',
      'New size cannot be smaller than existing size (100GiB).')
    await ec2Rejects(ec2().send(new ModifyVolumeCommand({ VolumeId, VolumeType: 'io1' })), 'MissingParameter')
    await ec2Rejects(ec2().send(new ModifyVolumeCommand({ VolumeId, Size: 20000 })), 'InvalidParameterValue',
      'Volume of 20000GiB is too large for volume type gp3; maximum is 16384GiB.')
    await ec2Rejects(ec2().send(new DescribeVolumesModificationsCommand({ VolumeIds: [VolumeId!] })), 'InvalidVolumeModification.NotFound',
      `Modification for volume '${VolumeId}' does not exist.`)
    await ec2Rejects(ec2().send(new ModifyVolumeCommand({ VolumeId: 'vol-0123456789abcdef0', Size: 200 })), 'InvalidVolume.NotFound')
  })
})

describe('EC2 EBS encryption', () => {
  it('keeps Encrypted and the key through snapshots, copies and restored volumes', async () => {
    await ec2Rejects(ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, KmsKeyId: 'alias/mine' })),
      'InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.')
    const made = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, Encrypted: true, KmsKeyId: 'alias/mine' }))
    assert.deepEqual([made.Encrypted, made.KmsKeyId], [true, 'alias/mine'])
    const plain = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, Encrypted: true }))
    assert.equal(plain.KmsKeyId, 'alias/aws/ebs')
    await advance(nimbus.current, 5_000)
    const snap = await ec2().send(new CreateSnapshotCommand({ VolumeId: made.VolumeId }))
    assert.deepEqual([snap.Encrypted, snap.KmsKeyId], [true, 'alias/mine'])
    await advance(nimbus.current, 60_000)
    const listed = await ec2().send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'encrypted', Values: ['true'] }], SnapshotIds: [snap.SnapshotId!] }))
    assert.equal(listed.Snapshots!.length, 1)
    const restored = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1b', SnapshotId: snap.SnapshotId }))
    assert.deepEqual([restored.Encrypted, restored.KmsKeyId, restored.Size], [true, 'alias/mine', 8])
    const { SnapshotId: copyId } = await ec2().send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: snap.SnapshotId }))
    const copy = (await ec2().send(new DescribeSnapshotsCommand({ SnapshotIds: [copyId!] }))).Snapshots![0]!
    assert.deepEqual([copy.Encrypted, copy.KmsKeyId], [true, 'alias/mine'])
  })
})
