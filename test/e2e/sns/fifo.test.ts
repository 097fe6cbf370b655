// FIFO topics: MessageGroupId and deduplication, sequence numbers, order kept into a FIFO queue,
// and the signature-free envelope (aws-behaviour.md §3.2, §3.4).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, snsError, subscribeQueue } from '../../helpers/sns.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { fifoQueue, receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()
const sns = () => snsClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current, 'json')

describe('SNS FIFO topics', () => {
  it('delivers to a FIFO queue in order, with the group and deduplication ids', async () => {
    const topic = await createTopic(sns(), {}, true)
    const queue = await fifoQueue(sqs())
    const sub = await subscribeQueue(sns(), topic, queue.arn)
    const sequence: string[] = []
    for (let i = 0; i < 5; i++) {
      const out = await sns().send(new PublishCommand({
        TopicArn: topic, Message: `m${i}`, MessageGroupId: 'g1', MessageDeduplicationId: `d${i}`,
      }))
      assert.match(out.SequenceNumber!, /^\d{20}$/)
      sequence.push(out.SequenceNumber!)
    }
    assert.deepEqual([...sequence].sort(), sequence, 'sequence numbers increase')
    const received = await receiveAll(sqs(), queue.url)
    const envelopes = received.map((m) => JSON.parse(m.Body as string))
    assert.deepEqual(envelopes.map((e) => e.Message), ['m0', 'm1', 'm2', 'm3', 'm4'])
    assert.deepEqual(received.map((m) => m.Attributes.MessageGroupId), ['g1', 'g1', 'g1', 'g1', 'g1'])
    assert.deepEqual(received.map((m) => m.Attributes.MessageDeduplicationId), ['d0', 'd1', 'd2', 'd3', 'd4'])
    assert.deepEqual(Object.keys(envelopes[0]), ['Type', 'MessageId', 'SequenceNumber', 'TopicArn', 'Message', 'Timestamp', 'UnsubscribeURL'])
    assert.equal(envelopes[0].SequenceNumber, sequence[0])
    assert.equal(envelopes[0].UnsubscribeURL, `${nimbus.current.endpoint}/?Action=Unsubscribe&SubscriptionArn=${sub}`)
  })

  it('drops duplicates within five minutes, answering with the first MessageId', async () => {
    const topic = await createTopic(sns(), { ContentBasedDeduplication: 'true' }, true)
    const queue = await fifoQueue(sqs())
    await subscribeQueue(sns(), topic, queue.arn, { RawMessageDelivery: 'true' })
    const first = await sns().send(new PublishCommand({ TopicArn: topic, Message: 'same', MessageGroupId: 'g' }))
    const again = await sns().send(new PublishCommand({ TopicArn: topic, Message: 'same', MessageGroupId: 'g' }))
    assert.equal(again.MessageId, first.MessageId)
    assert.equal(again.SequenceNumber, first.SequenceNumber)
    assert.deepEqual((await receiveAll(sqs(), queue.url)).map((m) => m.Body), ['same'])
  })

  it('also delivers to a standard queue', async () => {
    const topic = await createTopic(sns(), {}, true)
    const queue = await standardQueue(sqs())
    await subscribeQueue(sns(), topic, queue.arn, { RawMessageDelivery: 'true' })
    const out = await sns().send(new PublishBatchCommand({
      TopicArn: topic, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: '1' }],
    }))
    assert.match(out.Successful![0]!.SequenceNumber!, /^\d{20}$/)
    assert.deepEqual((await receiveAll(sqs(), queue.url)).map((m) => m.Body), ['x'])
  })

  it('enforces FIFO publish rules', async () => {
    const fifo = await createTopic(sns(), {}, true)
    const group = await snsError(sns().send(new PublishCommand({ TopicArn: fifo, Message: 'x', MessageDeduplicationId: '1' })))
    assert.equal(group.message, 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics')
    const dedup = await snsError(sns().send(new PublishCommand({ TopicArn: fifo, Message: 'x', MessageGroupId: 'g' })))
    assert.equal(dedup.message, 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly')
    const standard = await createTopic(sns())
    const onStandard = await snsError(sns().send(new PublishCommand({ TopicArn: standard, Message: 'x', MessageDeduplicationId: '1' })))
    assert.equal(onStandard.message,
      'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type')
  })
})
