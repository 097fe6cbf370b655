// Topics: create (standard, FIFO, idempotent), attributes, listing with pagination, delete, tags
// (aws-behaviour.md §3.1).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateTopicCommand, DeleteTopicCommand, GetTopicAttributesCommand, ListTagsForResourceCommand, ListTopicsCommand,
  SetTopicAttributesCommand, TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-sns'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, snsError } from '../../helpers/sns.ts'

const nimbus = useNimbus()
const sns = () => snsClient(nimbus.current)

describe('SNS topics', () => {
  it('creates a standard topic with AWS default attributes', async () => {
    const name = uniqueName('t')
    const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: name, Attributes: { DisplayName: 'Hello' } }))
    assert.equal(TopicArn, `arn:aws:sns:us-east-1:000000000000:${name}`)
    const { Attributes } = await sns().send(new GetTopicAttributesCommand({ TopicArn }))
    assert.equal(Attributes!.TopicArn, TopicArn)
    assert.equal(Attributes!.Owner, '000000000000')
    assert.equal(Attributes!.DisplayName, 'Hello')
    assert.equal(Attributes!.SubscriptionsConfirmed, '0')
    assert.equal(Attributes!.SubscriptionsPending, '0')
    assert.equal(Attributes!.SubscriptionsDeleted, '0')
    const policy = JSON.parse(Attributes!.Policy!)
    assert.equal(policy.Id, '__default_policy_ID')
    assert.equal(policy.Statement[0].Sid, '__default_statement_ID')
    assert.deepEqual(policy.Statement[0].Condition, { StringEquals: { 'AWS:SourceOwner': '000000000000' } })
    assert.equal(JSON.parse(Attributes!.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy.numRetries, 3)
    assert.equal(Attributes!.FifoTopic, undefined)
  })

  it('is idempotent for the same attributes and refuses different ones or tags', async () => {
    const name = uniqueName('t')
    const first = await sns().send(new CreateTopicCommand({ Name: name, Attributes: { DisplayName: 'a' }, Tags: [{ Key: 'k', Value: 'v' }] }))
    const again = await sns().send(new CreateTopicCommand({ Name: name, Attributes: { DisplayName: 'a' } }))
    assert.equal(again.TopicArn, first.TopicArn)
    const attrs = await snsError(sns().send(new CreateTopicCommand({ Name: name, Attributes: { DisplayName: 'b' } })))
    assert.equal(attrs.code, 'InvalidParameter')
    assert.equal(attrs.message, 'Invalid parameter: Attributes Reason: Topic already exists with different attributes')
    const tags = await snsError(sns().send(new CreateTopicCommand({ Name: name, Tags: [{ Key: 'k', Value: 'other' }] })))
    assert.equal(tags.message, 'Invalid parameter: Tags Reason: Topic already exists with different tags')
  })

  it('creates FIFO topics and checks names', async () => {
    const arn = await createTopic(sns(), { ContentBasedDeduplication: 'true' }, true)
    const { Attributes } = await sns().send(new GetTopicAttributesCommand({ TopicArn: arn }))
    assert.equal(Attributes!.FifoTopic, 'true')
    assert.equal(Attributes!.ContentBasedDeduplication, 'true')
    const badName = await snsError(sns().send(new CreateTopicCommand({ Name: 'has space' })))
    assert.equal(badName.code, 'InvalidParameter')
    assert.equal(badName.message, 'Invalid parameter: Topic Name')
    const fifoWithoutSuffix = await snsError(sns().send(new CreateTopicCommand({ Name: uniqueName('t'), Attributes: { FifoTopic: 'true' } })))
    assert.equal(fifoWithoutSuffix.code, 'InvalidParameter')
  })

  it('sets attributes and rejects unknown ones', async () => {
    const arn = await createTopic(sns())
    await sns().send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'New' }))
    const { Attributes } = await sns().send(new GetTopicAttributesCommand({ TopicArn: arn }))
    assert.equal(Attributes!.DisplayName, 'New')
    const bad = await snsError(sns().send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Nope', AttributeValue: 'x' })))
    assert.equal(bad.message, 'Invalid parameter: AttributeName')
  })

  it('answers NotFound for a missing topic and InvalidParameter for a malformed ARN', async () => {
    const missing = await snsError(sns().send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope' })))
    assert.deepEqual([missing.name, missing.code, missing.message, missing.status], ['NotFoundException', 'NotFound', 'Topic does not exist', 404])
    const malformed = await snsError(sns().send(new GetTopicAttributesCommand({ TopicArn: 'nope' })))
    assert.equal(malformed.message, 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1')
  })

  it('lists topics 100 at a time and deletes them (idempotently)', async () => {
    const client = snsClient(nimbus.current, 'eu-west-1')
    const arns = new Set<string>()
    for (let i = 0; i < 105; i++) {
      const { TopicArn } = await client.send(new CreateTopicCommand({ Name: `page-${i}` }))
      arns.add(TopicArn!)
    }
    const first = await client.send(new ListTopicsCommand({}))
    assert.equal(first.Topics!.length, 100)
    assert.ok(first.NextToken)
    const second = await client.send(new ListTopicsCommand({ NextToken: first.NextToken }))
    assert.equal(second.Topics!.length, 5)
    assert.equal(second.NextToken, undefined)
    assert.deepEqual(new Set([...first.Topics!, ...second.Topics!].map((t) => t.TopicArn)), arns)
    for (const arn of arns) await client.send(new DeleteTopicCommand({ TopicArn: arn }))
    await client.send(new DeleteTopicCommand({ TopicArn: [...arns][0] }))
    assert.equal((await client.send(new ListTopicsCommand({}))).Topics?.length ?? 0, 0)
  })

  it('tags and untags a topic', async () => {
    const arn = await createTopic(sns())
    await sns().send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }))
    await sns().send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }))
    const { Tags } = await sns().send(new ListTagsForResourceCommand({ ResourceArn: arn }))
    assert.deepEqual(Tags, [{ Key: 'b', Value: '2' }])
    const missing = await snsError(sns().send(new ListTagsForResourceCommand({ ResourceArn: `${arn}-gone` })))
    assert.equal(missing.code, 'ResourceNotFound')
  })
})
