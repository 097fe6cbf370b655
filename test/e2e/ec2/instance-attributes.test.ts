// Describe/ModifyInstanceAttribute over every attribute AWS names, stop protection, the shutdown
// behaviour, DeleteOnTermination of attached volumes, GetPasswordData (a Windows instance's password
// encrypted with its key pair, decrypted here with the private key), GetLaunchTemplateData and CPU
// credit specifications — @aws-sdk/client-ec2.
import assert from 'node:assert/strict'
import { constants, privateDecrypt } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  AttachVolumeCommand, CreateKeyPairCommand, CreateLaunchTemplateCommand, CreateVolumeCommand, DescribeInstanceCreditSpecificationsCommand,
  GetLaunchTemplateDataCommand, ModifyInstanceCreditSpecificationCommand, DescribeImagesCommand, DescribeInstanceAttributeCommand, DescribeVolumesCommand,
  EC2Client, GetPasswordDataCommand, type InstanceAttributeName, ModifyInstanceAttributeCommand, RunInstancesCommand, StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { ec2Rejects } from '../../helpers/ec2.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })

async function image(name: string): Promise<string> {
  const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: [name] }] }))
  return Images![0]!.ImageId!
}

async function launch(extra: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]> = {}): Promise<string> {
  const { Instances } = await ec2().send(new RunInstancesCommand({ ImageId: await image('al2023-ami-2023*-x86_64'), InstanceType: 't3.micro',
    MinCount: 1, MaxCount: 1, ...extra }))
  return Instances![0]!.InstanceId!
}

const attribute = (id: string, Attribute: InstanceAttributeName) => ec2().send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute }))

describe('EC2 instance attributes', () => {
  it('describes every attribute AWS names', async () => {
    const id = await launch({ DisableApiStop: true, InstanceInitiatedShutdownBehavior: 'terminate' })
    assert.equal((await attribute(id, 'disableApiStop')).DisableApiStop!.Value, true)
    assert.equal((await attribute(id, 'instanceInitiatedShutdownBehavior')).InstanceInitiatedShutdownBehavior!.Value, 'terminate')
    assert.equal((await attribute(id, 'rootDeviceName')).RootDeviceName!.Value, '/dev/xvda')
    const mappings = (await attribute(id, 'blockDeviceMapping')).BlockDeviceMappings!
    assert.deepEqual(mappings.map((m) => [m.DeviceName, m.Ebs!.DeleteOnTermination]), [['/dev/xvda', true]])
    assert.match(mappings[0]!.Ebs!.VolumeId!, /^vol-/)
    assert.equal((await attribute(id, 'enaSupport')).EnaSupport!.Value, true)
    assert.deepEqual((await attribute(id, 'productCodes')).ProductCodes, [])
    assert.deepEqual((await attribute(id, 'enclaveOptions')).EnclaveOptions, { Enabled: false })
    assert.equal((await attribute(id, 'kernel')).KernelId?.Value, undefined)
    assert.equal((await attribute(id, 'sourceDestCheck')).SourceDestCheck!.Value, true)
    await ec2Rejects(attribute(id, 'colour' as InstanceAttributeName), 'InvalidParameterValue',
      'Value (colour) for parameter attribute is invalid. Unknown attribute.')
  })

  it('protects against stop with disableApiStop, and modifies the other attributes by member or by Attribute/Value', async () => {
    const id = await launch({ DisableApiStop: true })
    await advance(nimbus.current, 10_000)
    await ec2Rejects(ec2().send(new StopInstancesCommand({ InstanceIds: [id] })), 'OperationNotPermitted',
      `The instance '${id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`)
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiStop: { Value: false } }))
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: false } }))
    assert.equal((await attribute(id, 'sourceDestCheck')).SourceDestCheck!.Value, false)
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, Attribute: 'instanceInitiatedShutdownBehavior', Value: 'terminate' }))
    assert.equal((await attribute(id, 'instanceInitiatedShutdownBehavior')).InstanceInitiatedShutdownBehavior!.Value, 'terminate')
    await ec2Rejects(ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceInitiatedShutdownBehavior: { Value: 'hibernate' } })),
      'InvalidParameterValue', 'Value (hibernate) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are: stop, terminate.')
    // EBS optimisation and ENA change while stopped only.
    await ec2Rejects(ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, EbsOptimized: { Value: true } })), 'IncorrectInstanceState',
      `The instance '${id}' is not in the 'stopped' state. Current state: running.`)
    await ec2().send(new StopInstancesCommand({ InstanceIds: [id] }))
    await advance(nimbus.current, 10_000)
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, EbsOptimized: { Value: true } }))
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, Attribute: 'enaSupport', Value: 'false' }))
    assert.equal((await attribute(id, 'ebsOptimized')).EbsOptimized!.Value, true)
    assert.equal((await attribute(id, 'enaSupport')).EnaSupport!.Value, false)
  })

  it('changes DeleteOnTermination of the volumes at the devices named; termination then deletes them', async () => {
    const id = await launch({ Placement: { AvailabilityZone: 'us-east-1a' } })
    await advance(nimbus.current, 10_000)
    const { VolumeId } = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }))
    await advance(nimbus.current, 5_000)
    await ec2().send(new AttachVolumeCommand({ VolumeId, InstanceId: id, Device: '/dev/sdf' }))
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, BlockDeviceMappings: [
      { DeviceName: '/dev/sdf', Ebs: { DeleteOnTermination: true } }, { DeviceName: '/dev/xvda', Ebs: { DeleteOnTermination: false } }] }))
    const mappings = (await attribute(id, 'blockDeviceMapping')).BlockDeviceMappings!
    assert.deepEqual(mappings.map((m) => [m.DeviceName, m.Ebs!.DeleteOnTermination]), [['/dev/xvda', false], ['/dev/sdf', true]])
    await ec2Rejects(ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, BlockDeviceMappings: [{ DeviceName: '/dev/sdz', Ebs: { DeleteOnTermination: true } }] })),
      'InvalidInstanceAttributeValue', 'No device is currently mapped at /dev/sdz')
    const root = mappings[0]!.Ebs!.VolumeId!
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [id] }))
    await ec2Rejects(ec2().send(new DescribeVolumesCommand({ VolumeIds: [VolumeId!] })), 'InvalidVolume.NotFound')
    const kept = (await ec2().send(new DescribeVolumesCommand({ VolumeIds: [root] }))).Volumes![0]!
    assert.deepEqual([kept.State, kept.Attachments], ['available', []])
  })
})

