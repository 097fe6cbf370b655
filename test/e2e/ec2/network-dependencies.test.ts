// DeleteVpc, DeleteSubnet and DeleteSecurityGroup answer DependencyViolation while networking
// resources remain (gateways, route tables, ACLs, NAT gateways, interfaces), and succeed once they are gone.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AttachInternetGatewayCommand, CreateInternetGatewayCommand, CreateNatGatewayCommand, CreateNetworkAclCommand,
  CreateNetworkInterfaceCommand, CreateRouteTableCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand,
  DeleteInternetGatewayCommand, DeleteNatGatewayCommand, DeleteNetworkAclCommand, DeleteNetworkInterfaceCommand, DeleteRouteTableCommand,
  DeleteSecurityGroupCommand, DeleteSubnetCommand, DeleteVpcCommand, DescribeNetworkAclsCommand, DescribeRouteTablesCommand,
  DetachInternetGatewayCommand, EC2Client, EC2ServiceException,
} from '@aws-sdk/client-ec2'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })

async function dependency(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, 'DependencyViolation')
    assert.equal(error.$metadata.httpStatusCode, 400)
    return true
  })
}

describe('EC2 networking dependencies', () => {
  it('keeps a VPC, subnet and group while gateways, tables, ACLs, NAT gateways and interfaces remain', async () => {
    const client = ec2()
    const { Vpc } = await client.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }))
    const VpcId = Vpc!.VpcId!
    const { Subnet } = await client.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.7.1.0/24' }))
    const SubnetId = Subnet!.SubnetId!
    const { GroupId } = await client.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app', VpcId }))
    const igw = (await client.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!
    await client.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId }))
    const rtb = (await client.send(new CreateRouteTableCommand({ VpcId }))).RouteTable!.RouteTableId!
    const acl = (await client.send(new CreateNetworkAclCommand({ VpcId }))).NetworkAcl!.NetworkAclId!
    const eni = (await client.send(new CreateNetworkInterfaceCommand({ SubnetId, Groups: [GroupId!] }))).NetworkInterface!.NetworkInterfaceId!
    const nat = (await client.send(new CreateNatGatewayCommand({ SubnetId, ConnectivityType: 'private' }))).NatGateway!.NatGatewayId!

    await dependency(client.send(new DeleteSecurityGroupCommand({ GroupId })))
    await client.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni }))
    await client.send(new DeleteSecurityGroupCommand({ GroupId }))

    await dependency(client.send(new DeleteSubnetCommand({ SubnetId })))
    await client.send(new DeleteNatGatewayCommand({ NatGatewayId: nat }))
    // Still deleting: the gateway holds its subnet until it is deleted.
    await dependency(client.send(new DeleteSubnetCommand({ SubnetId })))
    await advance(nimbus.current, 60_000)
    await client.send(new DeleteSubnetCommand({ SubnetId }))

    await dependency(client.send(new DeleteVpcCommand({ VpcId })))
    await client.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId }))
    await client.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }))
    await dependency(client.send(new DeleteVpcCommand({ VpcId })))
    await client.send(new DeleteRouteTableCommand({ RouteTableId: rtb }))
    await dependency(client.send(new DeleteVpcCommand({ VpcId })))
    await client.send(new DeleteNetworkAclCommand({ NetworkAclId: acl }))
    await client.send(new DeleteVpcCommand({ VpcId }))
    // Its main route table and default ACL went with it.
    const tables = await client.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [VpcId] }] }))
    assert.deepEqual(tables.RouteTables, [])
    const acls = await client.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [VpcId] }] }))
    assert.deepEqual(acls.NetworkAcls, [])
  })
})
