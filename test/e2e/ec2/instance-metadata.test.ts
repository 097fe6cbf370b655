// Instance metadata options and IAM instance profile associations with @aws-sdk/client-ec2 on the
// manual clock: ModifyInstanceMetadataOptions (pending → applied in DescribeInstances, a stopped
// instance's change applied at its next start), the account's defaults, and Associate/Describe/
// Replace/DisassociateIamInstanceProfile with their states and AWS's errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AssociateIamInstanceProfileCommand, DescribeIamInstanceProfileAssociationsCommand, DescribeImagesCommand, DescribeInstancesCommand,
  DisassociateIamInstanceProfileCommand, EC2Client, GetInstanceMetadataDefaultsCommand, type Instance, ModifyInstanceMetadataDefaultsCommand,
  ModifyInstanceMetadataOptionsCommand, ReplaceIamInstanceProfileAssociationCommand, RunInstancesCommand, StartInstancesCommand, StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { ec2Rejects } from '../../helpers/ec2.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const config = () => ({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
const ec2 = () => new EC2Client(config())

async function launch(extra: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]> = {}): Promise<Instance> {
  const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
  const { Instances } = await ec2().send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ...extra }))
  return Instances![0]!
}

const described = async (id: string) => (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!

async function profile(): Promise<{ name: string; arn: string }> {
  const iam = new IAMClient(config())
  const role = uniqueName('role')
  const name = uniqueName('profile')
  await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }))
  const made = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }))
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: role }))
  return { name, arn: made.InstanceProfile!.Arn! }
}