describe('EC2 GetPasswordData', () => {
  it('answers a Windows instance\'s password encrypted with its key pair once ready; empty before and for Linux', async () => {
    const keyName = uniqueName('win-key')
    const { KeyMaterial } = await ec2().send(new CreateKeyPairCommand({ KeyName: keyName }))
    const windows = await image('Windows_Server-2022-English-Full-Base-*')
    const { Instances } = await ec2().send(new RunInstancesCommand({ ImageId: windows, InstanceType: 't3.large', MinCount: 1, MaxCount: 1, KeyName: keyName }))
    const id = Instances![0]!.InstanceId!
    const early = await ec2().send(new GetPasswordDataCommand({ InstanceId: id }))
    assert.deepEqual([early.InstanceId, early.PasswordData], [id, ''])
    assert.ok(early.Timestamp instanceof Date)
    await advance(nimbus.current, 4 * 60_000)
    const ready = await ec2().send(new GetPasswordDataCommand({ InstanceId: id }))
    const password = privateDecrypt({ key: KeyMaterial!, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(ready.PasswordData!, 'base64')).toString()
    assert.match(password, /^[\x21-\x7e]{32}$/)
    assert.equal((await ec2().send(new GetPasswordDataCommand({ InstanceId: id }))).PasswordData, ready.PasswordData)

    const linux = await launch({ KeyName: keyName })
    await advance(nimbus.current, 4 * 60_000)
    assert.equal((await ec2().send(new GetPasswordDataCommand({ InstanceId: linux }))).PasswordData, '')
    await ec2Rejects(ec2().send(new GetPasswordDataCommand({ InstanceId: 'i-0123456789abcdef0' })), 'InvalidInstanceID.NotFound')
  })
})

describe('EC2 GetLaunchTemplateData', () => {
  it('answers an instance\'s launch parameters as template data a template can be made from', async () => {
    const id = await launch({ DisableApiStop: true, Monitoring: { Enabled: true }, MetadataOptions: { HttpTokens: 'optional' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }] })
    const { LaunchTemplateData: data } = await ec2().send(new GetLaunchTemplateDataCommand({ InstanceId: id }))
    assert.equal(data!.InstanceType, 't3.micro')
    assert.deepEqual([data!.DisableApiStop, data!.Monitoring!.Enabled, data!.MetadataOptions!.HttpTokens], [true, true, 'optional'])
    assert.deepEqual(data!.TagSpecifications, [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }])
    assert.deepEqual(data!.BlockDeviceMappings!.map((m) => [m.DeviceName, m.Ebs!.VolumeSize, m.Ebs!.DeleteOnTermination]), [['/dev/xvda', 8, true]])
    const nic = data!.NetworkInterfaces![0]!
    assert.equal(nic.DeviceIndex, 0)
    assert.match(nic.NetworkInterfaceId!, /^eni-/)
    const template = await ec2().send(new CreateLaunchTemplateCommand({ LaunchTemplateName: uniqueName('from-instance'), LaunchTemplateData: {
      ImageId: data!.ImageId, InstanceType: data!.InstanceType, TagSpecifications: data!.TagSpecifications, MetadataOptions: data!.MetadataOptions } }))
    const { Instances } = await ec2().send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: template.LaunchTemplate!.LaunchTemplateId } }))
    assert.deepEqual([Instances![0]!.ImageId, Instances![0]!.MetadataOptions!.HttpTokens], [data!.ImageId, 'optional'])
    assert.ok(Instances![0]!.Tags!.some((t) => t.Key === 'Name' && t.Value === 'web'))
    await ec2Rejects(ec2().send(new GetLaunchTemplateDataCommand({ InstanceId: 'i-0123456789abcdef0' })), 'InvalidInstanceID.NotFound')
  })
})

