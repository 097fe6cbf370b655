// Route tables and internet gateways with @aws-sdk/client-ec2: the main table and default IGW of the
// default VPC, a new VPC's main table, routes to gateways and instances (active/blackhole), subnet
// associations, moving the main association, filters, and AWS's errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AssociateRouteTableCommand, AttachInternetGatewayCommand, CreateEgressOnlyInternetGatewayCommand, CreateInternetGatewayCommand,
  CreateRouteCommand, CreateRouteTableCommand, CreateSubnetCommand, CreateTagsCommand, CreateVpcCommand, DeleteEgressOnlyInternetGatewayCommand,
  DeleteInternetGatewayCommand, DeleteRouteCommand, DeleteRouteTableCommand, DescribeEgressOnlyInternetGatewaysCommand,
  DescribeInternetGatewaysCommand, DescribeRouteTablesCommand, DescribeTagsCommand, DescribeVpcsCommand, DetachInternetGatewayCommand,
  DisassociateRouteTableCommand, EC2Client, ReplaceRouteCommand, ReplaceRouteTableAssociationCommand,
  RunInstancesCommand, StopInstancesCommand,
} from '@aws-sdk/client-ec2'
import { ec2Rejects as rejects } from '../../helpers/ec2.ts'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const client = (region = 'us-east-1') => new EC2Client({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })

