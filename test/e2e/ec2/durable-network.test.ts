// The VPC networking resources across a restart on one data dir: route tables and routes, internet
// gateways, network ACL entries and associations, interfaces, a NAT gateway still moving on the restored clock.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  AssociateRouteTableCommand, AttachInternetGatewayCommand, CreateInternetGatewayCommand, CreateNatGatewayCommand, CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand, CreateNetworkInterfaceCommand, CreateRouteCommand, CreateRouteTableCommand, CreateSubnetCommand,
  CreateVpcCommand, DescribeInternetGatewaysCommand, DescribeNatGatewaysCommand, DescribeNetworkAclsCommand, DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand, EC2Client,
} from '@aws-sdk/client-ec2'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { advance, testCredentials } from '../../helpers/nimbus.ts'

const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('EC2 durable networking', () => {
  it('keeps tables, gateways, ACLs, interfaces and NAT gateways across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-ec2-net-'))
    dirs.push(dataDir)
    const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
    let nimbus: Nimbus = await open()
    let ec2 = new EC2Client({ endpoint: nimbus.endpoint, region: 'eu-north-1', credentials: testCredentials })

    const VpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc!.VpcId!
    const SubnetId = (await ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.8.1.0/24' }))).Subnet!.SubnetId!
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId }))
    const rtb = (await ec2.send(new CreateRouteTableCommand({ VpcId }))).RouteTable!.RouteTableId!
    await ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }))
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId }))
    const acl = (await ec2.send(new CreateNetworkAclCommand({ VpcId }))).NetworkAcl!.NetworkAclId!
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/8' }))
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId, Description: 'kept' }))).NetworkInterface!.NetworkInterfaceId!
    const nat = (await ec2.send(new CreateNatGatewayCommand({ SubnetId, ConnectivityType: 'private' }))).NatGateway!.NatGatewayId!
    const tablesBefore = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [VpcId] }] }))

    ec2.destroy()
    await nimbus.stop()
    nimbus = await open()
    ec2 = new EC2Client({ endpoint: nimbus.endpoint, region: 'eu-north-1', credentials: testCredentials })

    const tablesAfter = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [VpcId] }] }))
    assert.deepEqual(tablesAfter.RouteTables, tablesBefore.RouteTables)
    const gateways = await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] }))
    assert.deepEqual(gateways.InternetGateways![0]!.Attachments, [{ State: 'available', VpcId }])
    const acls = await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [acl] }))
    assert.ok(acls.NetworkAcls![0]!.Entries!.some((e) => e.RuleNumber === 100 && e.CidrBlock === '10.0.0.0/8'))
    const enis = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))
    assert.equal(enis.NetworkInterfaces![0]!.Description, 'kept')
    assert.equal(enis.NetworkInterfaces![0]!.PrivateIpAddress, '10.8.1.4')
    const read = async () => (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [nat] }))).NatGateways![0]!.State
    assert.equal(await read(), 'pending')
    await advance(nimbus, 60_000)
    assert.equal(await read(), 'available')
    ec2.destroy()
    await nimbus.stop()
  })
})