describe('EC2 CPU credit specifications', () => {
  it('launches T2 standard and T3 unlimited, modifies them, keeps the option across a resize, and refuses other types', async () => {
    const t2 = await launch({ InstanceType: 't2.micro' })
    const t3 = await launch({ InstanceType: 't3.micro' })
    const t3Standard = await launch({ InstanceType: 't3.small', CreditSpecification: { CpuCredits: 'standard' } })
    const m5 = await launch({ InstanceType: 'm5.large' })
    const named = await ec2().send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [t2, t3, t3Standard, m5] }))
    assert.deepEqual(named.InstanceCreditSpecifications!.map((c) => [c.InstanceId, c.CpuCredits]),
      [[t2, 'standard'], [t3, 'unlimited'], [t3Standard, 'standard'], [m5, 'standard']])
    // Without ids: the unlimited ones.
    const unlimited = await ec2().send(new DescribeInstanceCreditSpecificationsCommand({}))
    const ids = unlimited.InstanceCreditSpecifications!.map((c) => c.InstanceId)
    assert.ok(ids.includes(t3) && !ids.includes(t2) && !ids.includes(m5))

    const modified = await ec2().send(new ModifyInstanceCreditSpecificationCommand({ InstanceCreditSpecifications: [
      { InstanceId: t2, CpuCredits: 'unlimited' }, { InstanceId: m5, CpuCredits: 'unlimited' }, { InstanceId: 'i-0123456789abcdef0', CpuCredits: 'unlimited' }] }))
    assert.deepEqual(modified.SuccessfulInstanceCreditSpecifications!.map((s) => s.InstanceId), [t2])
    assert.deepEqual(modified.UnsuccessfulInstanceCreditSpecifications!.map((u) => [u.InstanceId, u.Error!.Code, u.Error!.Message]), [
      [m5, 'InstanceCreditSpecification.NotSupported', 'The m5.large instance type does not support T2 Unlimited.'],
      ['i-0123456789abcdef0', 'InvalidInstanceID.NotFound', 'The instance ID \'i-0123456789abcdef0\' does not exist']])
    const after = await ec2().send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [t2] }))
    assert.equal(after.InstanceCreditSpecifications![0]!.CpuCredits, 'unlimited')

    // Resized to another family while stopped, a T3 still reports its option.
    await advance(nimbus.current, 10_000)
    await ec2().send(new StopInstancesCommand({ InstanceIds: [t3] }))
    await advance(nimbus.current, 10_000)
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: t3, InstanceType: { Value: 'm5.large' } }))
    assert.equal((await ec2().send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [t3] }))).InstanceCreditSpecifications![0]!.CpuCredits, 'unlimited')

    await ec2Rejects(launch({ InstanceType: 'm5.large', CreditSpecification: { CpuCredits: 'standard' } }), 'InstanceCreditSpecification.NotSupported',
      'The m5.large instance type does not support T2 Unlimited.')
    await ec2Rejects(ec2().send(new ModifyInstanceCreditSpecificationCommand({ InstanceCreditSpecifications: [{ InstanceId: t2, CpuCredits: 'turbo' }] })),
      'InvalidParameterValue', 'Value (turbo) for parameter cpuCredits is invalid. Valid values are: standard, unlimited.')
  })
})