describe('EC2 route tables', () => {
  it('gives the default VPC a main route table with the local route and 0.0.0.0/0 to its attached internet gateway', async () => {
    const ec2 = client('eu-central-1')
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    const vpcId = Vpcs![0]!.VpcId!
    const { InternetGateways } = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }))
    assert.equal(InternetGateways!.length, 1)
    const igw = InternetGateways![0]!
    assert.match(igw.InternetGatewayId!, /^igw-[0-9a-f]{17}$/)
    assert.deepEqual(igw.Attachments, [{ State: 'available', VpcId: vpcId }])
    const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({
      Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'association.main', Values: ['true'] }],
    }))
    assert.equal(RouteTables!.length, 1)
    const main = RouteTables![0]!
    assert.match(main.RouteTableId!, /^rtb-[0-9a-f]{17}$/)
    assert.deepEqual(main.Routes!.map((r) => [r.DestinationCidrBlock, r.GatewayId, r.Origin, r.State]), [
      ['172.31.0.0/16', 'local', 'CreateRouteTable', 'active'], ['0.0.0.0/0', igw.InternetGatewayId, 'CreateRoute', 'active'],
    ])
    assert.equal(main.Associations!.length, 1)
    assert.equal(main.Associations![0]!.Main, true)
    assert.equal(main.Associations![0]!.SubnetId, undefined)
    assert.equal(main.Associations![0]!.AssociationState?.State, 'associated')
    // The same ids at every start (derived from account and region, like the default VPC's).
    const again = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [main.RouteTableId!] }))
    assert.equal(again.RouteTables![0]!.RouteTableId, main.RouteTableId)
  })

  it('creates tables, routes to an internet gateway, associates subnets and moves the main association', async () => {
    const ec2 = client()
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))
    const vpcId = Vpc!.VpcId!
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.1.0/24' }))
    const mainOf = async () => (await ec2.send(new DescribeRouteTablesCommand({
      Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'association.main', Values: ['true'] }] }))).RouteTables![0]!
    const main = await mainOf()
    assert.deepEqual(main.Routes!.map((r) => [r.DestinationCidrBlock, r.GatewayId]), [['10.1.0.0/16', 'local']])

    const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId,
      TagSpecifications: [{ ResourceType: 'route-table', Tags: [{ Key: 'Name', Value: 'public' }] }] }))
    const rtb = RouteTable!.RouteTableId!
    assert.deepEqual(RouteTable!.Associations, [])
    assert.deepEqual(RouteTable!.Tags, [{ Key: 'Name', Value: 'public' }])

    const { InternetGateway } = await ec2.send(new CreateInternetGatewayCommand({}))
    const igw = InternetGateway!.InternetGatewayId!
    assert.deepEqual(InternetGateway!.Attachments, [])
    // Not attached yet: AWS refuses a route to it from this VPC's table.
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })),
      'InvalidParameterValue', `route table ${rtb} and network gateway ${igw} belong to different networks`)
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }))
    await ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }))
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })), 'RouteAlreadyExists')
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '10.9.0.0/16', GatewayId: 'igw-0123456789abcdef0' })),
      'InvalidGatewayID.NotFound', 'The gateway ID \'igw-0123456789abcdef0\' does not exist')

    const { AssociationId } = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: Subnet!.SubnetId! }))
    assert.match(AssociationId!, /^rtbassoc-[0-9a-f]{17}$/)
    await rejects(ec2.send(new AssociateRouteTableCommand({ RouteTableId: main.RouteTableId!, SubnetId: Subnet!.SubnetId! })), 'Resource.AlreadyAssociated')
    const bySubnet = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [Subnet!.SubnetId!] }] }))
    assert.deepEqual(bySubnet.RouteTables!.map((t) => t.RouteTableId), [rtb])
    const byTag = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'tag:Name', Values: ['pub*'] }] }))
    assert.deepEqual(byTag.RouteTables!.map((t) => t.RouteTableId), [rtb])
    // A table with subnets, and the main table, can't be deleted.
    await rejects(ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtb })), 'DependencyViolation')
    await rejects(ec2.send(new DeleteRouteTableCommand({ RouteTableId: main.RouteTableId! })), 'DependencyViolation')

    // Detaching the gateway leaves the route a blackhole.
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }))
    await rejects(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId })), 'Gateway.NotAttached',
      `resource ${igw} is not attached to network ${vpcId}`)
    const black = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.state', Values: ['blackhole'] }] }))
    assert.deepEqual(black.RouteTables!.map((t) => t.RouteTableId), [rtb])

    // The main association moves to the new table with a new id.
    const mainAssoc = main.Associations![0]!.RouteTableAssociationId!
    const moved = await ec2.send(new ReplaceRouteTableAssociationCommand({ AssociationId: mainAssoc, RouteTableId: rtb }))
    assert.notEqual(moved.NewAssociationId, mainAssoc)
    assert.equal((await mainOf()).RouteTableId, rtb)
    await rejects(ec2.send(new DisassociateRouteTableCommand({ AssociationId: moved.NewAssociationId! })), 'InvalidParameterValue')
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId: AssociationId! }))
    await rejects(ec2.send(new DisassociateRouteTableCommand({ AssociationId: AssociationId! })), 'InvalidAssociationID.NotFound')
    // The old main table, now without associations, can go.
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: main.RouteTableId! }))
    await rejects(ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [main.RouteTableId!] })), 'InvalidRouteTableID.NotFound',
      `The routeTable ID '${main.RouteTableId}' does not exist`)
    await rejects(ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-zz'] })), 'InvalidRouteTableId.Malformed')

    // Replace and delete routes; the local route stays.
    await rejects(ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16', GatewayId: igw })), 'InvalidRoute.NotFound',
      `no route with destination-cidr-block 192.168.0.0/16 in route table ${rtb}`)
    await rejects(ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '10.1.0.0/16' })), 'InvalidParameterValue')
    await ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0' }))
    const after = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))
    assert.deepEqual(after.RouteTables![0]!.Routes!.map((r) => r.DestinationCidrBlock), ['10.1.0.0/16'])
  })

  it('routes to an instance through its interface, a blackhole once it stops', async () => {
    const ec2 = client('us-west-1')
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    const vpcId = Vpcs![0]!.VpcId!
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: await amazonLinux(ec2), InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))
    const instance = Instances![0]!
    await advance(nimbus.current, 15_000)
    const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))
    await ec2.send(new CreateRouteCommand({ RouteTableId: RouteTable!.RouteTableId!, DestinationCidrBlock: '10.50.0.0/16', InstanceId: instance.InstanceId! }))
    const read = async () => (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [RouteTable!.RouteTableId!] }))).RouteTables![0]!.Routes![1]!
    const route = await read()
    assert.equal(route.InstanceId, instance.InstanceId)
    assert.equal(route.NetworkInterfaceId, instance.NetworkInterfaces![0]!.NetworkInterfaceId)
    assert.equal(route.State, 'active')
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instance.InstanceId!] }))
    await advance(nimbus.current, 15_000)
    assert.equal((await read()).State, 'blackhole')
  })
})

