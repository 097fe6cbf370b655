// CreateQueue, DeleteQueue, GetQueueUrl, ListQueues, Get/SetQueueAttributes, PurgeQueue, ListDeadLetterSourceQueues.
import type { Operation } from '../../service.ts'
import { sqsErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import { type AttributeCheck, initialAttributes, readOnlyAttributes, validateQueueAttributes } from '../queue-attributes.ts'
import type { Queue } from '../queue.ts'
import { queueUrl, type SqsState } from '../store.ts'
import { checkRange, paginate, requireQueue } from './common.ts'

const queueName = /^[A-Za-z0-9_-]{1,80}$/
const fifoQueueName = /^[A-Za-z0-9_-]{1,75}\.fifo$/

function attributeCheck(state: SqsState, fifo: boolean, creating: boolean, arn: string,
  current?: Readonly<Record<string, string>>): AttributeCheck {
  return {
    fifo, creating, queueArn: arn, current,
    lookup: (target) => {
      const queue = state.findByArn(target)
      return queue === undefined ? undefined : { fifo: queue.fifo, redriveAllow: queue.redriveAllowPolicy }
    },
  }
}

function validateName(name: string, fifo: boolean): void {
  if (fifo ? !fifoQueueName.test(name) : !queueName.test(name)) {
    throw sqsErrors.invalidParameterValue(fifo
      ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
      : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length')
  }
}

export function queueOperations(state: SqsState) {
  const createQueue: Operation<T.CreateQueueRequest, T.CreateQueueResult> = (input, ctx) => {
    const { account, region } = ctx.caller
    const attributes = input.Attributes ?? {}
    const fifo = attributes.FifoQueue === 'true'
    validateName(input.QueueName, fifo)
    const store = state.region(account, region)
    const existing = store.queues.get(input.QueueName)
    const arn = `arn:aws:sqs:${region}:${account}:${input.QueueName}`
    const validated = validateQueueAttributes(attributes, attributeCheck(state, fifo, true, arn))
    delete validated.FifoQueue
    if (existing !== undefined) {
      // Idempotent only when every attribute given matches the queue's current value.
      if (existing.fifo !== fifo && attributes.FifoQueue !== undefined) throw sqsErrors.queueNameExists('FifoQueue')
      for (const [name, value] of Object.entries(validated)) {
        if ((existing.attribute(name) ?? '') !== value) throw sqsErrors.queueNameExists(name)
      }
      return { QueueUrl: queueUrl(existing, ctx.host) }
    }
    if ((store.deletedUntil.get(input.QueueName) ?? 0) > ctx.clock.now()) throw sqsErrors.queueDeletedRecently()
    const queue = state.createQueue(account, region, input.QueueName, fifo, { ...initialAttributes(fifo), ...validated })
    if (input.tags !== undefined) queue.tag(input.tags)
    return { QueueUrl: queueUrl(queue, ctx.host) }
  }

  const deleteQueue: Operation<T.DeleteQueueRequest, void> = (input, ctx) => {
    state.deleteQueue(requireQueue(state, input.QueueUrl, ctx))
  }

  const getQueueUrl: Operation<T.GetQueueUrlRequest, T.GetQueueUrlResult> = (input, ctx) => {
    const account = input.QueueOwnerAWSAccountId ?? ctx.caller.account
    const queue = state.regions.peek(account, ctx.caller.region)?.queues.get(input.QueueName)
    if (queue === undefined) throw sqsErrors.queueDoesNotExist()
    return { QueueUrl: queueUrl(queue, ctx.host) }
  }

  const listQueues: Operation<T.ListQueuesRequest, T.ListQueuesResult> = (input, ctx) => {
    checkRange('MaxResults', input.MaxResults, 1, limits.maxListQueues)
    const prefix = input.QueueNamePrefix ?? ''
    const queues = [...(state.regions.peek(ctx.caller.account, ctx.caller.region)?.queues.values() ?? [])]
      .filter((q) => q.name.startsWith(prefix))
    const { page, next } = paginate(queues, (q) => q.name, input.MaxResults, input.NextToken, limits.maxListQueues)
    return { QueueUrls: page.length > 0 ? page.map((q) => queueUrl(q, ctx.host)) : undefined, NextToken: next }
  }

  const getQueueAttributes: Operation<T.GetQueueAttributesRequest, T.GetQueueAttributesResult> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    const names = input.AttributeNames ?? []
    const all = allAttributes(queue)
    const out: Record<string, string> = {}
    for (const name of names) {
      if (name === 'All') Object.assign(out, all)
      else if (Object.hasOwn(all, name)) out[name] = all[name]!
      else if (!isKnownAttribute(name, queue.fifo)) throw sqsErrors.invalidAttributeName(`Unknown Attribute ${name}.`)
    }
    return { Attributes: Object.keys(out).length > 0 ? out : undefined }
  }

  const setQueueAttributes: Operation<T.SetQueueAttributesRequest, void> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    const check = attributeCheck(state, queue.fifo, false, queue.arn, queue.storedAttributes())
    queue.setAttributes(validateQueueAttributes(input.Attributes, check))
  }

  const purgeQueue: Operation<T.PurgeQueueRequest, void> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    const last = queue.lastPurgeAt
    if (last !== undefined && ctx.clock.now() - last < limits.purgeIntervalMs) throw sqsErrors.purgeQueueInProgress(queue.name)
    queue.purge()
  }

  const listDeadLetterSourceQueues: Operation<T.ListDeadLetterSourceQueuesRequest, T.ListDeadLetterSourceQueuesResult> =
    (input, ctx) => {
      const dlq = requireQueue(state, input.QueueUrl, ctx)
      checkRange('MaxResults', input.MaxResults, 1, limits.maxListQueues)
      const sources = state.allQueues().filter((q) => q.redrivePolicy?.deadLetterTargetArn === dlq.arn)
      const { page, next } = paginate(sources, (q) => q.arn, input.MaxResults, input.NextToken, limits.maxListQueues)
      return { queueUrls: page.map((q) => queueUrl(q, ctx.host)), NextToken: next }
    }

  return {
    CreateQueue: createQueue, DeleteQueue: deleteQueue, GetQueueUrl: getQueueUrl, ListQueues: listQueues,
    GetQueueAttributes: getQueueAttributes, SetQueueAttributes: setQueueAttributes, PurgeQueue: purgeQueue,
    ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  }
}

function allAttributes(queue: Queue): Record<string, string> {
  const counts = queue.counts()
  return {
    ...queue.storedAttributes(),
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.lastModifiedAt / 1000)),
  }
}

const optionalAttributes = ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds']

/** Known attributes that are simply not set on this queue are left out, not rejected. */
function isKnownAttribute(name: string, fifo: boolean): boolean {
  if (optionalAttributes.includes(name) || (readOnlyAttributes as readonly string[]).includes(name)) return true
  return fifo && ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'].includes(name)
}

