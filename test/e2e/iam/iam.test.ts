// IAM end to end with @aws-sdk/client-iam: users, groups, roles, managed and inline policies,
// access keys whose AKIA ids act in their account, pagination, name rules and AWS's errors.
import {
  AddRoleToInstanceProfileCommand, AddUserToGroupCommand, AttachRolePolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand,
  CreateAccountAliasCommand, CreateGroupCommand, CreateInstanceProfileCommand, CreateOpenIDConnectProviderCommand, CreatePolicyCommand,
  CreatePolicyVersionCommand, CreateRoleCommand, CreateServiceLinkedRoleCommand, CreateUserCommand, DeleteRoleCommand, DeleteUserCommand,
  GetAccountSummaryCommand, GetGroupCommand, GetInstanceProfileCommand, GetOpenIDConnectProviderCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand,
  GetRolePolicyCommand, GetUserCommand, ListAccessKeysCommand, ListAccountAliasesCommand, ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand, ListPolicyVersionsCommand, ListRolePoliciesCommand, ListRoleTagsCommand, ListUsersCommand, PutRolePolicyCommand,
  ListInstanceProfileTagsCommand, ListUserTagsCommand, SetDefaultPolicyVersionCommand, TagInstanceProfileCommand, TagRoleCommand,
  TagUserCommand, UntagUserCommand,
} from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { iamClient, stsClient, trustPolicy } from '../../helpers/iam.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const policy = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] })

