// Under `enforceIam`: a resource policy that denies kinesis:* to everyone refuses the owner account's
// root user too — except Put/Get/DeleteResourcePolicy, which the API reference requires permissions
// for only of "an identity other than the root user of the AWS account that owns the resource". So the
// root can always read, replace or delete such a policy; the account's IAM users stay denied.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam'
import {
  DeleteResourcePolicyCommand, GetResourcePolicyCommand, KinesisClient, PutRecordCommand, PutResourcePolicyCommand, RegisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
} from '@aws-sdk/client-kinesis'
import { iamClient } from '../../helpers/iam.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus({ enforceIam: true })
const document = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements })
const denyAll = (resource: string) => document({ Effect: 'Deny', Principal: '*', Action: 'kinesis:*', Resource: resource })

/** An IAM user of the owner account allowed kinesis:* by its identity policy. */
async function admin(name: string): Promise<KinesisClient> {
  const iam = iamClient(nimbus.current)
  await iam.send(new CreateUserCommand({ UserName: name }))
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'kinesis',
    PolicyDocument: document({ Effect: 'Allow', Action: 'kinesis:*', Resource: '*' }) }))
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!
  return new KinesisClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } })
}

describe('a Deny of kinesis:* in a resource policy', () => {
  it("refuses the root everything but managing the policy; the account's users stay locked out", async () => {
    const root = kinesisClient(nimbus.current)
    const user = await admin('stream-admin')
    const name = await activeStream(nimbus.current, root)
    const arn = streamArn(name)
    await root.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: denyAll(arn) }))

    const put = await sdkError(root.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') })))
    assert.deepEqual(put, { name: 'AccessDeniedException', status: 403, message: `User: arn:aws:iam::000000000000:root is not authorized to ` +
      `perform: kinesis:PutRecord on resource: ${arn} with an explicit deny in a resource-based policy` })
    for (const call of [
      () => user.send(new GetResourcePolicyCommand({ ResourceARN: arn })),
      () => user.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: document({ Effect: 'Allow', Principal: '*', Action: 'kinesis:*',
        Resource: arn }) })),
      () => user.send(new DeleteResourcePolicyCommand({ ResourceARN: arn })),
    ]) {
      const refused = await sdkError(call())
      assert.equal(refused.name, 'AccessDeniedException')
      assert.match(refused.message, /^User: arn:aws:iam::000000000000:user\/stream-admin .* with an explicit deny in a resource-based policy$/)
    }

    // The root reads it, replaces it, deletes it — and can then use its stream again.
    assert.equal((await root.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, denyAll(arn))
    const narrower = document({ Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::000000000000:user/stream-admin' }, Action: 'kinesis:*', Resource: arn })
    await root.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: narrower }))
    await root.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') }))
    await root.send(new DeleteResourcePolicyCommand({ ResourceARN: arn }))
    await user.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') }))
  })

  it("the same on a consumer's policy", async () => {
    const root = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, root)
    const { Consumer } = await root.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'c' }))
    await advance(nimbus.current, 500)
    const arn = Consumer!.ConsumerARN!
    await root.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: denyAll(arn) }))
    assert.equal((await sdkError(root.send(new DescribeStreamConsumerCommand({ ConsumerARN: arn })))).name, 'AccessDeniedException')
    assert.equal((await root.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, denyAll(arn))
    await root.send(new DeleteResourcePolicyCommand({ ResourceARN: arn }))
    assert.equal((await root.send(new DescribeStreamConsumerCommand({ ConsumerARN: arn }))).ConsumerDescription!.ConsumerStatus, 'ACTIVE')
  })
})
