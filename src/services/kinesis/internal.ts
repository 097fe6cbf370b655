// Kinesis's port (port.ts) implemented over its state: no HTTP between services.
import { kinesisErrors } from './errors.ts'
import { hashOfPartitionKey } from './hash-keys.ts'
import type { KinesisPort } from './port.ts'
import { parseSequence } from './sequence-numbers.ts'
import type { KinesisState } from './store.ts'
import type { MetricSource } from '../cloudwatch/port.ts'

export function createKinesisPort(state: KinesisState, metrics: MetricSource): KinesisPort {
  return {
    metrics,
    putRecord: (account, region, name, partitionKey, data) => {
      const stream = state.require(account, region, name)
      if (stream.meta.status === 'CREATING' || stream.meta.status === 'DELETING') throw kinesisErrors.streamNotFound(name, account)
      const open = stream.openShardsByHashKey()
      // PutRecord's rules: an AUTO stream spreads records evenly; the stream's maximum record size.
      const shard = stream.meta.recordDistribution === 'AUTO' ? stream.nextEvenShard(open) : stream.shardFor(hashOfPartitionKey(partitionKey), open)
      if (shard === undefined) throw kinesisErrors.streamNotFound(name, account)
      if (data.length > stream.maxRecordBytes) {
        throw kinesisErrors.validation(undefined, 'data', `Member must have length less than or equal to ${stream.maxRecordBytes}`)
      }
      const now = state.now()
      stream.trim(now)
      if (!shard.admitWrite(now, data.length + Buffer.byteLength(partitionKey))) throw kinesisErrors.writeThroughput(shard.id, name, account)
      const counter = shard.append([partitionKey], [data], now)
      state.touched(stream)
      return { shardId: shard.id, sequenceNumber: shard.sequenceOf(counter, now) }
    },
    watch: (account, region, name, listener) => state.watch(account, region, name, listener),
    quietUntil: (account, region, name) => {
      const stream = state.find(account, region, name)
      if (stream === undefined) return Infinity
      const m = stream.meta
      let until = m.dueAt ?? Infinity
      for (const c of m.consumers) if (c.dueAt !== undefined) until = Math.min(until, c.dueAt)
      for (const at of Object.values(m.pendingSplits ?? {})) until = Math.min(until, at)
      // A closed shard is listed while closedAt >= now - retention: it leaves the listing just past closedAt + retention.
      for (const s of stream.visibleShards(state.now())) if (!s.open) until = Math.min(until, s.meta.closedAt! + stream.retentionMs + 1)
      return until
    },
    streamExists: (account, region, name) => state.find(account, region, name) !== undefined,
    consumerStatus: (consumerArn) => {
      const m = /^arn:[^:]+:kinesis:([^:]+):(\d{12}):stream\/([^/]+)\/consumer\/([^:]+):\d+$/.exec(consumerArn)
      if (m === null) return undefined
      const consumer = state.find(m[2]!, m[1]!, m[3]!)?.consumer(m[4]!)
      return consumer?.arn === consumerArn ? consumer.status : undefined
    },
    shards: (account, region, name) => {
      const stream = state.find(account, region, name)
      if (stream === undefined) return []
      return stream.visibleShards(state.now()).map((s) => ({ shardId: s.id, parentShardId: s.meta.parent,
        adjacentParentShardId: s.meta.adjacentParent, open: s.open }))
    },
    read: (account, region, name, shardId, from, limit) => {
      const stream = state.find(account, region, name)
      const shard = stream?.shard(shardId)
      if (stream === undefined || shard === undefined) return { records: [], ended: true, after: typeof from === 'object' && 'after' in from ? from.after : '0' }
      const now = state.now()
      stream.trim(now)
      const position = from === 'TRIM_HORIZON' ? shard.trimHorizon : from === 'LATEST' ? shard.nextCounter
        : 'atTime' in from ? shard.counterAtTime(from.atTime) : (parseSequence(from.after)?.counter ?? 0) + 1
      const read = shard.read(Math.max(position, shard.trimHorizon), limit, Number.MAX_SAFE_INTEGER)
      const next = read.length > 0 ? read.at(-1)!.entry.counter + 1 : position
      return {
        records: read.map((r) => ({ sequenceNumber: shard.sequenceOf(r.entry.counter, r.entry.arrival), partitionKey: r.entry.partitionKey,
          data: r.data, approximateArrivalTimestamp: r.entry.arrival })),
        ended: !shard.open && next >= shard.nextCounter,
        after: read.length > 0 ? shard.sequenceOf(read.at(-1)!.entry.counter, read.at(-1)!.entry.arrival) : shard.sequenceOf(Math.max(0, position - 1), now),
      }
    },
  }
}
