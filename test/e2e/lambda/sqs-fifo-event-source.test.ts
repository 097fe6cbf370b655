// SQS FIFO → Lambda: a failing message blocks its own group (and only its group) until the queue's
// redrive policy moves it to the FIFO DLQ; then the group carries on in order (aws-behaviour.md §1.11, §2.9).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, watchFunctionLog } from '../../helpers/function-log.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { fifoQueue, messageCounts, receiveAll, redrivePolicy } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()

describe('SQS FIFO event source mapping', () => {
  it('one failure blocks its group until the DLQ takes it; the other group keeps flowing; then order resumes', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const lambda = lambdaClient(nimbus.current)
    const dlq = await fifoQueue(sqs)
    const queue = await fifoQueue(sqs, {
      ContentBasedDeduplication: 'true', VisibilityTimeout: '30', RedrivePolicy: redrivePolicy(dlq, 2),
    })
    const name = await createFunction(lambda, `
      exports.handler = async (event) => {
        for (const record of event.Records) {
          console.log('RECORD ' + JSON.stringify(record))
          if (record.body === 'A1') throw new Error('A1 always fails')
        }
      }`)
    const log = watchFunctionLog(nimbus.current, name)
    const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: queue.arn, BatchSize: 1 }))
    assert.equal(created.BatchSize, 1)
    const send = async (body: string) => sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: body, MessageGroupId: body[0] })
    const bodies = (group: string) => log.tagged('RECORD').filter((r) => r.attributes.MessageGroupId === group).map((r) => r.body)

    // A1 fails and stays in flight (visibility timeout 30 s), locking group A.
    await send('A1')
    await log.waitFor('REPORT RequestId', 1)
    await settle()
    // Lambda backs off a little after a failed batch; one second of clock time is well inside the visibility timeout.
    await advance(nimbus.current, 1_000)
    for (const body of ['B1', 'A2', 'B2', 'A3', 'B3']) await send(body)

    // Group B drains in order meanwhile; A2 and A3 wait behind A1.
    await log.waitFor('REPORT RequestId', 4)
    await settle()
    assert.deepEqual(bodies('B'), ['B1', 'B2', 'B3'])
    assert.deepEqual(bodies('A'), ['A1'])
    const a1 = log.tagged('RECORD')[0]
    assert.equal(a1.body, 'A1')
    assert.equal(a1.attributes.MessageGroupId, 'A')
    assert.match(a1.attributes.SequenceNumber, /^\d+$/)
    assert.match(a1.attributes.MessageDeduplicationId, /^[0-9a-f]{64}$/, 'content-based: SHA-256 of the body')
    assert.equal(a1.attributes.ApproximateReceiveCount, '1')

    // After the visibility timeout A1 is retried (receive 2) and fails again; A2 still waits behind it.
    await advance(nimbus.current, 29_000)
    await log.waitFor('REPORT RequestId', 5)
    await settle()
    assert.deepEqual(bodies('A'), ['A1', 'A1'])
    assert.equal(log.tagged('RECORD').at(-1).attributes.ApproximateReceiveCount, '2')

    // The next receive moves A1 to the DLQ (maxReceiveCount 2); group A then flows in order.
    await advance(nimbus.current, 30_000)
    await log.waitFor('REPORT RequestId', 7)
    await settle()
    assert.deepEqual(bodies('A'), ['A1', 'A1', 'A2', 'A3'])
    assert.deepEqual(await messageCounts(sqs, queue.url), { visible: 0, notVisible: 0, delayed: 0 })
    const dead = await receiveAll(sqs, dlq.url)
    assert.deepEqual(dead.map((m) => [m.Body, m.Attributes?.MessageGroupId]), [['A1', 'A']])
    log.stop()
  })
})