describe('EC2 instance metadata options', () => {
  it('modifies a running instance\'s options: pending, then applied 2 s of clock later; members not named keep their values', async () => {
    const launched = await launch()
    // RunInstances answers 'pending': the options apply once the instance runs.
    assert.deepEqual(launched.MetadataOptions, { State: 'pending', HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'disabled', InstanceMetadataTags: 'disabled' })
    const id = launched.InstanceId!
    await advance(nimbus.current, 10_000)
    assert.equal((await described(id)).MetadataOptions!.State, 'applied')
    const modified = await ec2().send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'optional', HttpPutResponseHopLimit: 5,
      InstanceMetadataTags: 'enabled' }))
    assert.equal(modified.InstanceId, id)
    assert.deepEqual(modified.InstanceMetadataOptions, { State: 'pending', HttpTokens: 'optional', HttpPutResponseHopLimit: 5, HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'disabled', InstanceMetadataTags: 'enabled' })
    assert.equal((await described(id)).MetadataOptions!.State, 'pending')
    await advance(nimbus.current, 2_000)
    assert.deepEqual((await described(id)).MetadataOptions, { ...modified.InstanceMetadataOptions, State: 'applied' })
    const filtered = await ec2().send(new DescribeInstancesCommand({ Filters: [{ Name: 'metadata-options.http-tokens', Values: ['optional'] }] }))
    assert.deepEqual(filtered.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId)), [id])
    const endpoint = await ec2().send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpEndpoint: 'disabled' }))
    assert.deepEqual([endpoint.InstanceMetadataOptions!.HttpEndpoint, endpoint.InstanceMetadataOptions!.HttpTokens], ['disabled', 'optional'])
  })

  it('applies a stopped instance\'s change when it runs again', async () => {
    const id = (await launch()).InstanceId!
    await advance(nimbus.current, 10_000)
    await ec2().send(new StopInstancesCommand({ InstanceIds: [id] }))
    await advance(nimbus.current, 10_000)
    await ec2().send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'optional' }))
    await advance(nimbus.current, 60_000)
    assert.deepEqual([(await described(id)).State!.Name, (await described(id)).MetadataOptions!.State], ['stopped', 'pending'])
    await ec2().send(new StartInstancesCommand({ InstanceIds: [id] }))
    assert.equal((await described(id)).MetadataOptions!.State, 'pending')
    await advance(nimbus.current, 10_000)
    assert.deepEqual([(await described(id)).State!.Name, (await described(id)).MetadataOptions!.State], ['running', 'applied'])
    // Once applied, a later stop doesn't make it pending again.
    await advance(nimbus.current, 1_000)
    await ec2().send(new StopInstancesCommand({ InstanceIds: [id] }))
    await advance(nimbus.current, 10_000)
    assert.equal((await described(id)).MetadataOptions!.State, 'applied')
  })

  it('refuses bad values, unknown instances and terminated ones with AWS\'s errors', async () => {
    const id = (await launch()).InstanceId!
    await ec2Rejects(ec2().send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpPutResponseHopLimit: 65 })), 'InvalidParameterValue',
      'Value (65) for parameter HttpPutResponseHopLimit is invalid. The value must be between 1 and 64.')
    await ec2Rejects(ec2().send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'sometimes' as 'optional' })), 'InvalidParameterValue',
      'Value (sometimes) for parameter HttpTokens is invalid. Valid values are: optional, required.')
    await ec2Rejects(ec2().send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: 'i-0123456789abcdef0', HttpTokens: 'optional' })),
      'InvalidInstanceID.NotFound', 'The instance ID \'i-0123456789abcdef0\' does not exist')
    await ec2Rejects(ec2().send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: 'web', HttpTokens: 'optional' })), 'InvalidInstanceID.Malformed', 'Invalid id: "web"')
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [id] }))
    await ec2Rejects(ec2().send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'optional' })), 'IncorrectInstanceState')
  })

  it('keeps the account\'s defaults per region; launches take them where the request sets nothing', async () => {
    assert.deepEqual((await ec2().send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel ?? {}, {})
    assert.equal((await ec2().send(new ModifyInstanceMetadataDefaultsCommand({ HttpTokens: 'optional', HttpPutResponseHopLimit: 3 }))).Return, true)
    assert.deepEqual((await ec2().send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel, { HttpTokens: 'optional', HttpPutResponseHopLimit: 3 })
    const defaulted = await launch()
    assert.deepEqual([defaulted.MetadataOptions!.HttpTokens, defaulted.MetadataOptions!.HttpPutResponseHopLimit], ['optional', 3])
    const asked = await launch({ MetadataOptions: { HttpTokens: 'required' } })
    assert.deepEqual([asked.MetadataOptions!.HttpTokens, asked.MetadataOptions!.HttpPutResponseHopLimit], ['required', 3])
    // Another region has its own (none).
    const west = new EC2Client({ ...config(), region: 'us-west-2' })
    assert.deepEqual((await west.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel ?? {}, {})
    // no-preference (and -1 for the hop limit) clears a member.
    await ec2().send(new ModifyInstanceMetadataDefaultsCommand({ HttpTokens: 'no-preference', HttpPutResponseHopLimit: -1, InstanceMetadataTags: 'enabled' }))
    assert.deepEqual((await ec2().send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel, { InstanceMetadataTags: 'enabled' })
    await ec2Rejects(ec2().send(new ModifyInstanceMetadataDefaultsCommand({ HttpPutResponseHopLimit: 0 })), 'InvalidParameterValue',
      'Value (0) for parameter HttpPutResponseHopLimit is invalid. The value must be between 1 and 64.')
  })
})

describe('EC2 IAM instance profile associations', () => {
  it('associates (associating → associated), describes with filters and pages, replaces and disassociates', async () => {
    const first = await profile()
    const second = await profile()
    const id = (await launch()).InstanceId!
    await advance(nimbus.current, 10_000)
    assert.equal((await described(id)).IamInstanceProfile, undefined)
    const { IamInstanceProfileAssociation: made } = await ec2().send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: first.name } }))
    assert.match(made!.AssociationId!, /^iip-assoc-[0-9a-f]{17}$/)
    assert.deepEqual([made!.InstanceId, made!.State, made!.IamInstanceProfile!.Arn], [id, 'associating', first.arn])
    assert.match(made!.IamInstanceProfile!.Id!, /^AIPA[A-Z0-9]{17}$/)
    assert.equal((await described(id)).IamInstanceProfile!.Arn, first.arn)
    await ec2Rejects(ec2().send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Arn: second.arn } })),
      'IncorrectState', `There is an existing association for instance ${id}`)
    await advance(nimbus.current, 2_000)
    const listed = await ec2().send(new DescribeIamInstanceProfileAssociationsCommand({ AssociationIds: [made!.AssociationId!] }))
    assert.deepEqual(listed.IamInstanceProfileAssociations!.map((a) => [a.AssociationId, a.InstanceId, a.State, a.IamInstanceProfile!.Arn]),
      [[made!.AssociationId, id, 'associated', first.arn]])
    assert.ok(listed.IamInstanceProfileAssociations![0]!.Timestamp instanceof Date)

    // Replace: a new association (associating) for the running instance; the old id is gone.
    const { IamInstanceProfileAssociation: replaced } = await ec2().send(new ReplaceIamInstanceProfileAssociationCommand({
      AssociationId: made!.AssociationId, IamInstanceProfile: { Arn: second.arn } }))
    assert.notEqual(replaced!.AssociationId, made!.AssociationId)
    assert.deepEqual([replaced!.State, replaced!.IamInstanceProfile!.Arn], ['associating', second.arn])
    assert.equal((await described(id)).IamInstanceProfile!.Arn, second.arn)
    await ec2Rejects(ec2().send(new DisassociateIamInstanceProfileCommand({ AssociationId: made!.AssociationId })),
      'InvalidAssociationID.NotFound', `The association ID '${made!.AssociationId}' does not exist`)
    await advance(nimbus.current, 2_000)

    // Disassociate: disassociating, then gone (the instance has no profile; it can take another).
    const { IamInstanceProfileAssociation: going } = await ec2().send(new DisassociateIamInstanceProfileCommand({ AssociationId: replaced!.AssociationId }))
    assert.equal(going!.State, 'disassociating')
    const byState = await ec2().send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'state', Values: ['disassociating'] }] }))
    assert.deepEqual(byState.IamInstanceProfileAssociations!.map((a) => a.AssociationId), [replaced!.AssociationId])
    await ec2Rejects(ec2().send(new DisassociateIamInstanceProfileCommand({ AssociationId: replaced!.AssociationId })),
      'IncorrectState', `The association ${replaced!.AssociationId} is not the active association`)
    await advance(nimbus.current, 2_000)
    assert.equal((await described(id)).IamInstanceProfile, undefined)
    const byInstance = await ec2().send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }))
    assert.deepEqual(byInstance.IamInstanceProfileAssociations, [])
    const again = await ec2().send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: first.name } }))
    assert.equal(again.IamInstanceProfileAssociation!.State, 'associating')
  })

  it('lists a launch\'s profile as associated, pages, and answers AWS\'s errors', async () => {
    const { name, arn } = await profile()
    const launched = await Promise.all([1, 2, 3, 4, 5, 6].map(() => launch({ IamInstanceProfile: { Name: name } })))
    const ids = launched.map((i) => i.InstanceId!)
    const all = await ec2().send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: ids }] }))
    assert.deepEqual(all.IamInstanceProfileAssociations!.map((a) => [a.InstanceId, a.State, a.IamInstanceProfile!.Arn]).sort(),
      ids.map((id) => [id, 'associated', arn]).sort())
    const page = await ec2().send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: ids }], MaxResults: 5 }))
    assert.equal(page.IamInstanceProfileAssociations!.length, 5)
    const rest = await ec2().send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: ids }], MaxResults: 5, NextToken: page.NextToken }))
    assert.deepEqual([rest.IamInstanceProfileAssociations!.length, rest.NextToken], [1, undefined])

    // A stopped instance's association can't be replaced (not the active association).
    const stopped = all.IamInstanceProfileAssociations!.find((a) => a.InstanceId === ids[0])!
    await advance(nimbus.current, 10_000)
    await ec2().send(new StopInstancesCommand({ InstanceIds: [ids[0]!] }))
    await ec2Rejects(ec2().send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: stopped.AssociationId, IamInstanceProfile: { Name: name } })),
      'IncorrectState', `The association ${stopped.AssociationId} is not the active association`)
    // A terminated instance's association is gone with it.
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [ids[1]!] }))
    const left = await ec2().send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: ids }] }))
    assert.equal(left.IamInstanceProfileAssociations!.length, 5)

    await ec2Rejects(ec2().send(new AssociateIamInstanceProfileCommand({ InstanceId: ids[2], IamInstanceProfile: { Name: 'nobody' } })),
      'IncorrectState', `There is an existing association for instance ${ids[2]}`)
    const bare = (await launch()).InstanceId!
    await ec2Rejects(ec2().send(new AssociateIamInstanceProfileCommand({ InstanceId: bare, IamInstanceProfile: { Name: 'nobody' } })),
      'InvalidParameterValue', 'Value (nobody) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name')
    await ec2Rejects(ec2().send(new AssociateIamInstanceProfileCommand({ InstanceId: 'i-0123456789abcdef0', IamInstanceProfile: { Name: name } })),
      'InvalidInstanceID.NotFound')
    await ec2Rejects(ec2().send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: bare, IamInstanceProfile: { Name: name } })),
      'InvalidParameterValue', 'Invalid value for associationId.')
    await ec2Rejects(ec2().send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'profile', Values: ['x'] }] })),
      'InvalidParameterValue', 'The filter \'profile\' is invalid')
  })
})
