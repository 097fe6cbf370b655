// Elastic IPs with @aws-sdk/client-ec2: allocate, associate, move between instances with
// AllowReassociation (the public IP follows), disassociate, release, and their errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AllocateAddressCommand, AssociateAddressCommand, DescribeAddressesCommand, DescribeImagesCommand, DescribeInstancesCommand,
  DisassociateAddressCommand, EC2Client, EC2ServiceException, ReleaseAddressCommand, RunInstancesCommand, StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-west-1', credentials: testCredentials })

async function rejects(promise: Promise<unknown>, code: string, message: string): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => error.name === code && error.message === message)
}

const publicIp = async (id: string) =>
  (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.PublicIpAddress

describe('EC2 Elastic IPs', () => {
  it('moves between a primary and a standby; the instance\'s public IP follows', async () => {
    const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['amzn2-ami-*-x86_64-gp2'] }] }))
    const { Instances } = await ec2().send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2 }))
    const [primary, standby] = Instances!.map((i) => i.InstanceId!)
    await advance(nimbus.current, 60_000)
    const { AllocationId, PublicIp, Domain } = await ec2().send(new AllocateAddressCommand({ Domain: 'vpc' }))
    assert.match(AllocationId!, /^eipalloc-[0-9a-f]{17}$/)
    assert.equal(Domain, 'vpc')
    const { AssociationId } = await ec2().send(new AssociateAddressCommand({ AllocationId, InstanceId: primary }))
    assert.match(AssociationId!, /^eipassoc-[0-9a-f]{17}$/)
    assert.equal(await publicIp(primary!), PublicIp)
    await rejects(ec2().send(new AssociateAddressCommand({ AllocationId, InstanceId: standby, AllowReassociation: false })),
      'Resource.AlreadyAssociated', `resource ${AllocationId} is already associated with associate-id ${AssociationId}`)
    const moved = await ec2().send(new AssociateAddressCommand({ AllocationId, InstanceId: standby, AllowReassociation: true }))
    assert.equal(await publicIp(standby!), PublicIp)
    const primaryIp = await publicIp(primary!)
    assert.ok(primaryIp !== undefined && primaryIp !== PublicIp)
    const described = await ec2().send(new DescribeAddressesCommand({ Filters: [{ Name: 'instance-id', Values: [standby!] }] }))
    assert.deepEqual(described.Addresses!.map((a) => [a.AllocationId, a.AssociationId, a.PublicIp]), [[AllocationId, moved.AssociationId, PublicIp]])
    await rejects(ec2().send(new ReleaseAddressCommand({ AllocationId })), 'InvalidIPAddress.InUse', 'Address is in use.')
    // Stopping keeps the Elastic IP; terminating disassociates it.
    await ec2().send(new StopInstancesCommand({ InstanceIds: [standby!] }))
    assert.equal(await publicIp(standby!), PublicIp)
    await advance(nimbus.current, 60_000)
    assert.equal(await publicIp(standby!), PublicIp)
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [standby!] }))
    const free = await ec2().send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))
    assert.equal(free.Addresses![0]!.AssociationId, undefined)
    const again = await ec2().send(new AssociateAddressCommand({ AllocationId, InstanceId: primary }))
    await ec2().send(new DisassociateAddressCommand({ AssociationId: again.AssociationId }))
    await rejects(ec2().send(new DisassociateAddressCommand({ AssociationId: again.AssociationId })), 'InvalidAssociationID.NotFound',
      `The association ID '${again.AssociationId}' does not exist`)
    await ec2().send(new ReleaseAddressCommand({ AllocationId }))
    await rejects(ec2().send(new ReleaseAddressCommand({ AllocationId })), 'InvalidAllocationID.NotFound',
      `The allocation ID '${AllocationId}' does not exist`)
  })
})