describe('IAM', () => {
  it('users: create, get, duplicate, name rules, pagination', async () => {
    const iam = iamClient(nimbus.current)
    const out = await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/dev/', Tags: [{ Key: 'team', Value: 'a' }] }))
    assert.equal(out.User!.Arn, 'arn:aws:iam::000000000000:user/dev/alice')
    assert.match(out.User!.UserId!, /^AIDA[A-Z2-7]{17}$/)
    const got = await iam.send(new GetUserCommand({ UserName: 'alice' }))
    assert.deepEqual(got.User!.Tags, [{ Key: 'team', Value: 'a' }])
    const dup = await sdkError(iam.send(new CreateUserCommand({ UserName: 'ALICE' })))
    assert.deepEqual(dup, { name: 'EntityAlreadyExistsException', code: 'EntityAlreadyExists', message: 'User with name ALICE already exists.', status: 409 })
    const missing = await sdkError(iam.send(new GetUserCommand({ UserName: 'nobody' })))
    assert.deepEqual(missing, { name: 'NoSuchEntityException', code: 'NoSuchEntity', message: 'The user with name nobody cannot be found.', status: 404 })
    const bad = await sdkError(iam.send(new CreateUserCommand({ UserName: 'bad/name' })))
    assert.equal(bad.message, '1 validation error detected: Value \'bad/name\' at \'userName\' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+')
    for (const name of ['p1', 'p2', 'p3']) await iam.send(new CreateUserCommand({ UserName: name }))
    const first = await iam.send(new ListUsersCommand({ MaxItems: 2 }))
    assert.equal(first.Users!.length, 2)
    assert.equal(first.IsTruncated, true)
    const rest = await iam.send(new ListUsersCommand({ Marker: first.Marker }))
    assert.deepEqual(rest.Users!.map((u) => u.UserName), ['p2', 'p3'])
    assert.equal(rest.IsTruncated, false)
  })

  it('untags by key, case-insensitively, keeping the other tags', async () => {
    const iam = iamClient(nimbus.current)
    await iam.send(new CreateUserCommand({ UserName: 'tagged-user' }))
    await iam.send(new TagUserCommand({ UserName: 'tagged-user', Tags: [{ Key: 'Team', Value: 'a' }, { Key: 'env', Value: 'dev' }] }))
    await iam.send(new UntagUserCommand({ UserName: 'tagged-user', TagKeys: ['team'] }))
    assert.deepEqual((await iam.send(new ListUserTagsCommand({ UserName: 'tagged-user' }))).Tags, [{ Key: 'env', Value: 'dev' }])
  })

  it('access keys: at most two per user, AKIA ids acting as the user in its account', async () => {
    const iam = iamClient(nimbus.current, { accessKeyId: '210987654321', secretAccessKey: 'x' })
    await iam.send(new CreateUserCommand({ UserName: 'bot' }))
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bot' }))).AccessKey!
    assert.match(key.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/)
    await iam.send(new CreateAccessKeyCommand({ UserName: 'bot' }))
    const third = await sdkError(iam.send(new CreateAccessKeyCommand({ UserName: 'bot' })))
    assert.deepEqual(third, { name: 'LimitExceededException', code: 'LimitExceeded', message: 'Cannot exceed quota for AccessKeysPerUser: 2', status: 409 })
    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'bot' }))
    assert.equal(listed.AccessKeyMetadata!.length, 2)
    const asBot = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }
    const who = await stsClient(nimbus.current, asBot).send(new GetCallerIdentityCommand({}))
    assert.deepEqual({ Account: who.Account, Arn: who.Arn }, { Account: '210987654321', Arn: 'arn:aws:iam::210987654321:user/bot' })
    const self = await iamClient(nimbus.current, asBot).send(new GetUserCommand({}))
    assert.equal(self.User!.UserName, 'bot')
    const root = await iam.send(new GetUserCommand({}))
    assert.deepEqual([root.User!.UserName, root.User!.UserId, root.User!.Arn], [undefined, '210987654321', 'arn:aws:iam::210987654321:root'])
    const conflict = await sdkError(iam.send(new DeleteUserCommand({ UserName: 'bot' })))
    assert.deepEqual(conflict, { name: 'DeleteConflictException', code: 'DeleteConflict', message: 'Cannot delete entity, must delete access keys first.', status: 409 })
  })

  it('groups and membership', async () => {
    const iam = iamClient(nimbus.current)
    await iam.send(new CreateUserCommand({ UserName: 'gina' }))
    await iam.send(new CreateGroupCommand({ GroupName: 'admins' }))
    await iam.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'gina' }))
    const group = await iam.send(new GetGroupCommand({ GroupName: 'admins' }))
    assert.equal(group.Group!.Arn, 'arn:aws:iam::000000000000:group/admins')
    assert.deepEqual(group.Users!.map((u) => u.UserName), ['gina'])
  })

  it('roles: trust policy URL-encoded as AWS sends it, tags, inline and attached policies, delete conflicts', async () => {
    const iam = iamClient(nimbus.current)
    const out = await iam.send(new CreateRoleCommand({ RoleName: 'lambda-exec', AssumeRolePolicyDocument: trustPolicy, Description: 'runs functions' }))
    assert.equal(out.Role!.Arn, 'arn:aws:iam::000000000000:role/lambda-exec')
    const got = await iam.send(new GetRoleCommand({ RoleName: 'lambda-exec' }))
    assert.equal(got.Role!.AssumeRolePolicyDocument, encodeURIComponent(trustPolicy))
    assert.equal(got.Role!.MaxSessionDuration, 3600)
    await iam.send(new TagRoleCommand({ RoleName: 'lambda-exec', Tags: [{ Key: 'env', Value: 'dev' }] }))
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'lambda-exec' }))).Tags, [{ Key: 'env', Value: 'dev' }])
    await iam.send(new PutRolePolicyCommand({ RoleName: 'lambda-exec', PolicyName: 'logs', PolicyDocument: policy('logs:*') }))
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'lambda-exec', PolicyName: 'logs' }))
    assert.equal(decodeURIComponent(inline.PolicyDocument!), policy('logs:*'))
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'lambda-exec' }))).PolicyNames, ['logs'])
    const basic = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'lambda-exec', PolicyArn: basic }))
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'lambda-exec' }))
    assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: basic }])
    const conflict = await sdkError(iam.send(new DeleteRoleCommand({ RoleName: 'lambda-exec' })))
    assert.equal(conflict.message, 'Cannot delete entity, must detach all policies first.')
    const unknown = await sdkError(iam.send(new AttachRolePolicyCommand({ RoleName: 'lambda-exec', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })))
    assert.deepEqual(unknown, { name: 'NoSuchEntityException', code: 'NoSuchEntity',
      message: 'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.', status: 404 })
  })

  it('policy documents are validated with MalformedPolicyDocument', async () => {
    const iam = iamClient(nimbus.current)
    const cases: [string, string][] = [
      ['{not json', 'This policy contains invalid Json'],
      [JSON.stringify({ Version: '2012-10-17' }), 'Syntax errors in policy.'],
      [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 's3:*', Resource: '*' }] }), 'Invalid effect: Maybe'],
      [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }), 'Policy statement must contain actions.'],
      [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] }), 'Policy statement must contain resources.'],
      [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Principal: '*' }] }),
        'Policy document should not specify a principal.'],
      [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'GetObject', Resource: '*' }] }),
        'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ]
    for (const [document, message] of cases) {
      const error = await sdkError(iam.send(new CreatePolicyCommand({ PolicyName: 'bad', PolicyDocument: document })))
      assert.deepEqual(error, { name: 'MalformedPolicyDocumentException', code: 'MalformedPolicyDocument', message, status: 400 }, document)
    }
    const trust = await sdkError(iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: policy('sts:AssumeRole') })))
    assert.equal(trust.message, 'Has prohibited field Resource')
  })

  it('managed policies: versions (up to 5), default version, attachments, entities', async () => {
    const iam = iamClient(nimbus.current)
    const created = (await iam.send(new CreatePolicyCommand({ PolicyName: 'readers', PolicyDocument: policy('s3:Get*') }))).Policy!
    assert.equal(created.Arn, 'arn:aws:iam::000000000000:policy/readers')
    assert.equal(created.DefaultVersionId, 'v1')
    for (let i = 2; i <= 5; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: created.Arn, PolicyDocument: policy(`s3:List${i}`) }))
    const sixth = await sdkError(iam.send(new CreatePolicyVersionCommand({ PolicyArn: created.Arn, PolicyDocument: policy('s3:*') })))
    assert.equal(sixth.name, 'LimitExceededException')
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: created.Arn, VersionId: 'v3' }))
    const v3 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: created.Arn, VersionId: 'v3' }))
    assert.equal(decodeURIComponent(v3.PolicyVersion!.Document!), policy('s3:List3'))
    assert.equal(v3.PolicyVersion!.IsDefaultVersion, true)
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: created.Arn }))
    assert.deepEqual(versions.Versions!.map((v) => v.VersionId), ['v5', 'v4', 'v3', 'v2', 'v1'])
    await iam.send(new CreateUserCommand({ UserName: 'reader' }))
    await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: created.Arn }))
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: created.Arn }))).Policy!.AttachmentCount, 1)
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: created.Arn }))
    assert.deepEqual(entities.PolicyUsers!.map((u) => u.UserName), ['reader'])
  })

  it('AWS managed policies answer GetPolicy and GetPolicyVersion from the catalog', async () => {
    const iam = iamClient(nimbus.current)
    const arn = 'arn:aws:iam::aws:policy/AdministratorAccess'
    const got = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!
    assert.equal(got.PolicyName, 'AdministratorAccess')
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: got.DefaultVersionId }))
    assert.deepEqual(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!)),
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })
  })

  it('instance profiles, service-linked roles, OIDC providers, account alias', async () => {
    const iam = iamClient(nimbus.current)
    await iam.send(new CreateRoleCommand({ RoleName: 'ec2-role', AssumeRolePolicyDocument: trustPolicy }))
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web' }))
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'ec2-role' }))
    const profile = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web' }))
    assert.deepEqual(profile.InstanceProfile!.Roles!.map((r) => r.RoleName), ['ec2-role'])
    await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'web', Tags: [{ Key: 'tier', Value: 'web' }] }))
    assert.deepEqual((await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'web' }))).Tags, [{ Key: 'tier', Value: 'web' }])
    const second = await sdkError(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'ec2-role' })))
    assert.equal(second.name, 'LimitExceededException')

    const linked = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticbeanstalk.amazonaws.com' }))
    assert.equal(linked.Role!.Arn, 'arn:aws:iam::000000000000:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticbeanstalk')

    const oidc = await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com',
      ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'] }))
    assert.equal(oidc.OpenIDConnectProviderArn, 'arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com')
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: oidc.OpenIDConnectProviderArn }))
    assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com'])

    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'my-dev' }))
    assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, ['my-dev'])
    const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!
    assert.ok(summary.Roles! >= 2 && summary.InstanceProfiles === 1 && summary.Providers === 1)
    assert.equal(summary.AccessKeysPerUserQuota, 2)
  })
})
