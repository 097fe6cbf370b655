// The delivery fabric's trace log end to end: an S3 upload fanned out through SNS to two SQS queues
// shows its hops in order at GET /_nimbus/trace and on the Nimbus handle, linked by the ids each
// target gave (the SNS message id, the SQS message ids).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { PublishCommand } from '@aws-sdk/client-sns'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { until } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { s3Client } from '../../helpers/s3.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'
import { receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'
import { createBucket, putNotifications, sqs } from '../s3/notification-fixtures.ts'

const nimbus = useNimbus()

interface Hop { at: number; source: string; target: string; id: string; outcome: string; attempt: number; ref?: string }

async function trace(query = ''): Promise<{ status: number; body: { hops: Hop[]; total: number; capacity: number } }> {
  const response = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/_nimbus/trace${query}` })
  return { status: response.status, body: JSON.parse(response.body) as { hops: Hop[]; total: number; capacity: number } }
}

describe('fabric trace log', () => {
  it('shows an S3 upload → SNS → SQS fan-out hop by hop, in order', async () => {
    const s3 = s3Client(nimbus.current)
    const sns = snsClient(nimbus.current)
    const Bucket = await createBucket(s3)
    const topic = await createTopic(sns)
    const queues = [await standardQueue(sqs(nimbus.current)), await standardQueue(sqs(nimbus.current))]
    for (const q of queues) await subscribeQueue(sns, topic, q.arn)
    await putNotifications(s3, Bucket, { TopicConfigurations: [{ TopicArn: topic, Events: ['s3:ObjectCreated:*'] }] })
    await advance(nimbus.current, 0)
    for (const q of queues) await receiveAll(sqs(nimbus.current), q.url) // the test event, fanned out
    const before = (await trace()).body.total

    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'photos/cat.jpg', Body: 'meow' }))
    await advance(nimbus.current, 0)
    const { status, body } = await trace()
    assert.equal(status, 200)
    assert.equal(body.total - before, 3)
    const [toTopic, ...toQueues] = body.hops.slice(-3)
    assert.deepEqual({ ...toTopic, ref: undefined }, { at: nimbus.current.clock.now(), source: `arn:aws:s3:::${Bucket}`, target: topic,
      id: put.$metadata.requestId, outcome: 'delivered', attempt: 1, ref: undefined })
    assert.ok(toTopic!.ref, 'SNS answered with its message id')
    // SNS's hops carry the message id S3's hop was answered with; each names the SQS message it made.
    assert.deepEqual(toQueues.map((h) => [h.source, h.target, h.id, h.outcome, h.attempt]),
      queues.map((q) => [topic, q.arn, toTopic!.ref, 'delivered', 1]))
    for (const [i, q] of queues.entries()) {
      const [message] = await receiveAll(sqs(nimbus.current), q.url)
      assert.equal(toQueues[i]!.ref, message?.MessageId)
    }
    assert.deepEqual(nimbus.current.trace(3), body.hops.slice(-3), 'the handle reads the same log')
  })

  it('follows a message on through an event source mapping: the queue → function hop carries the SQS message id', async () => {
    const sns = snsClient(nimbus.current)
    const topic = await createTopic(sns)
    const queue = await standardQueue(sqs(nimbus.current))
    await subscribeQueue(sns, topic, queue.arn)
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, 'exports.handler = async () => {}')
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: queue.arn, BatchSize: 1 }))
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topic, Message: 'onwards' }))
    await advance(nimbus.current, 0)
    const toFunction = () => nimbus.current.trace().filter((h) => h.source === queue.arn)
    await until(() => toFunction().length > 0, 'the mapping\'s hop')
    const toQueue = nimbus.current.trace().find((h) => h.source === topic && h.id === MessageId)
    assert.deepEqual(toFunction().map((h) => [h.target, h.id, h.outcome, h.attempt]),
      [[`arn:aws:lambda:us-east-1:000000000000:function:${name}`, toQueue?.ref, 'delivered', 1]])
  })

  it('reads the newest hops with ?limit= and refuses a bad limit', async () => {
    const all = await trace()
    const last = await trace('?limit=1')
    assert.deepEqual(last.body.hops, all.body.hops.slice(-1))
    assert.equal(last.body.capacity, 10_000)
    assert.equal((await trace('?limit=0')).body.hops.length, 0)
    const bad = await trace('?limit=-3')
    assert.equal(bad.status, 400)
    const post = await rawRequest(nimbus.current.endpoint, { method: 'POST', path: '/_nimbus/trace', headers: { 'content-type': 'application/json' } })
    assert.equal(post.status, 405)
  })
})
