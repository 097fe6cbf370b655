// Own AMIs with @aws-sdk/client-ec2 (and the AWS CLI's image-available waiter) on the manual clock:
// CreateImage from an instance (snapshots through the snapshot store, pending → available), launching
// from it (root restored from its snapshot), RegisterImage, CopyImage, attributes, DeregisterImage.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CopyImageCommand, CreateImageCommand, DeleteSnapshotCommand, DeregisterImageCommand, DescribeImageAttributeCommand, DescribeImagesCommand,
  DescribeInstancesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client, EC2ServiceException, ModifyImageAttributeCommand,
  RegisterImageCommand, RunInstancesCommand,
} from '@aws-sdk/client-ec2'
import { awsCli } from '../../helpers/aws-cli.ts'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const ec2 = (region = 'us-east-1') => new EC2Client({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })

async function rejects(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, code)
    if (typeof message === 'string') assert.equal(error.message, message)
    else if (message !== undefined) assert.match(error.message, message)
    return true
  })
}

async function catalogImage(region = 'us-east-1'): Promise<string> {
  const { Images } = await ec2(region).send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
  return Images![0]!.ImageId!
}

const image = async (id: string, region = 'us-east-1') => (await ec2(region).send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!

describe('EC2 own images', () => {
  it('CreateImage snapshots the instance\'s volumes, is pending until they complete, and launches', async () => {
    const run = await ec2().send(new RunInstancesCommand({
      ImageId: await catalogImage(), InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
      BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 20, VolumeType: 'gp3', DeleteOnTermination: false } }],
    }))
    const instanceId = run.Instances![0]!.InstanceId!
    const account = run.OwnerId!
    await advance(nimbus.current, 30_000)
    const { ImageId } = await ec2().send(new CreateImageCommand({
      InstanceId: instanceId, Name: 'web-2026.12.05', Description: 'web server', NoReboot: true,
      TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'app', Value: 'web' }] }, { ResourceType: 'snapshot', Tags: [{ Key: 'app', Value: 'web-snap' }] }],
    }))
    assert.match(ImageId!, /^ami-[0-9a-f]{17}$/)
    const pending = await image(ImageId!)
    assert.equal(pending.State, 'pending')
    assert.equal(pending.OwnerId, account)
    assert.equal(pending.Public, false)
    assert.equal(pending.SourceInstanceId, instanceId)
    assert.deepEqual(pending.Tags, [{ Key: 'app', Value: 'web' }])
    assert.deepEqual(pending.BlockDeviceMappings!.map((m) => [m.DeviceName, m.Ebs?.VolumeSize, m.Ebs?.DeleteOnTermination]).sort(),
      [['/dev/sdf', 20, false], ['/dev/xvda', 8, true]])
    // Its snapshots are the store's: pending with the instance's volumes, tagged, described as AWS describes them.
    const { Snapshots } = await ec2().send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))
    assert.equal(Snapshots!.length, 2)
    for (const s of Snapshots!) {
      assert.equal(s.State, 'pending')
      assert.equal(s.Description, `Created by CreateImage(${instanceId}) for ${ImageId}`)
      assert.deepEqual(s.Tags, [{ Key: 'app', Value: 'web-snap' }])
    }
    assert.ok(pending.BlockDeviceMappings!.every((m) => Snapshots!.some((s) => s.SnapshotId === m.Ebs!.SnapshotId)))
    // A pending image can't be launched; a duplicate name is refused.
    await rejects(ec2().send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1 })), 'InvalidAMIID.Unavailable')
    await rejects(ec2().send(new CreateImageCommand({ InstanceId: instanceId, Name: 'web-2026.12.05' })), 'InvalidAMIName.Duplicate',
      `AMI name web-2026.12.05 is already in use by AMI ${ImageId}`)

    await advance(nimbus.current, 60_000)
    await awsCli(nimbus.current, 'ec2', 'wait', 'image-available', '--image-ids', ImageId!)
    assert.equal((await image(ImageId!)).State, 'available')
    const self = await ec2().send(new DescribeImagesCommand({ Owners: ['self'] }))
    assert.deepEqual(self.Images!.map((i) => i.ImageId), [ImageId])
    const byFilter = await ec2().send(new DescribeImagesCommand({ Filters: [{ Name: 'tag:app', Values: ['web'] }, { Name: 'state', Values: ['available'] }] }))
    assert.deepEqual(byFilter.Images!.map((i) => i.ImageId), [ImageId])

    // Launching from it: a volume per mapping, restored from the image's snapshots.
    const again = await ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 't3.small', MinCount: 1, MaxCount: 1 }))
    const launched = again.Instances![0]!
    assert.equal(launched.ImageId, ImageId)
    const { Volumes } = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [launched.InstanceId!] }] }))
    assert.deepEqual(Volumes!.map((v) => [v.Attachments![0]!.Device, v.Size, v.SnapshotId]).sort(),
      pending.BlockDeviceMappings!.map((m) => [m.DeviceName, m.Ebs!.VolumeSize, m.Ebs!.SnapshotId]).sort())

    // A snapshot an image uses can't be deleted; deregistering leaves the snapshots, then the image is gone.
    const rootSnapshot = pending.BlockDeviceMappings!.find((m) => m.DeviceName === '/dev/xvda')!.Ebs!.SnapshotId!
    await rejects(ec2().send(new DeleteSnapshotCommand({ SnapshotId: rootSnapshot })), 'InvalidSnapshot.InUse',
      `The snapshot ${rootSnapshot} is currently in use by ${ImageId}`)
    const deregistered = await ec2().send(new DeregisterImageCommand({ ImageId }))
    assert.equal(deregistered.Return, true)
    assert.deepEqual((await ec2().send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images, [])
    assert.deepEqual((await ec2().send(new DescribeImagesCommand({ Owners: ['self'] }))).Images, [])
    await rejects(ec2().send(new DeregisterImageCommand({ ImageId })), 'InvalidAMIID.Unavailable')
    await rejects(ec2().send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1 })), 'InvalidAMIID.NotFound', `The image id '[${ImageId}]' does not exist`)
    await ec2().send(new DeleteSnapshotCommand({ SnapshotId: rootSnapshot }))
    await rejects(ec2().send(new DeregisterImageCommand({ ImageId: 'ami-0123456789abcdef0' })), 'InvalidAMIID.NotFound', "The image id '[ami-0123456789abcdef0]' does not exist")
    await rejects(ec2().send(new DeregisterImageCommand({ ImageId: 'image-1' })), 'InvalidAMIID.Malformed', 'Invalid id: "image-1" (expecting "ami-...")')
    // The launched instance still reads its image id.
    const described = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [launched.InstanceId!] }))
    assert.equal(described.Reservations![0]!.Instances![0]!.ImageId, ImageId)
  })

  it('RegisterImage from a snapshot, attributes and launch permissions, CopyImage to another region', async () => {
    const run = await ec2().send(new RunInstancesCommand({ ImageId: await catalogImage(), InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))
    await rejects(ec2().send(new CreateImageCommand({ InstanceId: run.Instances![0]!.InstanceId!, Name: 'base' })), 'IncorrectInstanceState')
    await advance(nimbus.current, 30_000)
    const first = await ec2().send(new CreateImageCommand({ InstanceId: run.Instances![0]!.InstanceId!, Name: 'base' }))
    await advance(nimbus.current, 60_000)
    const snapshotId = (await image(first.ImageId!)).BlockDeviceMappings![0]!.Ebs!.SnapshotId!

    await rejects(ec2().send(new RegisterImageCommand({ Name: 'x', RootDeviceName: '/dev/xvda',
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId } }] })), 'InvalidAMIName.Malformed')
    await rejects(ec2().send(new RegisterImageCommand({ Name: 'registered', RootDeviceName: '/dev/xvda',
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0' } }] })), 'InvalidSnapshot.NotFound')
    await rejects(ec2().send(new RegisterImageCommand({ Name: 'registered', RootDeviceName: '/dev/xvda',
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId, VolumeSize: 4 } }] })), 'InvalidBlockDeviceMapping',
    `Volume of size 4GB is smaller than  snapshot '${snapshotId}', expect size >= 8GB`)
    const registered = await ec2().send(new RegisterImageCommand({
      Name: 'registered', Architecture: 'x86_64', RootDeviceName: '/dev/xvda', VirtualizationType: 'hvm', EnaSupport: true,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId, VolumeSize: 30, VolumeType: 'gp3' } }],
    }))
    const reg = await image(registered.ImageId!)
    assert.equal(reg.State, 'available')
    assert.equal(reg.BlockDeviceMappings![0]!.Ebs!.VolumeSize, 30)
    // Launched from it: the root volume is the snapshot's, at the image's size.
    const fromReg = await ec2().send(new RunInstancesCommand({ ImageId: registered.ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))
    const root = fromReg.Instances![0]!.BlockDeviceMappings!.find((m) => m.DeviceName === '/dev/xvda')!
    const [rootVolume] = (await ec2().send(new DescribeVolumesCommand({ VolumeIds: [root.Ebs!.VolumeId!] }))).Volumes!
    assert.deepEqual([rootVolume!.Size, rootVolume!.SnapshotId, rootVolume!.VolumeType], [30, snapshotId, 'gp3'])

    await ec2().send(new ModifyImageAttributeCommand({ ImageId: registered.ImageId, Description: { Value: 'golden' } }))
    await ec2().send(new ModifyImageAttributeCommand({ ImageId: registered.ImageId, LaunchPermission: { Add: [{ UserId: '111122223333' }, { Group: 'all' }] } }))
    const perms = await ec2().send(new DescribeImageAttributeCommand({ ImageId: registered.ImageId, Attribute: 'launchPermission' }))
    assert.deepEqual(perms.LaunchPermissions, [{ Group: 'all' }, { UserId: '111122223333' }])
    const description = await ec2().send(new DescribeImageAttributeCommand({ ImageId: registered.ImageId, Attribute: 'description' }))
    assert.equal(description.Description?.Value, 'golden')
    assert.equal((await image(registered.ImageId!)).Public, true)
    await ec2().send(new ModifyImageAttributeCommand({ ImageId: registered.ImageId, LaunchPermission: { Remove: [{ Group: 'all' }] } }))
    assert.equal((await image(registered.ImageId!)).Public, false)
    await rejects(ec2().send(new ModifyImageAttributeCommand({ ImageId: await catalogImage(), Description: { Value: 'mine' } })), 'AuthFailure')

    const copied = await ec2('us-west-2').send(new CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: registered.ImageId, Name: 'registered-copy' }))
    const copy = await image(copied.ImageId!, 'us-west-2')
    assert.equal(copy.State, 'pending')
    assert.equal(copy.SourceImageId, registered.ImageId)
    assert.notEqual(copy.BlockDeviceMappings![0]!.Ebs!.SnapshotId, snapshotId)
    const { Snapshots } = await ec2('us-west-2').send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))
    assert.deepEqual(Snapshots!.map((s) => s.SnapshotId), [copy.BlockDeviceMappings![0]!.Ebs!.SnapshotId])
    await advance(nimbus.current, 60_000)
    assert.equal((await image(copied.ImageId!, 'us-west-2')).State, 'available')
  })
})
