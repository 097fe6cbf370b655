// What the web console shows of CloudWatch Logs (services/console-view.ts): log groups with their
// streams and newest events, and tailing a group (the events after a point, for a live view).
import { type ConsoleDetail, type ConsoleItem, type ConsoleView, ConsoleError, isoTime, numberParam, unknownAction } from '../console-view.ts'
import type { LogGroup } from './log-group.ts'
import type { LogsState } from './store.ts'

/** Events a group's detail shows (the newest). */
const shown = 200

interface TailedEvent {
  at: number
  message: string
  stream: string
  /** Ingestion order: a tail asks for what came after the last one it saw. */
  seq: number
}

export function logsConsole(state: LogsState): ConsoleView {
  const find = (id: string) => state.allGroups().find((g) => g.arn === id || g.name === id || `${g.arn}:*` === id)
  return {
    list: (type) => (type === 'log-group' ? state.allGroups().map(item) : []),
    detail: (type, id) => {
      const group = type === 'log-group' ? find(id) : undefined
      return group === undefined ? undefined : detail(group)
    },
    act: (type, id, action, params) => {
      const group = type === 'log-group' ? find(id) : undefined
      if (group === undefined) throw new ConsoleError('ResourceNotFound', `No log group ${id}.`, 404)
      if (action !== 'tail') throw unknownAction(action)
      // `after`: the last `seq` the caller saw (0: from the newest `limit`).
      const after = numberParam(params, 'after', 0, 0, Number.MAX_SAFE_INTEGER)
      const events = newest(group, numberParam(params, 'limit', 100, 1, 10_000), after)
      return { events, last: events.at(-1)?.seq ?? after }
    },
  }
}

function item(group: LogGroup): ConsoleItem {
  let last: number | undefined
  for (const stream of group.streams.values()) {
    const t = stream.events.at(-1)?.timestamp
    if (t !== undefined && (last === undefined || t > last)) last = t
  }
  return { id: group.arn, name: group.name, arn: group.arn, account: group.account, region: group.region,
    fields: { streams: group.streams.size, storedBytes: group.storedBytes, retentionDays: group.retentionInDays ?? null, lastEvent: isoTime(last) } }
}

/** The newest `limit` events of the group (after ingestion number `after`), oldest first, streams interleaved. */
function newest(group: LogGroup, limit: number, after = 0): TailedEvent[] {
  const events: TailedEvent[] = []
  for (const stream of group.streams.values()) {
    for (let i = stream.events.length - 1; i >= 0 && stream.events.length - i <= limit; i--) {
      const e = stream.events[i]!
      if (e.seq <= after) break
      events.push({ at: e.timestamp, message: e.message, stream: stream.name, seq: e.seq })
    }
  }
  events.sort((a, b) => a.at - b.at || a.seq - b.seq)
  return events.slice(-limit)
}

function detail(group: LogGroup): ConsoleDetail {
  return {
    item: item(group),
    sections: [
      { title: 'Newest events', kind: 'log', data: newest(group, shown).map((e) => ({ at: e.at, message: e.message, stream: e.stream })) },
      { title: 'Streams', kind: 'table', data: { columns: [{ key: 'name', label: 'Stream' }, { key: 'events', label: 'Events' },
        { key: 'created', label: 'Created' }],
      rows: group.sortedStreams().map((s) => ({ name: s.name, events: s.events.length, created: isoTime(s.creationTime) })) } },
      { title: 'Properties', kind: 'kv', data: { Arn: group.arn, Class: group.logGroupClass, RetentionInDays: group.retentionInDays ?? null,
        StoredBytes: group.storedBytes, SubscriptionFilters: group.subscriptionFilters.length } },
    ],
    actions: [{ name: 'tail', label: 'Tail', params: [{ key: 'after', label: 'After event number', kind: 'number' },
      { key: 'limit', label: 'How many', kind: 'number' }] }],
  }
}
