// Across a restart on one data dir: the account's metadata defaults, an instance's modified metadata
// options and its IAM instance profile association, a volume still detaching and a volume
// modification — their states keep moving on the restored clock.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AssociateIamInstanceProfileCommand, AttachVolumeCommand, CreateVolumeCommand, DescribeIamInstanceProfileAssociationsCommand, DescribeImagesCommand,
  DescribeInstancesCommand, DescribeVolumesCommand, DescribeVolumesModificationsCommand, DetachVolumeCommand, EC2Client,
  GetInstanceMetadataDefaultsCommand, ModifyInstanceMetadataDefaultsCommand, ModifyInstanceMetadataOptionsCommand, ModifyVolumeCommand, RunInstancesCommand,
} from '@aws-sdk/client-ec2'
import { CreateInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance, testCredentials } from '../../helpers/nimbus.ts'

describe('EC2 durable metadata settings, profile associations and volume changes', () => {
  it('keeps them across a restart', async () => {
    const durable = await durableNimbus('ec2-settings')
    const config = () => ({ endpoint: durable.nimbus.endpoint, region: 'eu-west-1', credentials: testCredentials })
    const ec2 = () => new EC2Client(config())
    await new IAMClient(config()).send(new CreateInstanceProfileCommand({ InstanceProfileName: 'kept' }))
    await ec2().send(new ModifyInstanceMetadataDefaultsCommand({ HttpTokens: 'optional', InstanceMetadataTags: 'enabled' }))
    const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*-x86_64'] }] }))
    const run = await ec2().send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'eu-west-1a' } }))
    const id = run.Instances![0]!.InstanceId!
    const { VolumeId } = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 10 }))
    const { VolumeId: grown } = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 10 }))
    await advance(durable.nimbus, 10_000)
    await ec2().send(new AttachVolumeCommand({ VolumeId, InstanceId: id, Device: '/dev/sdf' }))
    await advance(durable.nimbus, 2_000)
    await ec2().send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpPutResponseHopLimit: 7 }))
    const { IamInstanceProfileAssociation } = await ec2().send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: 'kept' } }))
    await ec2().send(new DetachVolumeCommand({ VolumeId }))
    await ec2().send(new ModifyVolumeCommand({ VolumeId: grown, Size: 20 }))

    await durable.restart()
    assert.deepEqual((await ec2().send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel, { HttpTokens: 'optional', InstanceMetadataTags: 'enabled' })
    const before = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!
    assert.deepEqual([before.MetadataOptions!.State, before.MetadataOptions!.HttpPutResponseHopLimit, before.MetadataOptions!.HttpTokens], ['pending', 7, 'optional'])
    assert.equal(before.IamInstanceProfile!.Arn, 'arn:aws:iam::000000000000:instance-profile/kept')
    assert.equal((await ec2().send(new DescribeVolumesCommand({ VolumeIds: [VolumeId!] }))).Volumes![0]!.Attachments![0]!.State, 'detaching')
    await advance(durable.nimbus, 20_000)
    const after = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!
    assert.equal(after.MetadataOptions!.State, 'applied')
    const associations = await ec2().send(new DescribeIamInstanceProfileAssociationsCommand({}))
    assert.deepEqual(associations.IamInstanceProfileAssociations!.map((a) => [a.AssociationId, a.State]),
      [[IamInstanceProfileAssociation!.AssociationId, 'associated']])
    assert.equal((await ec2().send(new DescribeVolumesCommand({ VolumeIds: [VolumeId!] }))).Volumes![0]!.State, 'available')
    const modification = (await ec2().send(new DescribeVolumesModificationsCommand({ VolumeIds: [grown!] }))).VolumesModifications![0]!
    assert.deepEqual([modification.ModificationState, modification.TargetSize], ['optimizing', 20])
    await durable.stop()
  })
})
