// DLQ redrive with StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask: errors, where
// messages go, pacing on the clock, task status (aws-behaviour.md §1.15), over both wire protocols.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols, type SqsTestClient } from '../../helpers/sqs-clients.ts'
import { messageCounts, receiveAll, redrivePolicy, standardQueue, type TestQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()

/** A source queue (maxReceiveCount 1) whose messages `bodies` have been dead-lettered into `dlq`. */
async function deadLettered(sqs: SqsTestClient, dlq: TestQueue, bodies: string[]): Promise<TestQueue> {
  const source = await standardQueue(sqs, { RedrivePolicy: redrivePolicy(dlq, 1) })
  for (const body of bodies) await sqs.call('SendMessage', { QueueUrl: source.url, MessageBody: body })
  while ((await receiveAll(sqs, source.url, { VisibilityTimeout: 0 })).length > 0);
  return source
}

const sortedBodies = async (sqs: SqsTestClient, url: string) => (await receiveAll(sqs, url)).map((m) => m.Body).sort()

async function latestTask(sqs: SqsTestClient, sourceArn: string) {
  const { Results } = await sqs.call('ListMessageMoveTasks', { SourceArn: sourceArn })
  assert.equal(Results.length, 1)
  return Results[0]
}

for (const protocol of sqsProtocols) {
  describe(`StartMessageMoveTask errors over ${protocol}`, () => {
    it('requires the source to be a dead-letter queue and both queues to exist', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const plain = await standardQueue(sqs)
      const notDlq = await sqs.fail('StartMessageMoveTask', { SourceArn: plain.arn })
      assert.equal(notDlq.code, 'InvalidParameterValue')
      assert.equal(notDlq.message, 'Source queue must be configured as a Dead Letter Queue.')

      const missingSource = await sqs.fail('StartMessageMoveTask', { SourceArn: plain.arn.replace(/[^:]+$/, 'no-such-dlq') })
      assert.equal(missingSource.code, 'ResourceNotFoundException')
      assert.equal(missingSource.message, "The resource that you specified for the SourceArn parameter doesn't exist.")

      const dlq = await standardQueue(sqs, {}, 'dlq')
      await deadLettered(sqs, dlq, ['x'])
      const missingDestination = await sqs.fail('StartMessageMoveTask', {
        SourceArn: dlq.arn, DestinationArn: plain.arn.replace(/[^:]+$/, 'no-such-destination'),
      })
      assert.equal(missingDestination.code, 'ResourceNotFoundException')
      assert.equal(missingDestination.message, "The resource that you specified for the DestinationArn parameter doesn't exist.")
    })

    it('allows one running task per source queue', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const dlq = await standardQueue(sqs, {}, 'dlq')
      await deadLettered(sqs, dlq, ['a', 'b', 'c'])
      await sqs.call('StartMessageMoveTask', { SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 1 })
      const second = await sqs.fail('StartMessageMoveTask', { SourceArn: dlq.arn })
      assert.equal(second.code, 'InvalidParameterValue')
      assert.equal(second.message, 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.')
      await advance(nimbus.current, 2_000)
      assert.equal((await latestTask(sqs, dlq.arn)).Status, 'COMPLETED')
      await sqs.call('StartMessageMoveTask', { SourceArn: dlq.arn })
    })
  })

  describe(`Message move tasks over ${protocol}`, () => {
    it('returns each message to the queue it was dead-lettered from when no DestinationArn is given', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const dlq = await standardQueue(sqs, {}, 'dlq')
      const first = await deadLettered(sqs, dlq, ['a1', 'a2'])
      const second = await deadLettered(sqs, dlq, ['b1'])
      assert.equal((await messageCounts(sqs, dlq.url)).visible, 3)
      const { TaskHandle } = await sqs.call('StartMessageMoveTask', { SourceArn: dlq.arn })
      assert.equal(typeof TaskHandle, 'string')
      await advance(nimbus.current, 1_000)
      assert.deepEqual(await sortedBodies(sqs, first.url), ['a1', 'a2'])
      assert.deepEqual(await sortedBodies(sqs, second.url), ['b1'])
      assert.equal((await messageCounts(sqs, dlq.url)).visible, 0)
      const task = await latestTask(sqs, dlq.arn)
      assert.equal(task.Status, 'COMPLETED')
      assert.equal(task.DestinationArn, undefined)
      assert.equal(Number(task.ApproximateNumberOfMessagesMoved), 3)
    })

    it('moves to DestinationArn when one is given', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const dlq = await standardQueue(sqs, {}, 'dlq')
      const source = await deadLettered(sqs, dlq, ['m1', 'm2'])
      const elsewhere = await standardQueue(sqs)
      await sqs.call('StartMessageMoveTask', { SourceArn: dlq.arn, DestinationArn: elsewhere.arn })
      await advance(nimbus.current, 1_000)
      assert.deepEqual(await sortedBodies(sqs, elsewhere.url), ['m1', 'm2'])
      assert.deepEqual(await receiveAll(sqs, source.url), [])
      assert.equal((await latestTask(sqs, dlq.arn)).DestinationArn, elsewhere.arn)
    })

    it('paces the move at MaxNumberOfMessagesPerSecond and reports progress until COMPLETED', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const dlq = await standardQueue(sqs, {}, 'dlq')
      await deadLettered(sqs, dlq, ['1', '2', '3', '4', '5'])
      const destination = await standardQueue(sqs)
      const startedAt = nimbus.current.clock.now()
      const { TaskHandle } = await sqs.call('StartMessageMoveTask', {
        SourceArn: dlq.arn, DestinationArn: destination.arn, MaxNumberOfMessagesPerSecond: 2,
      })
      const running = await latestTask(sqs, dlq.arn)
      assert.equal(running.Status, 'RUNNING')
      assert.equal(running.TaskHandle, TaskHandle)
      assert.equal(running.SourceArn, dlq.arn)
      assert.equal(running.DestinationArn, destination.arn)
      assert.equal(Number(running.MaxNumberOfMessagesPerSecond), 2)
      assert.equal(Number(running.ApproximateNumberOfMessagesToMove), 5)
      assert.equal(Number(running.StartedTimestamp), startedAt)

      const progress: number[] = []
      for (let second = 0; second < 3; second++) {
        progress.push((await messageCounts(sqs, destination.url)).visible)
        await advance(nimbus.current, 1_000)
      }
      assert.deepEqual(progress, [2, 4, 5])
      const done = await latestTask(sqs, dlq.arn)
      assert.equal(done.Status, 'COMPLETED')
      assert.equal(Number(done.ApproximateNumberOfMessagesMoved), 5)
      assert.equal(done.TaskHandle, undefined)
    })
  })

  describe(`CancelMessageMoveTask over ${protocol}`, () => {
    it('cancels a running task, which then moves nothing more', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const dlq = await standardQueue(sqs, {}, 'dlq')
      await deadLettered(sqs, dlq, ['1', '2', '3', '4'])
      const destination = await standardQueue(sqs)
      const { TaskHandle } = await sqs.call('StartMessageMoveTask', {
        SourceArn: dlq.arn, DestinationArn: destination.arn, MaxNumberOfMessagesPerSecond: 1,
      })
      const cancelled = await sqs.call('CancelMessageMoveTask', { TaskHandle })
      assert.equal(Number(cancelled.ApproximateNumberOfMessagesMoved), 1)
      await advance(nimbus.current, 5_000)
      assert.equal((await messageCounts(sqs, destination.url)).visible, 1)
      assert.equal((await messageCounts(sqs, dlq.url)).visible, 3)
      assert.ok(['CANCELLING', 'CANCELLED'].includes((await latestTask(sqs, dlq.arn)).Status))
    })

    it('rejects a malformed handle and an unknown task with AWS wording', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const bad = await sqs.fail('CancelMessageMoveTask', { TaskHandle: 'not-a-handle' })
      assert.equal(bad.code, 'InvalidParameterValue')
      assert.equal(bad.message, 'Value for parameter TaskHandle is invalid.')

      // A well-formed handle naming a task that never existed (same shape as a real one).
      const dlq = await standardQueue(sqs, {}, 'dlq')
      await deadLettered(sqs, dlq, ['x'])
      const { TaskHandle } = await sqs.call('StartMessageMoveTask', { SourceArn: dlq.arn })
      const decoded = JSON.parse(Buffer.from(TaskHandle, 'base64').toString('utf8'))
      const unknownHandle = Buffer.from(JSON.stringify({ ...decoded, taskId: 'c0ffee00-0000-4000-8000-000000000000' })).toString('base64')
      const unknown = await sqs.fail('CancelMessageMoveTask', { TaskHandle: unknownHandle })
      assert.equal(unknown.code, 'ResourceNotFoundException')
      assert.equal(unknown.message, 'Task does not exist.')
    })
  })
}
