// What the web console shows of Kinesis Data Streams (services/console-view.ts): streams with their
// status, mode, shards (hash ranges, records retained) and enhanced fan-out consumers.
import { type ConsoleDetail, type ConsoleItem, type ConsoleView, isoTime } from '../console-view.ts'
import type { KinesisState } from './store.ts'
import type { Stream } from './stream.ts'

export function kinesisConsole(state: KinesisState): ConsoleView {
  const find = (id: string) => state.allStreams().find((s) => s.arn === id || s.name === id)
  return {
    list: (type) => (type === 'stream' ? state.allStreams().map(item) : []),
    detail: (type, id) => {
      const stream = type === 'stream' ? find(id) : undefined
      return stream === undefined ? undefined : detail(stream, state.now())
    },
  }
}

function item(stream: Stream): ConsoleItem {
  const { meta } = stream
  return { id: stream.arn, name: stream.name, arn: stream.arn, account: meta.account, region: meta.region,
    fields: { status: meta.status, mode: meta.mode, openShards: stream.openShards().length,
      records: stream.shards.reduce((n, s) => n + s.retainedRecords, 0), retentionHours: meta.retentionHours, created: isoTime(meta.createdAt) } }
}

function detail(stream: Stream, now: number): ConsoleDetail {
  const { meta } = stream
  const open = new Set(stream.openShards().map((s) => s.id))
  return {
    item: item(stream),
    sections: [
      { title: 'Shards', kind: 'table', data: { columns: [{ key: 'id', label: 'Shard' }, { key: 'state', label: 'State' },
        { key: 'records', label: 'Records retained' }, { key: 'start', label: 'Starting hash key' }, { key: 'end', label: 'Ending hash key' }],
      rows: stream.visibleShards(now).map((s) => ({ id: s.id, state: open.has(s.id) ? 'open' : 'closed', records: s.retainedRecords,
        start: s.start.toString(), end: s.end.toString() })) } },
      { title: 'Consumers', kind: 'table', data: { columns: [{ key: 'name', label: 'Consumer' }, { key: 'arn', label: 'ARN' }],
        rows: meta.consumers.map((c) => ({ name: c.name, arn: c.arn })) } },
      { title: 'Stream', kind: 'kv', data: { Arn: stream.arn, Status: meta.status, Mode: meta.mode, RetentionHours: meta.retentionHours,
        Encryption: meta.encryption.type } },
      { title: 'Tags', kind: 'kv', data: { ...meta.tags } },
    ],
  }
}
