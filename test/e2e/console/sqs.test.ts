// The console API over SQS: queues created through the real SDK appear at /_nimbus/api/resources with
// their depth and dead-letter link, a queue's detail peeks messages without receiving them, and the
// actions (send, peek, purge, redrive) act as SQS's own operations do.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { consoleAction, consoleGet, consoleRead } from '../../helpers/console.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { messageCounts, redrivePolicy, standardQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()

describe('console API: SQS', () => {
  it('lists SQS among the services with its columns, and the accounts and regions in use', async () => {
    const body = await consoleRead(nimbus.current, '/_nimbus/api/services')
    const sqs = body.services.find((s: { name: string }) => s.name === 'sqs')
    assert.equal(sqs.label, 'SQS')
    assert.deepEqual(sqs.resourceTypes.map((t: { type: string }) => t.type), ['queue'])
    assert.ok(sqs.resourceTypes[0].columns.some((c: { key: string }) => c.key === 'visible'))
    assert.ok(body.accounts.includes('000000000000'))
    assert.ok(body.regions.includes('us-east-1'))
  })

  it('lists queues with their depth and DLQ, filters by text and region, and details one with its peeked messages', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const dlq = await standardQueue(sqs, {}, 'console-dlq')
    const queue = await standardQueue(sqs, { RedrivePolicy: redrivePolicy(dlq, 2) }, 'console-src')
    await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'hello console', MessageAttributes: {
      colour: { DataType: 'String', StringValue: 'blue' } } })
    await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'second' })
    await sqsClient(nimbus.current, 'json', 'eu-west-1').call('CreateQueue', { QueueName: 'console-elsewhere' })

    const { items } = await consoleRead(nimbus.current, `/_nimbus/api/resources?service=sqs&type=queue&account=000000000000&region=us-east-1&q=console-src`)
    assert.equal(items.length, 1)
    assert.deepEqual(items[0].fields, { kind: 'Standard', visible: 2, inFlight: 0, delayed: 0, deadLetterQueue: dlq.name,
      created: items[0].fields.created })
    assert.equal(items[0].arn, queue.arn)
    const elsewhere = await consoleRead(nimbus.current, '/_nimbus/api/resources?service=sqs&type=queue&region=eu-west-1')
    assert.deepEqual(elsewhere.items.map((i: { name: string }) => i.name), ['console-elsewhere'])

    const detail = await consoleRead(nimbus.current, `/_nimbus/api/resource?service=sqs&type=queue&id=${encodeURIComponent(queue.arn)}`)
    assert.equal(detail.name, queue.name)
    const messages = detail.sections.find((s: { title: string }) => s.title.startsWith('Messages'))
    assert.equal(messages.kind, 'table')
    assert.deepEqual(messages.data.rows.map((r: { body: string; receiveCount: number }) => [r.body, r.receiveCount]), [['hello console', 0], ['second', 0]])
    assert.deepEqual(messages.data.rows[0].attributes, { colour: 'blue' })
    assert.deepEqual(detail.links, [{ label: 'Dead-letter queue', service: 'sqs', type: 'queue', id: dlq.arn }])
    assert.ok(detail.actions.some((a: { name: string }) => a.name === 'peek'))
    assert.equal(detail.charts[0].title, 'Queue depth')
    // Peeking received nothing: both messages are still available to a consumer.
    assert.deepEqual(await messageCounts(sqs, queue.url), { visible: 2, notVisible: 0, delayed: 0 })
  })

  it('sends, peeks and purges through actions; redrives a DLQ back to its source', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const dlq = await standardQueue(sqs, {}, 'console-act-dlq')
    const queue = await standardQueue(sqs, { RedrivePolicy: redrivePolicy(dlq, 1), VisibilityTimeout: '0' }, 'console-act')
    const sent = await consoleAction(nimbus.current, { service: 'sqs', type: 'queue', id: queue.arn, action: 'send', params: { body: 'from the console' } })
    assert.equal(sent.status, 200)
    assert.match(sent.body.result.MessageId, /^[0-9a-f-]{36}$/)
    // The action is on the timeline like an API call, with the message id it made.
    const { entries } = await consoleRead(nimbus.current, `/_nimbus/trace?q=${sent.body.result.MessageId}`)
    assert.deepEqual(entries.map((e: { operation: string; resource: string; status: number }) => [e.operation, e.resource, e.status]),
      [['console:send', queue.arn, 200]])
    const peek = await consoleAction(nimbus.current, { service: 'sqs', type: 'queue', id: queue.arn, action: 'peek', params: { max: 5 } })
    assert.deepEqual(peek.body.result.messages.map((m: { body: string; messageId: string }) => [m.body, m.messageId]),
      [['from the console', sent.body.result.MessageId]])
    // Received once, then moved to the DLQ on the next receive (maxReceiveCount 1).
    await sqs.call('ReceiveMessage', { QueueUrl: queue.url })
    await sqs.call('ReceiveMessage', { QueueUrl: queue.url })
    assert.equal((await messageCounts(sqs, dlq.url)).visible, 1)
    const redrive = await consoleAction(nimbus.current, { service: 'sqs', type: 'queue', id: dlq.arn, action: 'redrive' })
    assert.equal(redrive.status, 200)
    assert.ok(redrive.body.result.TaskHandle)
    nimbus.current.clock.advance(1000)
    assert.equal((await messageCounts(sqs, queue.url)).visible, 1)
    const purge = await consoleAction(nimbus.current, { service: 'sqs', type: 'queue', id: queue.arn, action: 'purge' })
    assert.equal(purge.status, 200)
    assert.equal((await messageCounts(sqs, queue.url)).visible, 0)
  })

  it('answers a bad request with { error, message }', async () => {
    assert.deepEqual((await consoleGet(nimbus.current, '/_nimbus/api/resources?service=nope&type=queue')).body.error, 'UnknownService')
    assert.equal((await consoleGet(nimbus.current, '/_nimbus/api/resources?service=sqs&type=table')).status, 404)
    assert.equal((await consoleGet(nimbus.current, '/_nimbus/api/resource?service=sqs&type=queue&id=missing')).body.error, 'ResourceNotFound')
    const noBody = await consoleAction(nimbus.current, { service: 'sqs', type: 'queue', id: 'missing', action: 'peek' })
    assert.equal(noBody.status, 404)
    const queue = await standardQueue(sqsClient(nimbus.current, 'json'), {}, 'console-bad')
    const unknown = await consoleAction(nimbus.current, { service: 'sqs', type: 'queue', id: queue.arn, action: 'explode' })
    assert.deepEqual([unknown.status, unknown.body.error], [400, 'UnknownAction'])
    const empty = await consoleAction(nimbus.current, { service: 'sqs', type: 'queue', id: queue.arn, action: 'send', params: { body: '' } })
    assert.deepEqual([empty.status, empty.body.error], [400, 'MissingParameter'])
  })
})
