// EBS volumes with @aws-sdk/client-ec2 on the manual clock: create (types, sizes, IOPS), creating →
// available, attach/detach (zone, device; attaching and detaching on the clock), VolumeInUse, and
// RunInstances' root volumes.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AttachVolumeCommand, CreateVolumeCommand, DeleteVolumeCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeVolumesCommand, DetachVolumeCommand,
  EC2Client, EC2ServiceException, RunInstancesCommand, TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-2', credentials: testCredentials })

async function rejects(promise: Promise<unknown>, code: string, message?: string): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, code)
    if (message !== undefined) assert.equal(error.message, message)
    return true
  })
}

const volume = async (id: string) => (await ec2().send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0]!

async function launch(zone: string): Promise<string> {
  const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
  const run = await ec2().send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: zone } }))
  return run.Instances![0]!.InstanceId!
}

describe('EC2 EBS volumes', () => {
  it('creates gp3 by default, creating → available on the clock; checks type limits', async () => {
    const made = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-2a', Size: 20,
      TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'data' }] }] }))
    assert.match(made.VolumeId!, /^vol-[0-9a-f]{17}$/)
    assert.equal(made.State, 'creating')
    assert.equal(made.VolumeType, 'gp3')
    assert.equal(made.Iops, 3000)
    assert.equal(made.Throughput, 125)
    await advance(nimbus.current, 5_000)
    assert.equal((await volume(made.VolumeId!)).State, 'available')
    const gp2 = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-2b', Size: 100, VolumeType: 'gp2' }))
    assert.equal(gp2.Iops, 300)
    const io1 = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-2b', Size: 100, VolumeType: 'io1', Iops: 5000 }))
    assert.equal(io1.Iops, 5000)
    await rejects(ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-2a', Size: 20000, VolumeType: 'gp3' })),
      'InvalidParameterValue', 'Volume of 20000GiB is too large for volume type gp3; maximum is 16384GiB.')
    await rejects(ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-2a', Size: 100, VolumeType: 'st1' })),
      'InvalidParameterValue', 'Volume of size 100GiB is too small; minimum is 125GiB.')
    await rejects(ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-2a', Size: 10, VolumeType: 'io1', Iops: 5000 })),
      'InvalidParameterValue', 'Iops to volume size ratio of 500.000000 is too high; maximum is 50.000000.')
    await rejects(ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-2a', Size: 10, VolumeType: 'io2' })), 'MissingParameter')
    await rejects(ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-2a', Size: 10, VolumeType: 'gp2', Iops: 300 })), 'InvalidParameterCombination')
    const st1 = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: 'volume-type', Values: ['gp2', 'io1'] }] }))
    assert.deepEqual(st1.Volumes!.map((v) => v.VolumeId).sort(), [gp2.VolumeId, io1.VolumeId].sort())
  })

  it('attaches in the same zone, refuses another zone and a busy device; VolumeInUse; detaches and deletes', async () => {
    const instanceId = await launch('us-east-2a')
    const here = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-2a', Size: 8 }))
    const there = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-2c', Size: 8 }))
    await rejects(ec2().send(new AttachVolumeCommand({ VolumeId: here.VolumeId, InstanceId: instanceId, Device: '/dev/sdf' })), 'IncorrectState')
    await advance(nimbus.current, 10_000)
    await rejects(ec2().send(new AttachVolumeCommand({ VolumeId: there.VolumeId, InstanceId: instanceId, Device: '/dev/sdf' })),
      'InvalidVolume.ZoneMismatch', `The volume '${there.VolumeId}' is not in the same availability zone as instance '${instanceId}'`)
    const attached = await ec2().send(new AttachVolumeCommand({ VolumeId: here.VolumeId, InstanceId: instanceId, Device: '/dev/sdf' }))
    assert.equal(attached.State, 'attaching')
    assert.equal((await volume(here.VolumeId!)).Attachments![0]!.State, 'attaching')
    await advance(nimbus.current, 2_000)
    const v = await volume(here.VolumeId!)
    assert.equal(v.State, 'in-use')
    assert.deepEqual(v.Attachments!.map((a) => [a.InstanceId, a.Device, a.State, a.DeleteOnTermination]), [[instanceId, '/dev/sdf', 'attached', false]])
    const shown = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!.BlockDeviceMappings!
    assert.deepEqual(shown.map((m) => [m.DeviceName, m.Ebs!.VolumeId, m.Ebs!.Status]).slice(1), [['/dev/sdf', here.VolumeId, 'attached']])
    await rejects(ec2().send(new DeleteVolumeCommand({ VolumeId: here.VolumeId })), 'VolumeInUse', `Volume ${here.VolumeId} is currently attached to ${instanceId}`)
    const byInstance = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }))
    assert.equal(byInstance.Volumes!.length, 2) // the root volume and /dev/sdf
    // The root volume of a running instance stays where it is.
    const root = shown[0]!.Ebs!.VolumeId!
    await rejects(ec2().send(new DetachVolumeCommand({ VolumeId: root })), 'IncorrectState', `Unable to detach root volume '${root}' from instance '${instanceId}'`)
    // Detaching takes 2 s of clock: the volume stays in-use, its attachment (and the instance's mapping) 'detaching'.
    const detached = await ec2().send(new DetachVolumeCommand({ VolumeId: here.VolumeId }))
    assert.deepEqual([detached.State, detached.InstanceId, detached.Device], ['detaching', instanceId, '/dev/sdf'])
    const detaching = await volume(here.VolumeId!)
    assert.deepEqual([detaching.State, detaching.Attachments!.map((a) => a.State)], ['in-use', ['detaching']])
    const during = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!.BlockDeviceMappings!
    assert.deepEqual(during.map((m) => [m.DeviceName, m.Ebs!.Status]), [['/dev/xvda', 'attached'], ['/dev/sdf', 'detaching']])
    await rejects(ec2().send(new DetachVolumeCommand({ VolumeId: here.VolumeId })), 'IncorrectState', `Volume '${here.VolumeId}' is in the 'detaching' state.`)
    await rejects(ec2().send(new DeleteVolumeCommand({ VolumeId: here.VolumeId })), 'VolumeInUse')
    const filtered = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.status', Values: ['detaching'] }] }))
    assert.deepEqual(filtered.Volumes!.map((x) => x.VolumeId), [here.VolumeId])
    await advance(nimbus.current, 2_000)
    const free = await volume(here.VolumeId!)
    assert.deepEqual([free.State, free.Attachments], ['available', []])
    const after = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!.BlockDeviceMappings!
    assert.deepEqual(after.map((m) => m.DeviceName), ['/dev/xvda'])
    await rejects(ec2().send(new DetachVolumeCommand({ VolumeId: here.VolumeId })), 'IncorrectState')
    await ec2().send(new DeleteVolumeCommand({ VolumeId: here.VolumeId }))
    await rejects(ec2().send(new DescribeVolumesCommand({ VolumeIds: [here.VolumeId!] })), 'InvalidVolume.NotFound', `The volume '${here.VolumeId}' does not exist.`)
  })

  it('RunInstances makes a root volume (DeleteOnTermination) that termination deletes; others detach', async () => {
    const instanceId = await launch('us-east-2b')
    const { Volumes } = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }))
    assert.equal(Volumes!.length, 1)
    const root = Volumes![0]!
    assert.deepEqual([root.State, root.Size, root.VolumeType, root.Attachments![0]!.Device, root.Attachments![0]!.DeleteOnTermination],
      ['in-use', 8, 'gp3', '/dev/xvda', true])
    await advance(nimbus.current, 10_000)
    const data = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-2b', Size: 8 }))
    await advance(nimbus.current, 5_000)
    await ec2().send(new AttachVolumeCommand({ VolumeId: data.VolumeId, InstanceId: instanceId, Device: '/dev/sdg' }))
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }))
    await rejects(ec2().send(new DescribeVolumesCommand({ VolumeIds: [root.VolumeId!] })), 'InvalidVolume.NotFound')
    assert.equal((await volume(data.VolumeId!)).State, 'available')
  })
})
