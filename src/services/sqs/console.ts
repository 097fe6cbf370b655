// What the web console shows of SQS (services/console-view.ts): queues with their depth and
// dead-letter links, messages peeked without receiving them, and actions that run SQS's own
// operations (send, purge, redrive), so their checks and errors are AWS's.
import {
  type ConsoleCatalog, type ConsoleDetail, type ConsoleItem, type ConsoleView, ConsoleError, isoTime, numberParam, textParam, unknownAction,
} from '../console-view.ts'
import type { Operation, OperationContext } from '../service.ts'
import type { Message } from './message.ts'
import type { Queue } from './queue.ts'
import { queueUrl, type SqsState } from './store.ts'

export const sqsConsoleCatalog: ConsoleCatalog = {
  label: 'SQS',
  resourceTypes: [{
    type: 'queue', label: 'Queues',
    columns: [{ key: 'kind', label: 'Type' }, { key: 'visible', label: 'Available' }, { key: 'inFlight', label: 'In flight' },
      { key: 'delayed', label: 'Delayed' }, { key: 'deadLetterQueue', label: 'Dead-letter queue' }, { key: 'created', label: 'Created' }],
  }],
}

type Operations = Readonly<Record<string, Operation<Record<string, unknown>, unknown> | undefined>>

export function sqsConsole(state: SqsState, operations: Operations): ConsoleView {
  const find = (id: string) => state.findByArn(id) ?? state.allQueues().find((q) => q.name === id || id.endsWith(`/${q.identity.account}/${q.name}`))
  const run = (name: string, input: Record<string, unknown>, ctx: OperationContext) => operations[name]!(input, ctx)
  return {
    list: (type) => (type === 'queue' ? state.allQueues().map((q) => item(q)) : []),
    detail: (type, id) => {
      const queue = type === 'queue' ? find(id) : undefined
      return queue === undefined ? undefined : detail(queue, state)
    },
    // A delayed or in-flight message turns visible (or the oldest expires) then, unasked.
    due: (limit) => state.allQueues().flatMap((q) => {
      const at = q.counts().nextChangeAt
      return at === undefined ? [] : [{ at, what: `queue ${q.name}: a hidden message turns visible or one expires` }]
    }).sort((a, b) => a.at - b.at).slice(0, limit),
    act: (type, id, action, params, ctx) => {
      const queue = type === 'queue' ? find(id) : undefined
      if (queue === undefined) throw new ConsoleError('ResourceNotFound', `No queue ${id}.`, 404)
      const QueueUrl = queueUrl(queue, ctx.host)
      switch (action) {
        case 'peek': return { messages: queue.peek(numberParam(params, 'max', 20, 1, 1000)).map((m) => peeked(m, ctx.clock.now())) }
        case 'send': return run('SendMessage', { QueueUrl, MessageBody: textParam(params, 'body'),
          ...(queue.fifo && { MessageGroupId: textParam(params, 'groupId', 'console'), MessageDeduplicationId: textParam(params, 'dedupId', ctx.requestId) }),
          ...(params['delaySeconds'] !== undefined && params['delaySeconds'] !== '' && { DelaySeconds: numberParam(params, 'delaySeconds', 0, 0, 900) }) }, ctx)
        case 'purge': return run('PurgeQueue', { QueueUrl }, ctx)
        // Redrive: messages go back to the queues they were dead-lettered from (StartMessageMoveTask without a destination).
        case 'redrive': return run('StartMessageMoveTask', { SourceArn: queue.arn }, ctx)
        default: throw unknownAction(action)
      }
    },
  }
}

function item(queue: Queue): ConsoleItem {
  const counts = queue.counts()
  const dlq = queue.redrivePolicy?.deadLetterTargetArn
  return {
    id: queue.arn, name: queue.name, arn: queue.arn, account: queue.identity.account, region: queue.identity.region,
    fields: { kind: queue.fifo ? 'FIFO' : 'Standard', visible: counts.visible, inFlight: counts.notVisible, delayed: counts.delayed,
      deadLetterQueue: dlq === undefined ? null : (dlq.split(':').at(-1) ?? dlq), created: isoTime(queue.createdAt) },
  }
}

