// EC2 networking with @aws-sdk/client-ec2: regions and zones, the default VPC and its subnets and
// group, CreateVpc/CreateSubnet with CIDR checks, security group rules and duplicates, tags, filters, pagination.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeAccountAttributesCommand, CreateSubnetCommand, CreateTagsCommand, CreateVpcCommand,
  DeleteTagsCommand, DescribeAvailabilityZonesCommand, DescribeRegionsCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand,
  DescribeTagsCommand, DescribeVpcsCommand, EC2Client, EC2ServiceException,
} from '@aws-sdk/client-ec2'
import { ec2Rejects as rejects } from '../../helpers/ec2.ts'
import { testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const client = (region = 'us-east-1') => new EC2Client({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })

describe('EC2 regions, zones and the default VPC', () => {
  it('lists regions and a region\'s zones with zone ids', async () => {
    const ec2 = client('eu-west-1')
    const { Regions } = await ec2.send(new DescribeRegionsCommand({}))
    assert.ok(Regions!.some((r) => r.RegionName === 'eu-west-1' && r.Endpoint === 'ec2.eu-west-1.amazonaws.com'))
    assert.ok(!Regions!.some((r) => r.RegionName === 'af-south-1'))
    const all = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }))
    assert.equal(all.Regions!.find((r) => r.RegionName === 'af-south-1')?.OptInStatus, 'not-opted-in')
    const { AvailabilityZones } = await ec2.send(new DescribeAvailabilityZonesCommand({}))
    assert.deepEqual(AvailabilityZones!.map((z) => [z.ZoneName, z.ZoneId, z.State]),
      [['eu-west-1a', 'euw1-az1', 'available'], ['eu-west-1b', 'euw1-az2', 'available'], ['eu-west-1c', 'euw1-az3', 'available']])
    const one = await ec2.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-id', Values: ['euw1-az2'] }] }))
    assert.deepEqual(one.AvailabilityZones!.map((z) => z.ZoneName), ['eu-west-1b'])
  })

  it('has a default VPC with a default /20 subnet per zone and a default security group', async () => {
    const ec2 = client('us-west-2')
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    assert.equal(Vpcs!.length, 1)
    const vpc = Vpcs![0]!
    assert.equal(vpc.CidrBlock, '172.31.0.0/16')
    assert.equal(vpc.IsDefault, true)
    assert.equal(vpc.State, 'available')
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))
    assert.deepEqual(Subnets!.map((s) => [s.AvailabilityZone, s.CidrBlock, s.DefaultForAz, s.MapPublicIpOnLaunch, s.AvailableIpAddressCount]), [
      ['us-west-2a', '172.31.0.0/20', true, true, 4091], ['us-west-2b', '172.31.16.0/20', true, true, 4091],
      ['us-west-2c', '172.31.32.0/20', true, true, 4091], ['us-west-2d', '172.31.48.0/20', true, true, 4091],
    ])
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }))
    assert.equal(SecurityGroups![0]!.VpcId, vpc.VpcId)
    assert.equal(SecurityGroups![0]!.IpPermissions![0]!.UserIdGroupPairs![0]!.GroupId, SecurityGroups![0]!.GroupId)
    assert.equal(SecurityGroups![0]!.IpPermissionsEgress![0]!.IpRanges![0]!.CidrIp, '0.0.0.0/0')
  })

  it('DescribeAccountAttributes names the default VPC and AWS\'s default quotas', async () => {
    const ec2 = client('us-west-2')
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    const { AccountAttributes } = await ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ['default-vpc', 'supported-platforms'] }))
    assert.deepEqual(AccountAttributes!.map((a) => [a.AttributeName, a.AttributeValues!.map((v) => v.AttributeValue)]),
      [['default-vpc', [Vpcs![0]!.VpcId]], ['supported-platforms', ['VPC']]])
  })

  it('answers a dry run with DryRunOperation (412)', async () => {
    await assert.rejects(client().send(new DescribeVpcsCommand({ DryRun: true })), (error: EC2ServiceException) =>
      error.name === 'DryRunOperation' && error.$metadata.httpStatusCode === 412 &&
      error.message === 'Request would have succeeded, but DryRun flag is set.')
  })
})

