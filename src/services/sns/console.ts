// What the web console shows of SNS (services/console-view.ts): topics with their subscriptions,
// subscriptions with their filter policies and targets, and publishing a test message through
// SNS's own Publish (its checks, its fan-out, its trace hops).
import {
  arnLink, type ConsoleDetail, type ConsoleItem, type ConsoleView, ConsoleError, textParam, unknownAction,
} from '../console-view.ts'
import type { Operation } from '../service.ts'
import type { SnsState } from './store.ts'
import type { Subscription } from './subscription.ts'
import type { Topic } from './topic.ts'


type Operations = Readonly<Record<string, Operation<Record<string, unknown>, unknown> | undefined>>

export function snsConsole(state: SnsState, operations: Operations): ConsoleView {
  const subscriptions = () => state.allTopics().flatMap((t) => [...t.subscriptions.values()])
  const topic = (id: string) => state.findTopic(id) ?? state.allTopics().find((t) => t.name === id)
  return {
    list: (type) => type === 'topic' ? state.allTopics().map(topicItem) : type === 'subscription' ? subscriptions().map(subscriptionItem) : [],
    detail: (type, id) => {
      if (type === 'topic') {
        const t = topic(id)
        return t === undefined ? undefined : topicDetail(t)
      }
      const sub = type === 'subscription' ? state.findSubscription(id) : undefined
      return sub === undefined ? undefined : subscriptionDetail(sub)
    },
    act: (type, id, action, params, ctx) => {
      const t = type === 'topic' ? topic(id) : undefined
      if (t === undefined) throw new ConsoleError('ResourceNotFound', `No topic ${id}.`, 404)
      if (action !== 'publish') throw unknownAction(action)
      const subject = params['subject']
      return operations['Publish']!({ TopicArn: t.arn, Message: textParam(params, 'message'),
        ...(typeof subject === 'string' && subject !== '' && { Subject: subject }),
        ...(t.fifo && { MessageGroupId: textParam(params, 'groupId', 'console'), MessageDeduplicationId: ctx.requestId }) }, ctx)
    },
  }
}

function topicItem(t: Topic): ConsoleItem {
  return { id: t.arn, name: t.name, arn: t.arn, account: t.account, region: t.region,
    fields: { kind: t.fifo ? 'FIFO' : 'Standard', subscriptions: t.subscriptions.size, displayName: t.attributes['DisplayName'] ?? null } }
}

function subscriptionItem(s: Subscription): ConsoleItem {
  const [, , , region = '', account = ''] = s.arn.split(':')
  return { id: s.arn, name: `${s.protocol}: ${s.endpoint}`, arn: s.arn, account, region,
    fields: { protocol: s.protocol, endpoint: s.endpoint, topic: s.topic.arn.split(':').at(-1) ?? s.topic.arn,
      status: s.pending ? 'pending confirmation' : 'confirmed', filtered: s.attributes['FilterPolicy'] !== undefined } }
}

function topicDetail(t: Topic): ConsoleDetail {
  const subs = [...t.subscriptions.values()]
  return {
    item: topicItem(t),
    sections: [
      { title: 'Attributes', kind: 'kv', data: t.allAttributes() },
      { title: 'Subscriptions', kind: 'table', data: { columns: [{ key: 'protocol', label: 'Protocol' }, { key: 'endpoint', label: 'Endpoint' },
        { key: 'status', label: 'Status' }, { key: 'filterPolicy', label: 'Filter policy' }],
      rows: subs.map((s) => ({ protocol: s.protocol, endpoint: s.endpoint, status: s.pending ? 'pending confirmation' : 'confirmed',
        filterPolicy: s.attributes['FilterPolicy'] ?? null, arn: s.arn })) } },
      { title: 'Tags', kind: 'kv', data: Object.fromEntries(t.tags) },
    ],
    links: subs.flatMap((s) => [{ label: `Subscription ${s.protocol}`, service: 'sns', type: 'subscription', id: s.arn },
      ...arnLink(`${s.protocol} target`, s.endpoint)]),
    actions: [{ name: 'publish', label: 'Publish a message', params: [{ key: 'message', label: 'Message', kind: 'text' },
      { key: 'subject', label: 'Subject', kind: 'text' }] }],
  }
}

function subscriptionDetail(s: Subscription): ConsoleDetail {
  const filter = s.attributes['FilterPolicy']
  return {
    item: subscriptionItem(s),
    sections: [
      { title: 'Attributes', kind: 'kv', data: { SubscriptionArn: s.arn, TopicArn: s.topic.arn, Protocol: s.protocol, Endpoint: s.endpoint,
        Owner: s.owner, PendingConfirmation: String(s.pending), ...s.attributes } },
      ...(filter === undefined ? [] : [{ title: 'Filter policy', kind: 'json' as const, data: parse(filter) }]),
    ],
    links: [{ label: 'Topic', service: 'sns', type: 'topic', id: s.topic.arn }, ...arnLink('Target', s.endpoint)],
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
