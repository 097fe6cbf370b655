// A process-backed instance's IMDS follows ModifyInstanceMetadataOptions and the IAM instance
// profile associations at once: IMDSv1 refused (401) while tokens are required, every request 403
// with the endpoint disabled, tags/instance only with InstanceMetadataTags enabled, and iam/info and
// iam/security-credentials/<role> appearing, changing role and going with Associate/Replace/Disassociate.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AssociateIamInstanceProfileCommand, DescribeImagesCommand, DisassociateIamInstanceProfileCommand, EC2Client, ModifyInstanceMetadataOptionsCommand,
  ReplaceIamInstanceProfileAssociationCommand, RunInstancesCommand,
} from '@aws-sdk/client-ec2'
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient, RemoveRoleFromInstanceProfileCommand } from '@aws-sdk/client-iam'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const config = () => ({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
const ec2 = () => new EC2Client(config())

async function profile(): Promise<{ name: string; role: string; arn: string }> {
  const iam = new IAMClient(config())
  const role = uniqueName('role')
  const name = uniqueName('profile')
  await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }))
  const made = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }))
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: role }))
  return { name, role, arn: made.InstanceProfile!.Arn! }
}

/** A running process-backed instance (no user data) and its IMDS endpoint, once it listens (polled: its server starts in real time). */
async function processBacked(): Promise<{ id: string; imds: string }> {
  const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
  const { Instances } = await ec2().send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, MinCount: 1, MaxCount: 1,
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'nimbus:process', Value: 'true' }, { Key: 'Team', Value: 'blue' }] }] }))
  const id = Instances![0]!.InstanceId!
  await advance(nimbus.current, 10_000)
  for (let i = 0; i < 300; i++) {
    const response = await fetch(`${nimbus.current.endpoint}/_nimbus/ec2/instances/${id}/process`)
    const endpoint = response.status === 200 ? ((await response.json()) as { metadataEndpoint?: string }).metadataEndpoint : undefined
    if (endpoint !== undefined) return { id, imds: endpoint }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('the metadata service did not start')
}

describe('EC2 process-backed instances: IMDS follows the instance\'s settings', () => {
  it('enforces ModifyInstanceMetadataOptions: tokens, the endpoint and tags in metadata', async () => {
    const { id, imds } = await processBacked()
    const token = async () => (await fetch(`${imds}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '300' } })).text()
    const v2 = async (path: string) => fetch(`${imds}/latest/meta-data/${path}`, { headers: { 'x-aws-ec2-metadata-token': await token() } })
    // Tokens required (the default): IMDSv1 is refused, IMDSv2 answers; tags are not in metadata.
    assert.equal((await fetch(`${imds}/latest/meta-data/instance-id`)).status, 401)
    assert.equal(await (await v2('instance-id')).text(), id)
    assert.equal((await v2('tags/instance/Team')).status, 404)

    await ec2().send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'optional', InstanceMetadataTags: 'enabled' }))
    assert.equal(await (await fetch(`${imds}/latest/meta-data/instance-id`)).text(), id)
    assert.equal(await (await fetch(`${imds}/latest/meta-data/tags/instance/Team`)).text(), 'blue')
    assert.equal(await (await fetch(`${imds}/latest/meta-data/tags/instance/`)).text(), 'Team\nnimbus:process')

    await ec2().send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpEndpoint: 'disabled' }))
    assert.equal((await fetch(`${imds}/latest/meta-data/instance-id`)).status, 403)
    assert.equal((await fetch(`${imds}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } })).status, 403)

    await ec2().send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpEndpoint: 'enabled', HttpTokens: 'required', InstanceMetadataTags: 'disabled' }))
    assert.equal((await fetch(`${imds}/latest/meta-data/instance-id`)).status, 401)
    assert.equal((await v2('tags/instance/Team')).status, 404)
  })

  it('serves the associated profile\'s role credentials, follows a replacement and drops them once disassociated', async () => {
    const first = await profile()
    const second = await profile()
    const { id, imds } = await processBacked()
    const token = await (await fetch(`${imds}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' } })).text()
    const get = (path: string) => fetch(`${imds}/latest/meta-data/${path}`, { headers: { 'x-aws-ec2-metadata-token': token } })
    assert.equal((await get('iam/info')).status, 404)

    const { IamInstanceProfileAssociation: made } = await ec2().send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: first.name } }))
    const info = await (await get('iam/info')).json() as Record<string, string>
    assert.equal(info.InstanceProfileArn, first.arn)
    assert.equal(await (await get('iam/security-credentials/')).text(), first.role)
    const firstKeys = await (await get(`iam/security-credentials/${first.role}`)).json() as Record<string, string>
    assert.match(firstKeys.AccessKeyId!, /^ASIA/)
    assert.ok(Math.abs(Date.parse(info.LastUpdated!) - nimbus.current.clock.now()) < 1000)
    // The profile's role as IAM has it now: another role put in the profile is served at once.
    const iam = new IAMClient(config())
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: first.name, RoleName: first.role }))
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: first.name, RoleName: second.role }))
    assert.equal(await (await get('iam/security-credentials/')).text(), second.role)
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: first.name, RoleName: second.role }))
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: first.name, RoleName: first.role }))

    await advance(nimbus.current, 2_000)
    const { IamInstanceProfileAssociation: replaced } = await ec2().send(new ReplaceIamInstanceProfileAssociationCommand({
      AssociationId: made!.AssociationId, IamInstanceProfile: { Name: second.name } }))
    assert.equal(((await (await get('iam/info')).json()) as Record<string, string>).InstanceProfileArn, second.arn)
    assert.equal(await (await get('iam/security-credentials/')).text(), second.role)
    assert.equal((await get(`iam/security-credentials/${first.role}`)).status, 404)
    const secondKeys = await (await get(`iam/security-credentials/${second.role}`)).json() as Record<string, string>
    assert.notEqual(secondKeys.AccessKeyId, firstKeys.AccessKeyId)

    await advance(nimbus.current, 2_000)
    await ec2().send(new DisassociateIamInstanceProfileCommand({ AssociationId: replaced!.AssociationId }))
    await advance(nimbus.current, 2_000)
    assert.equal((await get('iam/info')).status, 404)
    assert.ok(!(await (await get('')).text()).split('\n').includes('iam/'))
  })
})
