// AddPermission/RemovePermission edit the topic's policy; data protection policies are kept.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AddPermissionCommand, GetDataProtectionPolicyCommand, GetTopicAttributesCommand, PutDataProtectionPolicyCommand,
  RemovePermissionCommand, SetTopicAttributesCommand,
} from '@aws-sdk/client-sns'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, snsError } from '../../helpers/sns.ts'

const nimbus = useNimbus()
const sns = () => snsClient(nimbus.current)

async function statements(topic: string): Promise<{ Sid: string; Principal?: unknown; Action?: unknown; Resource?: string }[]> {
  const { Attributes } = await sns().send(new GetTopicAttributesCommand({ TopicArn: topic }))
  return JSON.parse(Attributes!.Policy!).Statement
}

describe('SNS permissions and data protection policies', () => {
  it('adds and removes labelled statements in the topic policy', async () => {
    const topic = await createTopic(sns())
    await sns().send(new AddPermissionCommand({ TopicArn: topic, Label: 'partner', AWSAccountId: ['111122223333'], ActionName: ['Publish'] }))
    await sns().send(new AddPermissionCommand({ TopicArn: topic, Label: 'both', AWSAccountId: ['111122223333', '444455556666'],
      ActionName: ['Publish', 'Subscribe'] }))
    const added = await statements(topic)
    assert.deepEqual(added.map((s) => s.Sid), ['__default_statement_ID', 'partner', 'both'])
    assert.deepEqual(added[1], { Sid: 'partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'SNS:Publish', Resource: topic })
    assert.deepEqual(added[2]!.Action, ['SNS:Publish', 'SNS:Subscribe'])

    const duplicate = await snsError(sns().send(new AddPermissionCommand({ TopicArn: topic, Label: 'partner',
      AWSAccountId: ['111122223333'], ActionName: ['Publish'] })))
    assert.equal(duplicate.code, 'InvalidParameter')
    const outOfScope = await snsError(sns().send(new AddPermissionCommand({ TopicArn: topic, Label: 'x',
      AWSAccountId: ['111122223333'], ActionName: ['SendMessage'] })))
    assert.equal(outOfScope.code, 'InvalidParameter')

    await sns().send(new RemovePermissionCommand({ TopicArn: topic, Label: 'partner' }))
    assert.deepEqual((await statements(topic)).map((s) => s.Sid), ['__default_statement_ID', 'both'])
    await sns().send(new RemovePermissionCommand({ TopicArn: topic, Label: 'partner' }))
    const missing = await snsError(sns().send(new RemovePermissionCommand({ TopicArn: `${topic}-gone`, Label: 'x' })))
    assert.equal(missing.code, 'NotFound')
  })

  it('refuses policies whose statements are not objects, and takes a single statement object', async () => {
    const topic = await createTopic(sns())
    for (const policy of [{ Statement: 'x' }, { Statement: [null] }, { Statement: [['a']] }]) {
      const error = await snsError(sns().send(new SetTopicAttributesCommand({ TopicArn: topic, AttributeName: 'Policy', AttributeValue: JSON.stringify(policy) })))
      assert.equal(error.code, 'InvalidParameter', JSON.stringify(policy))
    }
    await sns().send(new SetTopicAttributesCommand({ TopicArn: topic, AttributeName: 'Policy',
      AttributeValue: JSON.stringify({ Version: '2012-10-17', Statement: { Sid: 'only', Effect: 'Allow', Principal: '*', Action: 'SNS:Publish', Resource: topic } }) }))
    await sns().send(new AddPermissionCommand({ TopicArn: topic, Label: 'more', AWSAccountId: ['111122223333'], ActionName: ['Publish'] }))
    assert.deepEqual((await statements(topic)).map((s) => s.Sid), ['only', 'more'])
  })

  it('stores a data protection policy and refuses malformed JSON', async () => {
    const topic = await createTopic(sns())
    assert.equal((await sns().send(new GetDataProtectionPolicyCommand({ ResourceArn: topic }))).DataProtectionPolicy ?? '', '')
    const policy = JSON.stringify({ Name: 'p', Description: '', Version: '2021-06-01', Statement: [] })
    await sns().send(new PutDataProtectionPolicyCommand({ ResourceArn: topic, DataProtectionPolicy: policy }))
    assert.equal((await sns().send(new GetDataProtectionPolicyCommand({ ResourceArn: topic }))).DataProtectionPolicy, policy)
    const bad = await snsError(sns().send(new PutDataProtectionPolicyCommand({ ResourceArn: topic, DataProtectionPolicy: '{' })))
    assert.equal(bad.code, 'InvalidParameter')
  })
})
