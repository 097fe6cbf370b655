// EC2's newer resources across a restart on one data dir: key pairs, volumes with their
// attachments, snapshots still progressing on the restored clock, placement groups.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  AttachVolumeCommand, CreateKeyPairCommand, CreatePlacementGroupCommand, CreateSnapshotCommand, CreateVolumeCommand, DescribeImagesCommand,
  DescribeKeyPairsCommand, DescribePlacementGroupsCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client, RunInstancesCommand,
} from '@aws-sdk/client-ec2'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { advance, testCredentials } from '../../helpers/nimbus.ts'

const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('EC2 durable key pairs, volumes, snapshots and placement groups', () => {
  it('keeps them across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-ec2-ebs-'))
    dirs.push(dataDir)
    const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
    let nimbus: Nimbus = await open()
    const ec2 = () => new EC2Client({ endpoint: nimbus.endpoint, region: 'sa-east-1', credentials: testCredentials })

    const key = await ec2().send(new CreateKeyPairCommand({ KeyName: 'k', KeyType: 'ed25519' }))
    await ec2().send(new CreatePlacementGroupCommand({ GroupName: 'p', Strategy: 'partition', PartitionCount: 4 }))
    const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*-x86_64'] }] }))
    const run = await ec2().send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: 'k',
      Placement: { AvailabilityZone: 'sa-east-1a', GroupName: 'p' } }))
    const instanceId = run.Instances![0]!.InstanceId!
    const volume = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'sa-east-1a', Size: 50 }))
    await advance(nimbus, 10_000)
    await ec2().send(new AttachVolumeCommand({ VolumeId: volume.VolumeId, InstanceId: instanceId, Device: '/dev/sdh' }))
    const snap = await ec2().send(new CreateSnapshotCommand({ VolumeId: volume.VolumeId }))

    await nimbus.stop()
    nimbus = await open()
    const { KeyPairs } = await ec2().send(new DescribeKeyPairsCommand({}))
    assert.deepEqual(KeyPairs!.map((k) => [k.KeyName, k.KeyFingerprint]), [['k', key.KeyFingerprint]])
    const { PlacementGroups } = await ec2().send(new DescribePlacementGroupsCommand({}))
    assert.deepEqual(PlacementGroups!.map((g) => [g.GroupName, g.PartitionCount]), [['p', 4]])
    const { Volumes } = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }))
    assert.deepEqual(Volumes!.map((v) => v.Attachments![0]!.Device).sort(), ['/dev/sdh', '/dev/xvda'])
    await advance(nimbus, 60_000)
    const { Snapshots } = await ec2().send(new DescribeSnapshotsCommand({ SnapshotIds: [snap.SnapshotId!] }))
    assert.equal(Snapshots![0]!.State, 'completed')
    await nimbus.stop()
  })
})
