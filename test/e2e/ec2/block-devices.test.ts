// RunInstances' BlockDeviceMappings with @aws-sdk/client-ec2: a volume per mapping (size, type, IOPS,
// throughput, encryption, snapshot restore), NoDevice, DeleteOnTermination at termination, the same
// through a launch template, and AWS's validation errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateLaunchTemplateCommand, CreateSnapshotCommand, CreateVolumeCommand, DescribeImagesCommand, DescribeInstancesCommand,
  DescribeVolumesCommand, EC2Client, EC2ServiceException, RunInstancesCommand, TerminateInstancesCommand, type BlockDeviceMapping,
} from '@aws-sdk/client-ec2'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'eu-west-1', credentials: testCredentials })

async function rejects(promise: Promise<unknown>, code: string, message?: string): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, code)
    if (message !== undefined) assert.equal(error.message, message)
    return true
  })
}

async function catalogImage(): Promise<{ id: string; snapshot: string }> {
  const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
  return { id: Images![0]!.ImageId!, snapshot: Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId! }
}

const run = async (mappings: BlockDeviceMapping[], extra: Record<string, unknown> = {}) => ec2().send(new RunInstancesCommand({
  ImageId: (await catalogImage()).id, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'eu-west-1a' },
  BlockDeviceMappings: mappings, ...extra,
}))

const volumesOf = async (instanceId: string) => (await ec2().send(new DescribeVolumesCommand({
  Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }))).Volumes!

