// Network ACLs with @aws-sdk/client-ec2: the default ACL of a VPC and its subnets, numbered entries
// (duplicates, replace, delete), a new ACL's deny-all rules, moving a subnet's association, errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateNetworkAclCommand, CreateNetworkAclEntryCommand, CreateSubnetCommand, CreateVpcCommand, DeleteNetworkAclCommand,
  DeleteNetworkAclEntryCommand, DescribeNetworkAclsCommand, DescribeVpcsCommand, EC2Client, ReplaceNetworkAclAssociationCommand, ReplaceNetworkAclEntryCommand,
} from '@aws-sdk/client-ec2'
import { ec2Rejects as rejects } from '../../helpers/ec2.ts'
import { testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const client = (region = 'us-east-1') => new EC2Client({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })

describe('EC2 network ACLs', () => {
  it('gives each VPC a default ACL allowing all (rule 100) and denying the rest, associated with every subnet', async () => {
    const ec2 = client('eu-west-3')
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    const { NetworkAcls } = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpcs![0]!.VpcId!] }] }))
    assert.equal(NetworkAcls!.length, 1)
    const acl = NetworkAcls![0]!
    assert.equal(acl.IsDefault, true)
    assert.match(acl.NetworkAclId!, /^acl-[0-9a-f]{17}$/)
    assert.deepEqual(acl.Entries!.map((e) => [e.Egress, e.RuleNumber, e.Protocol, e.RuleAction, e.CidrBlock]), [
      [true, 100, '-1', 'allow', '0.0.0.0/0'], [true, 32767, '-1', 'deny', '0.0.0.0/0'],
      [false, 100, '-1', 'allow', '0.0.0.0/0'], [false, 32767, '-1', 'deny', '0.0.0.0/0'],
    ])
    // eu-west-3 has three zones: three default subnets.
    assert.equal(acl.Associations!.length, 3)
    assert.ok(acl.Associations!.every((a) => /^aclassoc-[0-9a-f]{17}$/.test(a.NetworkAclAssociationId!) && a.NetworkAclId === acl.NetworkAclId))
  })

  it('creates an ACL, adds, replaces and deletes entries, moves a subnet to it and back', async () => {
    const ec2 = client()
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.3.0.0/16' }))
    const vpcId = Vpc!.VpcId!
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.3.1.0/24' }))
    const { NetworkAcl } = await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId,
      TagSpecifications: [{ ResourceType: 'network-acl', Tags: [{ Key: 'tier', Value: 'web' }] }] }))
    const aclId = NetworkAcl!.NetworkAclId!
    assert.equal(NetworkAcl!.IsDefault, false)
    assert.deepEqual(NetworkAcl!.Entries!.map((e) => [e.Egress, e.RuleNumber, e.RuleAction]), [[true, 32767, 'deny'], [false, 32767, 'deny']])

    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 110, Protocol: '6', RuleAction: 'allow', Egress: false,
      CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } }))
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 110, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' }))
    await rejects(ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 110, Protocol: '-1', RuleAction: 'deny', Egress: false,
      CidrBlock: '10.0.0.0/8' })), 'NetworkAclEntryAlreadyExists', 'The network acl entry identified by 110 already exists.')
    await rejects(ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false,
      CidrBlock: '10.0.0.0/8' })), 'InvalidParameterValue')
    await rejects(ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 120, Protocol: '6', RuleAction: 'allow', Egress: false,
      CidrBlock: '0.0.0.0/0' })), 'MissingParameter')
    await ec2.send(new ReplaceNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 110, Protocol: 'tcp', RuleAction: 'deny', Egress: false,
      CidrBlock: '192.168.0.0/16', PortRange: { From: 22, To: 22 } }))
    await rejects(ec2.send(new ReplaceNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 999, Protocol: '-1', RuleAction: 'deny', Egress: false,
      CidrBlock: '0.0.0.0/0' })), 'InvalidNetworkAclEntry.NotFound')
    const read = async () => (await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [aclId] }))).NetworkAcls![0]!
    const ingress = (await read()).Entries!.find((e) => !e.Egress && e.RuleNumber === 110)!
    assert.deepEqual([ingress.Protocol, ingress.RuleAction, ingress.CidrBlock, ingress.PortRange], ['6', 'deny', '192.168.0.0/16', { From: 22, To: 22 }])
    await ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 110, Egress: true }))
    assert.deepEqual((await read()).Entries!.map((e) => [e.Egress, e.RuleNumber]), [[true, 32767], [false, 110], [false, 32767]])
    const byEntry = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'entry.rule-number', Values: ['110'] }, { Name: 'tag:tier', Values: ['web'] }] }))
    assert.deepEqual(byEntry.NetworkAcls!.map((a) => a.NetworkAclId), [aclId])

    // The subnet starts in the VPC's default ACL; moving it gives a new association id.
    const bySubnet = async () => (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [Subnet!.SubnetId!] }] }))).NetworkAcls!
    const [defaultAcl] = await bySubnet()
    assert.equal(defaultAcl!.IsDefault, true)
    const first = defaultAcl!.Associations!.find((a) => a.SubnetId === Subnet!.SubnetId)!.NetworkAclAssociationId!
    const { NewAssociationId } = await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: first, NetworkAclId: aclId }))
    assert.notEqual(NewAssociationId, first)
    assert.deepEqual((await bySubnet()).map((a) => a.NetworkAclId), [aclId])
    await rejects(ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: aclId })), 'DependencyViolation', `The networkAcl '${aclId}' has dependencies and cannot be deleted.`)
    await rejects(ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: defaultAcl!.NetworkAclId! })), 'InvalidParameterValue',
      `cannot delete default network ACL ${defaultAcl!.NetworkAclId}`)
    await rejects(ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: first, NetworkAclId: aclId })), 'InvalidAssociationID.NotFound')
    await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: NewAssociationId!, NetworkAclId: defaultAcl!.NetworkAclId! }))
    await ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: aclId }))
    await rejects(ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [aclId] })), 'InvalidNetworkAclID.NotFound',
      `The networkAcl ID '${aclId}' does not exist`)
  })
})
