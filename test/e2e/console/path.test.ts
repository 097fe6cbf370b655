// One event's path, as the console draws it (GET /_nimbus/trace/path): an S3 upload → its notification
// → the SQS message → each Lambda attempt through the event source mapping (failed) → the DLQ; SNS's
// fan-out with a subscription its filter policy kept out; the clock's due list and the live stream.
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { describe, it } from 'node:test'
import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { PublishCommand, SetSubscriptionAttributesCommand } from '@aws-sdk/client-sns'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { consoleAction, consoleGet, consoleRead, type Json } from '../../helpers/console.ts'
import { until } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'
import { s3Client } from '../../helpers/s3.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'
import { redrivePolicy, standardQueue } from '../../helpers/sqs-queues.ts'
import { createBucket, putNotifications, sqs } from '../s3/notification-fixtures.ts'

const nimbus = useNimbus()
const handler = `exports.handler = async (event) => {
  console.log('records: ' + (event.Records ? event.Records.length : 0))
  if (event.Records) throw new Error('cannot handle uploads')
  return { echoed: event }
}`

describe('console: an event\'s path', () => {
  it('draws an S3 upload → SQS → Lambda attempts (failed) → DLQ from the upload\'s trace entry', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = await createBucket(s3, 'path')
    const dlq = await standardQueue(sqs(nimbus.current), {}, 'path-dlq')
    const queue = await standardQueue(sqs(nimbus.current), { RedrivePolicy: redrivePolicy(dlq, 2), VisibilityTimeout: '30' }, 'path-q')
    await putNotifications(s3, Bucket, { QueueConfigurations: [{ QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'] }] })
    await advance(nimbus.current, 0)
    await sqs(nimbus.current).call('PurgeQueue', { QueueUrl: queue.url }) // the test event
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, handler)
    const fnArn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: queue.arn, BatchSize: 1 }))

    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'uploads/cat.jpg', Body: 'meow' }))
    await advance(nimbus.current, 0)
    const upload = (await consoleRead(nimbus.current, `/_nimbus/trace?service=s3&q=${put.$metadata.requestId}`)).entries
      .find((e: Json) => e.operation === 'PutObject')
    assert.deepEqual([upload.resource, upload.detail, upload.status], [Bucket, 'uploads/cat.jpg', 200])
    const path = () => consoleRead(nimbus.current, `/_nimbus/trace/path?seq=${upload.seq}`)
    const attempts = async () => (await path()).edges.filter((e: Json) => e.to === fnArn)
    await until(async () => (await attempts()).length === 1, 'the first attempt')
    await advance(nimbus.current, 30_000)
    await until(async () => (await attempts()).length === 2, 'the second attempt')
    // Received twice (maxReceiveCount 2): the next receive moves it to the DLQ.
    await advance(nimbus.current, 30_000)
    await until(async () => (await path()).edges.some((e: Json) => e.to === dlq.arn), 'the move to the DLQ')

    const graph = await path()
    const edge = (to: string) => graph.edges.filter((e: Json) => e.to === to).map((e: Json) => [e.from, e.outcome, e.attempt ?? null])
    assert.deepEqual(edge(`arn:aws:s3:::${Bucket}`), [['client', 'delivered', null]])
    assert.deepEqual(edge(queue.arn), [[`arn:aws:s3:::${Bucket}`, 'delivered', 1]])
    assert.deepEqual(edge(fnArn), [[queue.arn, 'failed', 1], [queue.arn, 'failed', 2]])
    assert.deepEqual(edge(dlq.arn), [[queue.arn, 'dead-lettered', 2]])
    const labels = graph.nodes.map((n: Json) => n.label)
    for (const label of [Bucket, queue.name, name, dlq.name]) assert.ok(labels.includes(label), label)
    assert.ok(graph.edges.every((e: Json, i: number) => i === 0 || e.seq > graph.edges[i - 1].seq), 'edges in the order they happened')
    // Clicking any hop of the path draws the same graph.
    const fromAttempt = await consoleRead(nimbus.current, `/_nimbus/trace/path?seq=${graph.edges.find((e: Json) => e.to === fnArn).seq}`)
    assert.deepEqual(fromAttempt.edges, graph.edges)
  })

  it('shows a filtered-out SNS subscription, and a Lambda async retry waiting on the clock as pending and due next', async () => {
    const sns = snsClient(nimbus.current)
    const topic = await createTopic(sns)
    const kept = await standardQueue(sqs(nimbus.current), {}, 'path-kept')
    const filtered = await standardQueue(sqs(nimbus.current), {}, 'path-filtered')
    await subscribeQueue(sns, topic, kept.arn)
    const sub = await subscribeQueue(sns, topic, filtered.arn)
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub, AttributeName: 'FilterPolicy', AttributeValue: '{"colour":["red"]}' }))
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topic, Message: 'blue thing' }))
    await advance(nimbus.current, 0)
    const graph = await consoleRead(nimbus.current, `/_nimbus/trace/path?id=${MessageId}`)
    const out = graph.edges.filter((e: Json) => e.from === topic).map((e: Json) => [e.to, e.outcome])
    assert.deepEqual(out.sort(), [[filtered.arn, 'filtered'], [kept.arn, 'delivered']].sort())
    assert.match(graph.edges.find((e: Json) => e.outcome === 'filtered').detail, /filter policy/)

    // An async invoke of a failing function: attempt 1 fails, attempt 2 waits a minute on the clock.
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, 'exports.handler = async () => { throw new Error("nope") }')
    const invoke = await rawRequest(nimbus.current.endpoint, { method: 'POST', path: `/2015-03-31/functions/${name}/invocations`,
      headers: { 'x-amz-invocation-type': 'Event', authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0' },
      body: '{}' })
    assert.equal(invoke.status, 202)
    const requestId = String(invoke.headers['x-amzn-requestid'])
    await advance(nimbus.current, 0)
    await until(async () => (await consoleRead(nimbus.current, `/_nimbus/trace/path?id=${requestId}`)).pending[0]?.attempt === 2, 'the retry armed')
    const retry = await consoleRead(nimbus.current, `/_nimbus/trace/path?id=${requestId}`)
    assert.equal(retry.pending[0].attempt, 2)
    assert.ok(retry.pending[0].at > nimbus.current.clock.now(), JSON.stringify({ retry, now: nimbus.current.clock.now() }))
    assert.deepEqual(retry.edges.map((e: Json) => [e.outcome, e.attempt ?? null]), [['delivered', null], ['retrying', 1]])
    const { due } = await consoleRead(nimbus.current, '/_nimbus/clock/next')
    assert.ok(due.some((d: Json) => d.service === 'lambda' && d.at === retry.pending[0].at && d.what.includes(requestId)))
    assert.ok(due.every((d: Json, i: number) => i === 0 || d.at >= due[i - 1].at), 'soonest first')
  })

  it('invokes a function from the console: its result and its log lines', async () => {
    const name = await createFunction(lambdaClient(nimbus.current), handler)
    const invoked = await consoleAction(nimbus.current, { service: 'lambda', type: 'function', id: name, action: 'invoke',
      params: { payload: { hello: 'console' } } })
    assert.equal(invoked.status, 200)
    assert.deepEqual(JSON.parse(invoked.body.result.payload), { echoed: { hello: 'console' } })
    assert.equal(invoked.body.result.functionError, null)
    assert.ok(invoked.body.result.logs.some((line: string) => line.includes('records: 0')), JSON.stringify(invoked.body.result.logs))
    const detail = await consoleRead(nimbus.current, `/_nimbus/api/resource?service=lambda&type=function&id=${name}`)
    assert.deepEqual(detail.links[0], { label: 'Log group', service: 'logs', type: 'log-group', id: `/aws/lambda/${name}` })
    assert.equal(detail.charts[0].series[0].points.at(-1)[1], 1, 'one invocation this minute')
  })

  it('refuses a path without seq or id, and an unknown seq', async () => {
    assert.equal((await consoleGet(nimbus.current, '/_nimbus/trace/path')).body.error, 'MissingParameter')
    assert.equal((await consoleGet(nimbus.current, '/_nimbus/trace/path?seq=999999999')).status, 404)
  })

  it('streams trace entries and clock moves as server-sent events', async () => {
    const events: string[] = []
    const req = request(new URL('/_nimbus/events', nimbus.current.endpoint))
    const opened = new Promise<void>((resolve) => req.on('response', (res) => {
      assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8')
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => events.push(chunk))
      resolve()
    }))
    req.end()
    await opened
    await until(() => events.join('').includes('event: clock'), 'the clock at once')
    await rawRequest(nimbus.current.endpoint, { method: 'POST', path: '/_nimbus/clock', headers: jsonHeaders, body: '{"advanceMs":60000}' })
    await standardQueue(sqs(nimbus.current), {}, 'streamed')
    await until(() => /event: trace\ndata: .*"operation":"CreateQueue"/.test(events.join('')), 'the CreateQueue entry', 5000)
    await until(() => events.join('').split('event: clock').length >= 3, 'the moved clock', 5000)
    req.destroy()
  })
})
