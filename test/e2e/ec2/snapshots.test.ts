// EBS snapshots with @aws-sdk/client-ec2 on the manual clock: pending → completed with Progress,
// DescribeSnapshots (OwnerIds self), CopySnapshot across regions, volumes from snapshots, deletion.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CopySnapshotCommand, CreateSnapshotCommand, CreateVolumeCommand, DeleteSnapshotCommand, DescribeSnapshotsCommand, EC2Client,
  EC2ServiceException,
} from '@aws-sdk/client-ec2'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const ec2 = (region = 'us-east-1') => new EC2Client({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })

async function rejects(promise: Promise<unknown>, code: string, message?: string): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, code)
    if (message !== undefined) assert.equal(error.message, message)
    return true
  })
}

const snapshot = async (id: string, region?: string) => (await ec2(region).send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots![0]!

describe('EC2 EBS snapshots', () => {
  it('goes pending → completed with Progress on the clock; volumes and copies from a completed one', async () => {
    const volume = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 30, VolumeType: 'gp2' }))
    const made = await ec2().send(new CreateSnapshotCommand({ VolumeId: volume.VolumeId, Description: 'nightly',
      TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'k', Value: 'v' }] }] }))
    assert.match(made.SnapshotId!, /^snap-[0-9a-f]{17}$/)
    assert.deepEqual([made.State, made.Progress, made.VolumeSize, made.VolumeId], ['pending', '0%', 30, volume.VolumeId])
    await rejects(ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1b', SnapshotId: made.SnapshotId })), 'IncorrectState')
    await advance(nimbus.current, 30_000)
    assert.deepEqual([(await snapshot(made.SnapshotId!)).State, (await snapshot(made.SnapshotId!)).Progress], ['pending', '50%'])
    await advance(nimbus.current, 30_000)
    const done = await snapshot(made.SnapshotId!)
    assert.deepEqual([done.State, done.Progress, done.Description], ['completed', '100%', 'nightly'])
    assert.deepEqual(done.Tags, [{ Key: 'k', Value: 'v' }])

    const own = await ec2().send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'status', Values: ['completed'] }] }))
    assert.deepEqual(own.Snapshots!.map((s) => s.SnapshotId), [made.SnapshotId])
    const amazon = await ec2().send(new DescribeSnapshotsCommand({ OwnerIds: ['amazon'] }))
    assert.deepEqual(amazon.Snapshots, [])

    const restored = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1b', SnapshotId: made.SnapshotId }))
    assert.deepEqual([restored.Size, restored.SnapshotId], [30, made.SnapshotId])
    await rejects(ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1b', SnapshotId: made.SnapshotId, Size: 10 })), 'InvalidParameterValue')

    const copy = await ec2('eu-central-1').send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: made.SnapshotId }))
    const copied = await snapshot(copy.SnapshotId!, 'eu-central-1')
    assert.deepEqual([copied.State, copied.VolumeSize, copied.Description], ['pending', 30, `[Copied ${made.SnapshotId} from us-east-1] nightly`])

    await ec2().send(new DeleteSnapshotCommand({ SnapshotId: made.SnapshotId }))
    await rejects(ec2().send(new DescribeSnapshotsCommand({ SnapshotIds: [made.SnapshotId!] })), 'InvalidSnapshot.NotFound',
      `The snapshot '${made.SnapshotId}' does not exist.`)
    await rejects(ec2().send(new DeleteSnapshotCommand({ SnapshotId: 'snap-bogus' })), 'InvalidSnapshot.Malformed')
  })
})