function detail(queue: Queue, state: SqsState): ConsoleDetail {
  const now = state.clock.now()
  const messages = queue.peek(50).map((m) => peeked(m, now))
  const sources = state.allQueues().filter((q) => q.redrivePolicy?.deadLetterTargetArn === queue.arn)
  const dlq = queue.redrivePolicy?.deadLetterTargetArn
  return {
    item: item(queue),
    sections: [
      { title: 'Attributes', kind: 'kv', data: { QueueArn: queue.arn, ...queue.storedAttributes() } },
      { title: 'Messages (peeked, not received)', kind: 'table', data: { columns: [{ key: 'messageId', label: 'Message id' },
        { key: 'body', label: 'Body' }, { key: 'receiveCount', label: 'Receives' }, { key: 'state', label: 'State' },
        { key: 'sent', label: 'Sent' }], rows: messages } },
      { title: 'Tags', kind: 'kv', data: { ...queue.tags } },
    ],
    links: [
      ...(dlq === undefined ? [] : [{ label: 'Dead-letter queue', service: 'sqs', type: 'queue', id: dlq }]),
      ...sources.map((q) => ({ label: `Dead-letter queue of ${q.name}`, service: 'sqs', type: 'queue', id: q.arn })),
    ],
    actions: [
      { name: 'peek', label: 'Peek messages', params: [{ key: 'max', label: 'How many', kind: 'number' }] },
      { name: 'send', label: 'Send a test message', params: [{ key: 'body', label: 'Body', kind: 'text' },
        ...(queue.fifo ? [{ key: 'groupId', label: 'Message group id', kind: 'text' as const }]
          : [{ key: 'delaySeconds', label: 'Delay (seconds)', kind: 'number' as const }])] },
      { name: 'purge', label: 'Purge', params: [] },
      ...(sources.length === 0 ? [] : [{ name: 'redrive', label: 'Redrive to source queues', params: [] }]),
    ],
    charts: charts(queue, now),
  }
}

/** A message as the console's peek shows it (the attributes SQS would return, and where it stands). */
function peeked(m: Message, now: number): Record<string, unknown> {
  const state = m.visibleAt <= now ? 'available' : m.receiveCount > 0 ? 'in flight' : 'delayed'
  return {
    messageId: m.id, body: m.body, receiveCount: m.receiveCount, state, sent: isoTime(m.sentAt),
    attributes: Object.fromEntries(Object.entries(m.attributes ?? {}).map(([k, v]) => [k, v.StringValue ?? v.BinaryValue ?? null])),
    ...(m.groupId !== undefined && { groupId: m.groupId }), ...(m.deadLetterSourceArn !== undefined && { deadLetterSourceArn: m.deadLetterSourceArn }),
  }
}

/** Depth over clock time from the queue's metric samples (one a minute at most), and sends/receives per minute. */
function charts(queue: Queue, now: number): ConsoleDetail['charts'] {
  const { gauges, buckets } = queue.metrics
  const counts = queue.counts()
  const recent = gauges.slice(-120)
  return [
    { title: 'Queue depth', series: [
      { label: 'Available', points: [...recent.map((g) => [g.t, g.visible] as [number, number]), [now, counts.visible]] },
      { label: 'In flight', points: [...recent.map((g) => [g.t, g.notVisible] as [number, number]), [now, counts.notVisible]] },
    ] },
    { title: 'Messages per minute', series: [
      { label: 'Sent', points: buckets.slice(-120).map((b) => [b.t, b.sent]) },
      { label: 'Received', points: buckets.slice(-120).map((b) => [b.t, b.received]) },
      { label: 'Deleted', points: buckets.slice(-120).map((b) => [b.t, b.deleted]) },
    ] },
  ]
}
