// Subscription dead-letter queues and independent subscriptions (aws-behaviour.md §3.8, §3.9).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PublishCommand } from '@aws-sdk/client-sns'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()
const sns = () => snsClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current, 'json')

describe('SNS subscription dead-letter queue', () => {
  it('sends what the deleted queue could not take to the DLQ, and the other queue still gets it', async () => {
    const topic = await createTopic(sns())
    const [gone, healthy, dlq] = [await standardQueue(sqs()), await standardQueue(sqs()), await standardQueue(sqs())]
    const sub = await subscribeQueue(sns(), topic, gone.arn, {
      RawMessageDelivery: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    })
    await subscribeQueue(sns(), topic, healthy.arn, { RawMessageDelivery: 'true' })
    await sqs().call('DeleteQueue', { QueueUrl: gone.url })

    await sns().send(new PublishCommand({
      TopicArn: topic, Message: 'lost?', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
    }))
    assert.deepEqual((await receiveAll(sqs(), healthy.url)).map((m) => m.Body), ['lost?'])
    const [dead] = await receiveAll(sqs(), dlq.url)
    assert.ok(dead, 'the DLQ got the message')
    const envelope = JSON.parse(dead.Body as string)
    assert.equal(envelope.Type, 'Notification')
    assert.equal(envelope.Message, 'lost?')
    assert.equal(envelope.UnsubscribeURL, `${nimbus.current.endpoint}/?Action=Unsubscribe&SubscriptionArn=${sub}`)
    assert.deepEqual(dead.MessageAttributes, { k: { DataType: 'String', StringValue: 'v' } })
  })

  it('drops an undeliverable message when there is no DLQ, without failing Publish or the other subscriber', async () => {
    const topic = await createTopic(sns())
    await subscribeQueue(sns(), topic, 'arn:aws:sqs:us-east-1:000000000000:never-created')
    const healthy = await standardQueue(sqs())
    await subscribeQueue(sns(), topic, healthy.arn, { RawMessageDelivery: 'true' })
    const out = await sns().send(new PublishCommand({ TopicArn: topic, Message: 'x' }))
    assert.match(out.MessageId ?? '', /^[0-9a-f-]{36}$/)
    assert.deepEqual((await receiveAll(sqs(), healthy.url)).map((m) => m.Body), ['x'])
  })
})
