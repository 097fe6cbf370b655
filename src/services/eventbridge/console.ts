// What the web console shows of EventBridge (services/console-view.ts): buses with their rules, rules
// with their pattern or schedule and targets, putting a test event on a bus through EventBridge's own
// PutEvents, and scheduled rules' next runs on the clock.
import { arnLink, type ConsoleDetail, type ConsoleItem, type ConsoleView, ConsoleError, isoTime, textParam, unknownAction } from '../console-view.ts'
import type { Operation } from '../service.ts'
import type { EventBus } from './event-bus.ts'
import type { Rule } from './rule.ts'
import type { RuleScheduler } from './scheduler.ts'
import type { EventBridgeState } from './store.ts'

type Operations = Readonly<Record<string, Operation<Record<string, unknown>, unknown> | undefined>>

export function eventBridgeConsole(state: EventBridgeState, scheduler: RuleScheduler, operations: Operations): ConsoleView {
  const rules = () => state.allBuses().flatMap((b) => [...b.rules.values()])
  const bus = (id: string) => state.allBuses().find((b) => b.arn === id || b.name === id)
  return {
    list: (type) => (type === 'bus' ? state.allBuses().map(busItem) : type === 'rule' ? rules().map(ruleItem) : []),
    detail: (type, id) => {
      if (type === 'bus') {
        const b = bus(id)
        return b === undefined ? undefined : busDetail(b)
      }
      const rule = type === 'rule' ? rules().find((r) => r.arn === id) : undefined
      return rule === undefined ? undefined : ruleDetail(rule)
    },
    act: (type, id, action, params, ctx) => {
      const b = type === 'bus' ? bus(id) : undefined
      if (b === undefined) throw new ConsoleError('ResourceNotFound', `No event bus ${id}.`, 404)
      if (action !== 'put-event') throw unknownAction(action)
      const detail = params['detail']
      return operations['PutEvents']!({ Entries: [{ EventBusName: b.arn, Source: textParam(params, 'source', 'nimbus.console'),
        DetailType: textParam(params, 'detailType', 'Console test event'),
        Detail: detail === undefined || detail === '' ? '{}' : typeof detail === 'string' ? detail : JSON.stringify(detail) }] }, ctx)
    },
    due: (limit) => scheduler.upcoming().slice(0, limit).map(({ rule, at }) => ({ at, what: `rule ${rule.name} (${rule.spec.schedule?.expression ?? ''}) fires` })),
  }
}

function busItem(b: EventBus): ConsoleItem {
  return { id: b.arn, name: b.name, arn: b.arn, account: b.account, region: b.region,
    fields: { rules: b.rules.size, created: isoTime(b.createdAt) } }
}

function ruleItem(r: Rule): ConsoleItem {
  return { id: r.arn, name: r.name, arn: r.arn, account: r.account, region: r.region,
    fields: { bus: r.busName, state: r.spec.state ?? 'ENABLED', trigger: r.spec.schedule?.expression ?? 'event pattern', targets: r.targets.size } }
}

function busDetail(b: EventBus): ConsoleDetail {
  return {
    item: busItem(b),
    sections: [
      { title: 'Rules', kind: 'table', data: { columns: [{ key: 'name', label: 'Rule' }, { key: 'state', label: 'State' },
        { key: 'trigger', label: 'Trigger' }, { key: 'targets', label: 'Targets' }],
      rows: [...b.rules.values()].map((r) => ({ name: r.name, arn: r.arn, ...ruleItem(r).fields })) } },
      ...(b.policyText() === undefined ? [] : [{ title: 'Resource policy', kind: 'json' as const, data: JSON.parse(b.policyText()!) as unknown }]),
      { title: 'Tags', kind: 'kv', data: Object.fromEntries(b.tags) },
    ],
    links: [...b.rules.values()].map((r) => ({ label: `Rule ${r.name}`, service: 'eventbridge', type: 'rule', id: r.arn })),
    actions: [{ name: 'put-event', label: 'Put an event', params: [{ key: 'source', label: 'Source', kind: 'text' },
      { key: 'detailType', label: 'Detail type', kind: 'text' }, { key: 'detail', label: 'Detail (JSON)', kind: 'json' }] }],
  }
}

function ruleDetail(r: Rule): ConsoleDetail {
  const targets = [...r.targets.values()]
  const pattern = r.spec.eventPattern
  return {
    item: ruleItem(r),
    sections: [
      { title: 'Rule', kind: 'kv', data: { ...r.describe() } },
      ...(pattern === undefined ? [] : [{ title: 'Event pattern', kind: 'json' as const, data: JSON.parse(pattern) as unknown }]),
      { title: 'Targets', kind: 'table', data: { columns: [{ key: 'Id', label: 'Id' }, { key: 'Arn', label: 'ARN' },
        { key: 'DeadLetter', label: 'Dead-letter queue' }],
      rows: targets.map((t) => ({ Id: t.Id, Arn: t.Arn, DeadLetter: t.DeadLetterConfig?.Arn ?? null })) } },
    ],
    links: [
      { label: 'Event bus', service: 'eventbridge', type: 'bus', id: r.arn.replace(/:rule\/(?:[^/]+\/)?[^/]+$/, `:event-bus/${r.busName}`) },
      ...targets.flatMap((t) => arnLink(`Target ${t.Id ?? ''}`, t.Arn ?? '')),
    ],
  }
}
