// NAT gateways with @aws-sdk/client-ec2: a public gateway with an Elastic IP (pending → available on
// the clock, the address associated with its interface), deleting → deleted and still listed, a private
// one, a public one failing in a VPC without an internet gateway, routes to it, filters and errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AllocateAddressCommand, AttachInternetGatewayCommand, CreateInternetGatewayCommand, CreateNatGatewayCommand, CreateRouteCommand,
  CreateRouteTableCommand, CreateSubnetCommand, CreateVpcCommand, DeleteNatGatewayCommand, DescribeAddressesCommand,
  DescribeNatGatewaysCommand, DescribeNetworkInterfacesCommand, DescribeRouteTablesCommand, EC2Client, ReleaseAddressCommand,
} from '@aws-sdk/client-ec2'
import { ec2Rejects as rejects } from '../../helpers/ec2.ts'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const client = (region = 'us-east-1') => new EC2Client({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })

describe('EC2 NAT gateways', () => {
  it('makes a public gateway available on the clock with its Elastic IP, routes to it, deletes it', async () => {
    const ec2 = client()
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.5.0.0/16' }))
    const vpcId = Vpc!.VpcId!
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.5.0.0/24' }))
    const { InternetGateway } = await ec2.send(new CreateInternetGatewayCommand({}))
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: InternetGateway!.InternetGatewayId!, VpcId: vpcId }))
    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))

    const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: Subnet!.SubnetId!, AllocationId,
      TagSpecifications: [{ ResourceType: 'natgateway', Tags: [{ Key: 'Name', Value: 'egress' }] }] }))
    const natId = NatGateway!.NatGatewayId!
    assert.match(natId, /^nat-[0-9a-f]{17}$/)
    assert.equal(NatGateway!.State, 'pending')
    assert.equal(NatGateway!.ConnectivityType, 'public')
    const [address] = NatGateway!.NatGatewayAddresses!
    assert.equal(address!.AllocationId, AllocationId)
    assert.equal(address!.PublicIp, PublicIp)
    assert.equal(address!.PrivateIp, '10.5.0.4')
    // The same address can't back a second gateway.
    await rejects(ec2.send(new CreateNatGatewayCommand({ SubnetId: Subnet!.SubnetId!, AllocationId })), 'Resource.AlreadyAssociated')
    await rejects(ec2.send(new ReleaseAddressCommand({ AllocationId })), 'InvalidIPAddress.InUse')
    const eip = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))).Addresses![0]!
    assert.equal(eip.NetworkInterfaceId, address!.NetworkInterfaceId)
    assert.equal(eip.PrivateIpAddress, '10.5.0.4')
    const eni = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [address!.NetworkInterfaceId!] }))).NetworkInterfaces![0]!
    assert.equal(eni.InterfaceType, 'nat_gateway')
    assert.equal(eni.RequesterManaged, true)
    assert.equal(eni.Description, `Interface for NAT Gateway ${natId}`)

    await advance(nimbus.current, 60_000)
    const read = async () => (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natId] }))).NatGateways![0]!
    assert.equal((await read()).State, 'available')
    const available = await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['available'] }, { Name: 'tag:Name', Values: ['egress'] }] }))
    assert.deepEqual(available.NatGateways!.map((n) => n.NatGatewayId), [natId])

    const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))
    await ec2.send(new CreateRouteCommand({ RouteTableId: RouteTable!.RouteTableId!, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: natId }))
    const routeState = async () => (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [RouteTable!.RouteTableId!] }))).RouteTables![0]!.Routes![1]!
    assert.deepEqual([(await routeState()).NatGatewayId, (await routeState()).State], [natId, 'active'])

    const deleted = await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: natId }))
    assert.equal(deleted.NatGatewayId, natId)
    assert.equal((await read()).State, 'deleting')
    await advance(nimbus.current, 60_000)
    const gone = await read()
    assert.equal(gone.State, 'deleted')
    assert.ok(gone.DeleteTime instanceof Date)
    assert.equal((await routeState()).State, 'blackhole')
    // The address and interface are free again.
    await rejects(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [address!.NetworkInterfaceId!] })), 'InvalidNetworkInterfaceID.NotFound')
    await ec2.send(new ReleaseAddressCommand({ AllocationId }))
    // Deleted gateways stay listed for an hour.
    await advance(nimbus.current, 3_600_000)
    await rejects(ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natId] })), 'NatGatewayNotFound')
  })

  it('fails a public gateway in a VPC without an internet gateway; private ones need no address', async () => {
    const ec2 = client('us-east-2')
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.6.0.0/16' }))
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: '10.6.0.0/24' }))
    const { AllocationId } = await ec2.send(new AllocateAddressCommand({}))
    const failed = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: Subnet!.SubnetId!, AllocationId }))).NatGateway!
    assert.equal(failed.State, 'failed')
    assert.equal(failed.FailureCode, 'Gateway.NotAttached')
    await rejects(ec2.send(new CreateNatGatewayCommand({ SubnetId: Subnet!.SubnetId! })), 'MissingParameter')
    const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: Subnet!.SubnetId!, ConnectivityType: 'private' }))
    assert.equal(NatGateway!.ConnectivityType, 'private')
    assert.equal(NatGateway!.NatGatewayAddresses![0]!.PublicIp, undefined)
    assert.equal(NatGateway!.NatGatewayAddresses![0]!.PrivateIp, '10.6.0.4')
    const bySubnet = await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [Vpc!.VpcId!] }] }))
    assert.equal(bySubnet.NatGateways!.length, 2)
    await rejects(ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ['nat-0123456789abcdef0'] })), 'NatGatewayNotFound')
    await rejects(ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: 'nat-x' })), 'NatGatewayMalformed')
  })
})
