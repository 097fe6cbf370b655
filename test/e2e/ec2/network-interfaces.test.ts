// Network interfaces with @aws-sdk/client-ec2: instances' primary interfaces as DescribeInstances
// shows them, CreateNetworkInterface taking the subnet's next free address, attach/detach, attribute
// changes, InvalidNetworkInterface.InUse, filters.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AttachNetworkInterfaceCommand, CreateNetworkInterfaceCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand,
  DeleteNetworkInterfaceCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeNetworkInterfaceAttributeCommand,
  DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, DetachNetworkInterfaceCommand, EC2Client, ModifyNetworkInterfaceAttributeCommand, RunInstancesCommand, TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { ec2Rejects as rejects } from '../../helpers/ec2.ts'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const client = (region = 'us-east-1') => new EC2Client({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })

async function amazonLinux(ec2: EC2Client): Promise<string> {
  const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*'] }, { Name: 'architecture', Values: ['x86_64'] }] }))
  return Images![0]!.ImageId!
}

describe('EC2 network interfaces', () => {
  it('lists each instance\'s primary interface as DescribeInstances shows it', async () => {
    const ec2 = client('ca-central-1')
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: await amazonLinux(ec2), InstanceType: 't3.micro', MinCount: 2, MaxCount: 2 }))
    await advance(nimbus.current, 15_000)
    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({
      Filters: [{ Name: 'attachment.instance-id', Values: [Instances![0]!.InstanceId!] }] }))
    assert.equal(NetworkInterfaces!.length, 1)
    const eni = NetworkInterfaces![0]!
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [Instances![0]!.InstanceId!] }))
    const nic = Reservations![0]!.Instances![0]!.NetworkInterfaces![0]!
    assert.equal(eni.NetworkInterfaceId, nic.NetworkInterfaceId)
    assert.equal(eni.PrivateIpAddress, nic.PrivateIpAddress)
    assert.equal(eni.MacAddress, nic.MacAddress)
    assert.equal(eni.SubnetId, nic.SubnetId)
    assert.equal(eni.Status, 'in-use')
    assert.equal(eni.InterfaceType, 'interface')
    assert.equal(eni.Attachment!.AttachmentId, nic.Attachment!.AttachmentId)
    assert.equal(eni.Attachment!.DeviceIndex, 0)
    assert.equal(eni.Association?.PublicIp, Reservations![0]!.Instances![0]!.PublicIpAddress)
    assert.deepEqual(eni.Groups, nic.Groups)
    // A primary interface can't be deleted or detached.
    await rejects(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId! })), 'InvalidNetworkInterface.InUse')
    await rejects(ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: eni.Attachment!.AttachmentId! })), 'InvalidParameterValue')
    // Its attributes change on the instance too.
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.NetworkInterfaceId!, SourceDestCheck: { Value: false } }))
    const after = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [Instances![0]!.InstanceId!] }))
    assert.equal(after.Reservations![0]!.Instances![0]!.SourceDestCheck, false)
    assert.equal(after.Reservations![0]!.Instances![0]!.NetworkInterfaces![0]!.SourceDestCheck, false)
    await rejects(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0123456789abcdef0'] })), 'InvalidNetworkInterfaceID.NotFound',
      'The networkInterface ID \'eni-0123456789abcdef0\' does not exist')
  })

  it('creates an interface at the subnet\'s next free address, attaches, detaches and deletes it', async () => {
    const ec2 = client()
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.4.0.0/16' }))
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: '10.4.1.0/28', AvailabilityZone: 'us-east-1a' }))
    const subnetId = Subnet!.SubnetId!
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'eni', Description: 'eni', VpcId: Vpc!.VpcId! }))
    const { NetworkInterface } = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Description: 'spare', Groups: [GroupId!],
      TagSpecifications: [{ ResourceType: 'network-interface', Tags: [{ Key: 'role', Value: 'spare' }] }] }))
    const eniId = NetworkInterface!.NetworkInterfaceId!
    assert.match(eniId, /^eni-[0-9a-f]{17}$/)
    assert.equal(NetworkInterface!.PrivateIpAddress, '10.4.1.4')
    assert.equal(NetworkInterface!.Status, 'available')
    assert.equal(NetworkInterface!.Description, 'spare')
    assert.deepEqual(NetworkInterface!.TagSet, [{ Key: 'role', Value: 'spare' }])
    assert.deepEqual(NetworkInterface!.Groups!.map((g) => g.GroupId), [GroupId])
    const subnets = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))
    assert.equal(subnets.Subnets![0]!.AvailableIpAddressCount, 16 - 5 - 1)
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, PrivateIpAddress: '10.4.1.4' })), 'InvalidIPAddress.InUse')

    // The next instance takes the next address.
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: await amazonLinux(ec2), InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnetId }))
    const instanceId = Instances![0]!.InstanceId!
    assert.equal(Instances![0]!.PrivateIpAddress, '10.4.1.5')
    await advance(nimbus.current, 15_000)

    const { AttachmentId } = await ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eniId, InstanceId: instanceId, DeviceIndex: 1 }))
    assert.match(AttachmentId!, /^eni-attach-[0-9a-f]{17}$/)
    await rejects(ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eniId, InstanceId: instanceId, DeviceIndex: 2 })), 'InvalidNetworkInterface.InUse')
    await rejects(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId })), 'InvalidNetworkInterface.InUse')
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))
    assert.deepEqual(Reservations![0]!.Instances![0]!.NetworkInterfaces!.map((n) => [n.Attachment!.DeviceIndex, n.PrivateIpAddress]), [[0, '10.4.1.5'], [1, '10.4.1.4']])
    const inUse = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'status', Values: ['in-use'] }, { Name: 'subnet-id', Values: [subnetId] }] }))
    assert.equal(inUse.NetworkInterfaces!.length, 2)

    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Description: { Value: 'standby' } }))
    const described = await ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Attribute: 'description' }))
    assert.equal(described.Description?.Value, 'standby')

    await ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: AttachmentId! }))
    const tagged = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'tag:role', Values: ['spare'] }] }))
    assert.deepEqual(tagged.NetworkInterfaces!.map((n) => [n.NetworkInterfaceId, n.Status, n.Attachment]), [[eniId, 'available', undefined]])

    // Attached again, it is detached (not deleted: DeleteOnTermination false) when its instance terminates.
    await ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eniId, InstanceId: instanceId, DeviceIndex: 1 }))
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }))
    await advance(nimbus.current, 15_000)
    const left = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }))
    assert.equal(left.NetworkInterfaces![0]!.Status, 'available')
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId }))
    await rejects(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] })), 'InvalidNetworkInterfaceID.NotFound')
  })
})