async function amazonLinux(ec2: EC2Client): Promise<string> {
  const { DescribeImagesCommand } = await import('@aws-sdk/client-ec2')
  const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*'] }, { Name: 'architecture', Values: ['x86_64'] }] }))
  return Images![0]!.ImageId!
}

describe('EC2 internet gateways', () => {
  it('attaches one gateway per VPC, refuses deleting an attached one, tags and egress-only gateways', async () => {
    const ec2 = client('ap-south-1')
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))
    const vpcId = Vpc!.VpcId!
    const a = (await ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: [{ ResourceType: 'internet-gateway', Tags: [{ Key: 'env', Value: 'dev' }] }] }))).InternetGateway!
    const b = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: a.InternetGatewayId!, VpcId: vpcId }))
    await rejects(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: a.InternetGatewayId!, VpcId: vpcId })), 'Resource.AlreadyAssociated')
    await rejects(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: b.InternetGatewayId!, VpcId: vpcId })), 'Resource.AlreadyAssociated')
    await rejects(ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: a.InternetGatewayId! })), 'DependencyViolation')
    const tagged = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'tag:env', Values: ['dev'] }] }))
    assert.deepEqual(tagged.InternetGateways!.map((g) => g.InternetGatewayId), [a.InternetGatewayId])
    await ec2.send(new CreateTagsCommand({ Resources: [b.InternetGatewayId!], Tags: [{ Key: 'k', Value: 'v' }] }))
    const tags = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [b.InternetGatewayId!] }] }))
    assert.deepEqual(tags.Tags!.map((t) => [t.ResourceType, t.Key]), [['internet-gateway', 'k']])
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: b.InternetGatewayId! }))
    await rejects(ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [b.InternetGatewayId!] })), 'InvalidInternetGatewayID.NotFound',
      `The internetGateway ID '${b.InternetGatewayId}' does not exist`)

    // The default VPC's gateway can't be detached while its instances hold public addresses.
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    const igw = (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [Vpcs![0]!.VpcId!] }] }))).InternetGateways![0]!
    await ec2.send(new RunInstancesCommand({ ImageId: await amazonLinux(ec2), InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))
    await rejects(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId!, VpcId: Vpcs![0]!.VpcId! })), 'DependencyViolation',
      /has some mapped public address\(es\)/)

    const { EgressOnlyInternetGateway } = await ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: vpcId }))
    assert.match(EgressOnlyInternetGateway!.EgressOnlyInternetGatewayId!, /^eigw-[0-9a-f]{17}$/)
    assert.deepEqual(EgressOnlyInternetGateway!.Attachments, [{ State: 'attached', VpcId: vpcId }])
    const listed = await ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({}))
    assert.deepEqual(listed.EgressOnlyInternetGateways!.map((g) => g.EgressOnlyInternetGatewayId), [EgressOnlyInternetGateway!.EgressOnlyInternetGatewayId])
    const del = await ec2.send(new DeleteEgressOnlyInternetGatewayCommand({ EgressOnlyInternetGatewayId: EgressOnlyInternetGateway!.EgressOnlyInternetGatewayId! }))
    assert.equal(del.ReturnCode, true)
  })
})
