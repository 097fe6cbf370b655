// Publish and PublishBatch validation with AWS's codes and wording (aws-behaviour.md §3.2).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, snsError } from '../../helpers/sns.ts'

const nimbus = useNimbus()
const sns = () => snsClient(nimbus.current)

describe('SNS bad input', () => {
  it('answers NotFound for an unknown topic', async () => {
    const error = await snsError(sns().send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope', Message: 'x' })))
    assert.deepEqual([error.code, error.message, error.status], ['NotFound', 'Topic does not exist', 404])
  })

  it('refuses oversized and empty messages, counting attributes', async () => {
    const topic = await createTopic(sns())
    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'x'.repeat(262_144) }))
    const big = await snsError(sns().send(new PublishCommand({ TopicArn: topic, Message: 'x'.repeat(262_145) })))
    assert.deepEqual([big.code, big.message], ['InvalidParameter', 'Invalid parameter: Message too long'])
    const withAttribute = await snsError(sns().send(new PublishCommand({
      TopicArn: topic, Message: 'x'.repeat(262_140), MessageAttributes: { a: { DataType: 'String', StringValue: 'abc' } },
    })))
    assert.equal(withAttribute.message, 'Invalid parameter: Message too long')
    const empty = await snsError(sns().send(new PublishCommand({ TopicArn: topic, Message: '' })))
    assert.equal(empty.message, 'Invalid parameter: Empty message')
  })

  it('checks attributes, subjects and MessageStructure', async () => {
    const topic = await createTopic(sns())
    const emptyValue = await snsError(sns().send(new PublishCommand({
      TopicArn: topic, Message: 'x', MessageAttributes: { a: { DataType: 'String', StringValue: '' } },
    })))
    assert.deepEqual([emptyValue.code, emptyValue.message],
      ['ParameterValueInvalid', "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'."])
    const dots = await snsError(sns().send(new PublishCommand({
      TopicArn: topic, Message: 'x', MessageAttributes: { 'a..b': { DataType: 'String', StringValue: 'v' } },
    })))
    assert.equal(dots.message, "Message attribute name can not have successive '.' character.")
    const subject = await snsError(sns().send(new PublishCommand({ TopicArn: topic, Message: 'x', Subject: 'a\nb' })))
    assert.equal(subject.message, 'Invalid parameter: Subject')
    const structure = await snsError(sns().send(new PublishCommand({ TopicArn: topic, Message: '{"sqs": "x"}', MessageStructure: 'json' })))
    assert.equal(structure.message, 'Invalid parameter: Message Structure - No default entry in JSON message body')
    const notJson = await snsError(sns().send(new PublishCommand({ TopicArn: topic, Message: 'nope', MessageStructure: 'json' })))
    assert.equal(notJson.message, 'Invalid parameter: Message Structure - JSON message body failed to parse')
  })

  it('rejects bad batches as a whole', async () => {
    const topic = await createTopic(sns())
    const batch = (entries: { Id: string; Message: string }[]) =>
      snsError(sns().send(new PublishBatchCommand({ TopicArn: topic, PublishBatchRequestEntries: entries })))
    assert.equal((await batch([{ Id: 'a', Message: 'x' }, { Id: 'a', Message: 'y' }])).code, 'BatchEntryIdsNotDistinct')
    assert.equal((await batch(Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'x' })))).code, 'TooManyEntriesInBatchRequest')
    assert.equal((await batch([{ Id: 'bad id!', Message: 'x' }])).code, 'InvalidBatchEntryId')
    assert.equal((await batch([])).code, 'EmptyBatchRequest')
    assert.equal((await batch([{ Id: 'a', Message: 'x'.repeat(200_000) }, { Id: 'b', Message: 'x'.repeat(70_000) }])).code, 'BatchRequestTooLong')
  })
})