describe('EC2 block device mappings at launch', () => {
  it('makes a volume per mapping, shown on the instance and in DescribeVolumes; DeleteOnTermination decides at termination', async () => {
    const source = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 50 }))
    await advance(nimbus.current, 5_000)
    const snapshot = await ec2().send(new CreateSnapshotCommand({ VolumeId: source.VolumeId }))
    await advance(nimbus.current, 60_000)
    const ran = await run([
      { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, VolumeType: 'gp3', Iops: 4000, Throughput: 250 } },
      { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 100, VolumeType: 'io1', Iops: 5000, DeleteOnTermination: false, Encrypted: true,
        KmsKeyId: 'arn:aws:kms:eu-west-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab' } },
      { DeviceName: '/dev/sdg', Ebs: { SnapshotId: snapshot.SnapshotId } },
      { DeviceName: '/dev/sdh', Ebs: { VolumeSize: 500, VolumeType: 'st1' } },
    ])
    const instance = ran.Instances![0]!
    assert.equal(instance.RootDeviceName, '/dev/xvda')
    assert.deepEqual(instance.BlockDeviceMappings!.map((m) => [m.DeviceName, m.Ebs!.DeleteOnTermination, m.Ebs!.Status]),
      [['/dev/xvda', true, 'attached'], ['/dev/sdf', false, 'attached'], ['/dev/sdg', true, 'attached'], ['/dev/sdh', true, 'attached']])
    const volumes = await volumesOf(instance.InstanceId!)
    const byDevice = new Map(volumes.map((v) => [v.Attachments![0]!.Device, v]))
    assert.deepEqual([byDevice.get('/dev/xvda')!.Size, byDevice.get('/dev/xvda')!.Iops, byDevice.get('/dev/xvda')!.Throughput], [30, 4000, 250])
    assert.equal(byDevice.get('/dev/xvda')!.VolumeId, instance.BlockDeviceMappings![0]!.Ebs!.VolumeId)
    const sdf = byDevice.get('/dev/sdf')!
    assert.deepEqual([sdf.VolumeType, sdf.Iops, sdf.Encrypted, sdf.KmsKeyId], ['io1', 5000, true,
      'arn:aws:kms:eu-west-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab'])
    assert.deepEqual([byDevice.get('/dev/sdg')!.Size, byDevice.get('/dev/sdg')!.SnapshotId, byDevice.get('/dev/sdg')!.VolumeType], [50, snapshot.SnapshotId, 'gp2'])
    assert.equal(byDevice.get('/dev/sdh')!.VolumeType, 'st1')
    const encrypted = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: 'encrypted', Values: ['true'] }] }))
    assert.deepEqual(encrypted.Volumes!.map((v) => v.VolumeId), [sdf.VolumeId])
    const filtered = await ec2().send(new DescribeInstancesCommand({ Filters: [{ Name: 'block-device-mapping.device-name', Values: ['/dev/sdh'] }] }))
    assert.equal(filtered.Reservations!.length, 1)

    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId!] }))
    await advance(nimbus.current, 60_000)
    // Only the volume with DeleteOnTermination false stays, detached and available.
    const left = await ec2().send(new DescribeVolumesCommand({ VolumeIds: volumes.map((v) => v.VolumeId!).filter((id) => id === sdf.VolumeId) }))
    assert.equal(left.Volumes![0]!.State, 'available')
    assert.deepEqual(left.Volumes![0]!.Attachments, [])
    await rejects(ec2().send(new DescribeVolumesCommand({ VolumeIds: [byDevice.get('/dev/sdg')!.VolumeId!] })), 'InvalidVolume.NotFound')
  })

  it('lays mappings over the AMI\'s: the root\'s size and DeleteOnTermination, NoDevice, a launch template\'s mappings', async () => {
    const ran = await run([{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 16, DeleteOnTermination: false } }, { DeviceName: '/dev/sdb', NoDevice: '' }])
    const [root] = await volumesOf(ran.Instances![0]!.InstanceId!)
    assert.deepEqual([root!.Size, root!.SnapshotId, root!.VolumeType, root!.Attachments![0]!.DeleteOnTermination], [16, (await catalogImage()).snapshot, 'gp3', false])

    const template = await ec2().send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'with-disks', LaunchTemplateData: {
      ImageId: (await catalogImage()).id, InstanceType: 't3.micro',
      BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 12, VolumeType: 'gp2' } }] } }))
    const fromTemplate = await ec2().send(new RunInstancesCommand({ MinCount: 2, MaxCount: 2, Placement: { AvailabilityZone: 'eu-west-1b' },
      LaunchTemplate: { LaunchTemplateId: template.LaunchTemplate!.LaunchTemplateId } }))
    for (const i of fromTemplate.Instances!) {
      const volumes = await volumesOf(i.InstanceId!)
      assert.deepEqual(volumes.map((v) => [v.Attachments![0]!.Device, v.Size, v.AvailabilityZone]).sort(),
        [['/dev/sdf', 12, 'eu-west-1b'], ['/dev/xvda', 8, 'eu-west-1b']])
    }
  })

  it('answers AWS\'s validation errors', async () => {
    const { snapshot } = await catalogImage()
    await rejects(run([{ DeviceName: '/dev/sde1', Ebs: { VolumeSize: 1 } }]), 'InvalidBlockDeviceMapping', 'Invalid device name /dev/sde1')
    await rejects(run([{ DeviceName: '/dev/sdf', Ebs: { VolumeType: 'gp3' } }]), 'InvalidBlockDeviceMapping',
      'Either snapshot ID or volume size must be provided for: /dev/sdf')
    await rejects(run([{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 4 } }]), 'InvalidBlockDeviceMapping',
      `Volume of size 4GB is smaller than  snapshot '${snapshot}', expect size >= 8GB`)
    await rejects(run([{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 100, VolumeType: 'io1' } }]), 'InvalidParameterCombination',
      'The parameter iops must be specified for io1 volumes.')
    await rejects(run([{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 100, VolumeType: 'gp2', Iops: 300 } }]), 'InvalidParameterCombination',
      'The parameter iops is not supported for gp2 volumes.')
    await rejects(run([{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 20000 } }]), 'InvalidParameterValue',
      'Volume of 20000GiB is too large for volume type gp2; maximum is 16384GiB.')
    await rejects(run([{ DeviceName: '/dev/sdf', Ebs: { SnapshotId: 'snap-0123456789abcdef0' } }]), 'InvalidSnapshot.NotFound',
      "The snapshot 'snap-0123456789abcdef0' does not exist.")
    await rejects(run([{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 1 } }, { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 2 } }]), 'InvalidBlockDeviceMapping')
    await rejects(run([{ DeviceName: '/dev/xvda', NoDevice: '' }]), 'InvalidBlockDeviceMapping')
    // Nothing was launched by any of them.
    const { Reservations } = await ec2().send(new DescribeInstancesCommand({ Filters: [{ Name: 'availability-zone', Values: ['eu-west-1a'] }] }))
    assert.equal(Reservations!.flatMap((r) => r.Instances!).filter((i) => i.State!.Name !== 'terminated').length, 1)
  })
})
