// IAM and STS state across a restart on one data dir (in process): users and their access keys
// (which still resolve to their account), roles with policies, managed policy versions, and STS
// sessions whose keys still act in the role's account.
import { AttachRolePolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand,
  CreateUserCommand, GetPolicyCommand, GetRoleCommand, ListAttachedRolePoliciesCommand, ListPolicyVersionsCommand, PutRolePolicyCommand,
  GetRolePolicyCommand } from '@aws-sdk/client-iam'
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { iamClient, stsClient, trustPolicy } from '../../helpers/iam.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-durable-iam-'))
const running = new Set<Nimbus>()
after(async () => {
  for (const nimbus of running) await nimbus.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

async function open(): Promise<Nimbus> {
  const nimbus = await startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
  running.add(nimbus)
  return nimbus
}

describe('IAM and STS with a data dir', () => {
  it('keep users, keys, roles, policies and sessions across a restart', async () => {
    let nimbus = await open()
    const account = { accessKeyId: '123456789012', secretAccessKey: 'x' }
    const iam = iamClient(nimbus, account)
    await iam.send(new CreateUserCommand({ UserName: 'kept' }))
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'kept' }))).AccessKey!
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'kept-role', AssumeRolePolicyDocument: trustPolicy, MaxSessionDuration: 7200 }))).Role!
    await iam.send(new PutRolePolicyCommand({ RoleName: 'kept-role', PolicyName: 'inline',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] }) }))
    const policy = (await iam.send(new CreatePolicyCommand({ PolicyName: 'kept-policy',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) }))).Policy!
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: policy.Arn, SetAsDefault: true,
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] }) }))
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'kept-role', PolicyArn: policy.Arn }))
    const session = (await stsClient(nimbus).send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'kept' }))).Credentials!

    await nimbus.stop()
    running.delete(nimbus)
    nimbus = await open()

    const again = iamClient(nimbus, account)
    const got = (await again.send(new GetRoleCommand({ RoleName: 'kept-role' }))).Role!
    assert.deepEqual([got.RoleId, got.MaxSessionDuration], [role.RoleId, 7200])
    assert.ok((await again.send(new GetRolePolicyCommand({ RoleName: 'kept-role', PolicyName: 'inline' }))).PolicyDocument)
    assert.deepEqual((await again.send(new ListAttachedRolePoliciesCommand({ RoleName: 'kept-role' }))).AttachedPolicies!.map((p) => p.PolicyArn), [policy.Arn])
    assert.equal((await again.send(new GetPolicyCommand({ PolicyArn: policy.Arn }))).Policy!.DefaultVersionId, 'v2')
    assert.equal((await again.send(new ListPolicyVersionsCommand({ PolicyArn: policy.Arn }))).Versions!.length, 2)

    // Keys issued before the restart still act in their account, before IAM or STS is asked anything.
    const asUser = await stsClient(nimbus, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }).send(new GetCallerIdentityCommand({}))
    assert.equal(asUser.Arn, 'arn:aws:iam::123456789012:user/kept')
    const asRole = await stsClient(nimbus, { accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!,
      sessionToken: session.SessionToken! }).send(new GetCallerIdentityCommand({}))
    assert.equal(asRole.Arn, 'arn:aws:sts::123456789012:assumed-role/kept-role/kept')
  })
})
