// `enforceIam` (`--enforce-iam`): IAM users' and role sessions' identity policies decide, at the
// level of the action; root credentials are never limited. Off by default (the other suites).
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam'
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns'
import { CreateQueueCommand, DeleteQueueCommand, SQSClient } from '@aws-sdk/client-sqs'
import { AssumeRoleCommand } from '@aws-sdk/client-sts'
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type Credentials, iamClient, stsClient, trustPolicy } from '../../helpers/iam.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus({ enforceIam: true })
const sqs = (credentials: Credentials) => new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })
const sns = (credentials: Credentials) => new SNSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })

describe('enforceIam', () => {
  it('a user may do what its policies allow, nothing else; an explicit deny wins; root is unlimited', async () => {
    const iam = iamClient(nimbus.current)
    await iam.send(new CreateUserCommand({ UserName: 'worker' }))
    await iam.send(new AttachUserPolicyCommand({ UserName: 'worker', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSQSFullAccess' }))
    await iam.send(new PutUserPolicyCommand({ UserName: 'worker', PolicyName: 'no-delete',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'sqs:DeleteQueue', Resource: '*' }] }) }))
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'worker' }))).AccessKey!
    const worker = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }

    const queue = await sqs(worker).send(new CreateQueueCommand({ QueueName: 'allowed' }))
    const denied = await sdkError(sns(worker).send(new CreateTopicCommand({ Name: 'nope' })))
    assert.deepEqual(denied, { name: 'AccessDenied', code: 'AccessDenied', status: 403,
      message: 'User: arn:aws:iam::000000000000:user/worker is not authorized to perform: sns:CreateTopic because no identity-based policy allows the sns:CreateTopic action' })
    const deleted = await sdkError(sqs(worker).send(new DeleteQueueCommand({ QueueUrl: queue.QueueUrl })))
    assert.equal(deleted.status, 403)
    assert.match(deleted.message, /with an explicit deny in an identity-based policy$/)
    await sns({ accessKeyId: 'test', secretAccessKey: 'test' }).send(new CreateTopicCommand({ Name: 'root-may' }))
  })

  it('a role session is limited by the role policies', async () => {
    const iam = iamClient(nimbus.current)
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'sns-only', AssumeRolePolicyDocument: trustPolicy }))).Role!
    await iam.send(new PutRolePolicyCommand({ RoleName: 'sns-only', PolicyName: 'sns',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sns:*', Resource: 'arn:aws:sns:*:*:*' }] }) }))
    const creds = (await stsClient(nimbus.current).send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 's1' }))).Credentials!
    const session = { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! }
    await sns(session).send(new CreateTopicCommand({ Name: 'by-role' }))
    const denied = await sdkError(sqs(session).send(new CreateQueueCommand({ QueueName: 'by-role' })))
    assert.equal(denied.status, 403)
    assert.match(denied.message, /^User: arn:aws:sts::000000000000:assumed-role\/sns-only\/s1 is not authorized to perform: sqs:CreateQueue/)
  })

  it('AssumeRole follows the role trust policy', async () => {
    const iam = iamClient(nimbus.current)
    await iam.send(new CreateUserCommand({ UserName: 'deployer' }))
    await iam.send(new PutUserPolicyCommand({ UserName: 'deployer', PolicyName: 'assume',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }) }))
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' }))).AccessKey!
    const trust = JSON.stringify({ Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/deployer' }, Action: 'sts:AssumeRole' }] })
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'deployers-only', AssumeRolePolicyDocument: trust }))).Role!
    const out = await stsClient(nimbus.current, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! })
      .send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'd1' }))
    assert.ok(out.Credentials!.AccessKeyId)
    const refused = await sdkError(stsClient(nimbus.current, { accessKeyId: '999988887777', secretAccessKey: 'x' })
      .send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'x1' })))
    assert.deepEqual(refused, { name: 'AccessDenied', code: 'AccessDenied', status: 403,
      message: `User: arn:aws:iam::999988887777:root is not authorized to perform: sts:AssumeRole on resource: ${role.Arn}` })
  })
})