describe('EC2 VPCs and subnets', () => {
  it('creates a VPC and subnets inside it; checks CIDRs, ranges and conflicts', async () => {
    const ec2 = client('eu-central-1')
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16',
      TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'main' }] }] }))
    assert.match(Vpc!.VpcId!, /^vpc-[0-9a-f]{17}$/)
    assert.deepEqual(Vpc!.Tags, [{ Key: 'Name', Value: 'main' }])
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'eu-central-1b' }))
    assert.equal(Subnet!.AvailabilityZone, 'eu-central-1b')
    assert.equal(Subnet!.AvailabilityZoneId, 'euc1-az2')
    assert.equal(Subnet!.AvailableIpAddressCount, 251)
    await rejects(ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.0.1.128/25' })), 'InvalidSubnet.Conflict',
      "The CIDR '10.0.1.128/25' conflicts with another subnet")
    await rejects(ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.1.0.0/24' })), 'InvalidSubnet.Range',
      "The CIDR '10.1.0.0/24' is invalid.")
    await rejects(ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.0.300.0/24' })), 'InvalidParameterValue',
      'Value (10.0.300.0/24) for parameter cidrBlock is invalid. This is not a valid CIDR block.')
    await rejects(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })), 'InvalidVpc.Range', "The CIDR '10.0.0.0/8' is invalid.")
    await rejects(ec2.send(new CreateSubnetCommand({ VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.0.2.0/24' })), 'InvalidVpcID.NotFound',
      "The vpc ID 'vpc-0123456789abcdef0' does not exist")
    await rejects(ec2.send(new DescribeVpcsCommand({ VpcIds: ['nope'] })), 'InvalidVpcID.Malformed', 'Invalid id: "nope" (expecting "vpc-...")')
    const named = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['ma*'] }] }))
    assert.deepEqual(named.Vpcs!.map((v) => v.VpcId), [Vpc!.VpcId])
    await rejects(ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })), 'InvalidParameterValue',
      "The filter 'colour' is invalid")
  })
})

describe('EC2 security groups', () => {
  it('creates a group, authorizes ingress, refuses a duplicate rule and a duplicate name', async () => {
    const ec2 = client('ap-southeast-2')
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web servers' }))
    assert.match(GroupId!, /^sg-[0-9a-f]{17}$/)
    const ssh = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }] }
    const authorized = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [ssh,
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }, { CidrIp: '192.168.0.0/16' }] }] }))
    assert.equal(authorized.Return, true)
    assert.equal(authorized.SecurityGroupRules!.length, 3)
    await rejects(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [ssh] })), 'InvalidPermission.Duplicate',
      'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists')
    await rejects(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'again' })), 'InvalidGroup.Duplicate',
      /^The security group 'web' already exists for VPC 'vpc-[0-9a-f]{17}'$/)
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }))
    const perms = SecurityGroups![0]!.IpPermissions!
    assert.deepEqual(perms.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges!.map((r) => r.CidrIp)]),
      [['tcp', 22, 22, ['0.0.0.0/0']], ['tcp', 443, 443, ['10.0.0.0/8', '192.168.0.0/16']]])
    const byPort = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.from-port', Values: ['443'] }] }))
    assert.deepEqual(byPort.SecurityGroups!.map((g) => g.GroupId), [GroupId])
    await rejects(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })), 'InvalidGroup.NotFound',
      "The security group 'sg-0123456789abcdef0' does not exist")
  })
})

describe('EC2 tags', () => {
  it('creates, describes with filters and pages, and deletes tags', async () => {
    const ec2 = client('ca-central-1')
    const ids: string[] = []
    for (let k = 0; k < 7; k++) {
      const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${k}.0.0/16` }))
      ids.push(Vpc!.VpcId!)
    }
    await ec2.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'env', Value: 'dev' }] }))
    const first = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['team'] }], MaxResults: 5 }))
    assert.equal(first.Tags!.length, 5)
    assert.ok(first.NextToken)
    const rest = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['team'] }], MaxResults: 5, NextToken: first.NextToken }))
    assert.equal(rest.Tags!.length, 2)
    assert.equal(rest.NextToken, undefined)
    assert.deepEqual(first.Tags![0], { Key: 'team', ResourceId: ids[0], ResourceType: 'vpc', Value: 'blue' })
    await ec2.send(new DeleteTagsCommand({ Resources: [ids[0]!], Tags: [{ Key: 'team', Value: 'red' }, { Key: 'env' }] }))
    const left = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [ids[0]!] }] }))
    assert.deepEqual(left.Tags!.map((t) => t.Key), ['team'])
    const pageOfVpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag-key', Values: ['team'] }], MaxResults: 5 }))
    assert.equal(pageOfVpcs.Vpcs!.length, 5)
    await rejects(ec2.send(new CreateTagsCommand({ Resources: ['bogus'], Tags: [{ Key: 'a', Value: 'b' }] })), 'InvalidID', "The ID 'bogus' is not valid")
    await rejects(ec2.send(new DescribeVpcsCommand({ MaxResults: 2 })), 'InvalidParameterValue',
      'Value ( 2 ) for parameter maxResults is invalid. Expecting a value greater than 5.')
  })
})
