// ON_DEMAND capacity: AWS documents that an on-demand stream splits a shard whose incoming traffic
// passes 500 KB/s "within 15 minutes", its hash range halved between the children — which is how it
// keeps room for double the peak write throughput. Nimbus watches each shard's writes (bytes and
// records) per second of the clock and splits such a shard exactly 15 minutes after the hot second,
// on the clock, up to the shards the stream's write quota needs (limits.ts; stream.ts enforces the quota).
import type { Timer } from '../../core/clock.ts'
import type { Operation, OperationContext } from '../service.ts'
import { onDemandCapacity } from './limits.ts'
import { addressOf, type StreamAddress } from './operations/common.ts'
import type { Shard } from './shard.ts'
import type { KinesisState } from './store.ts'
import type { Stream } from './stream.ts'

/**
 * AWS: "When the incoming traffic exceeds 500 KB/s per shard, it splits the shard within 15 minutes."
 * Records count the same way: half a shard's 1,000 records/s [R: AWS words only the bytes], so the
 * 4,000 records/s a new stream takes double too.
 */
export const onDemand = {
  splitAboveBytesPerSecond: 500 * 1024,
  splitAboveRecordsPerSecond: 500,
  splitDelayMs: 15 * 60_000,
}

export class OnDemandScaler {
  private readonly state: KinesisState
  /** Shards with a split on the clock (one at a time per shard). */
  private readonly pending = new Map<Shard, Timer>()

  constructor(state: KinesisState) {
    this.state = state
    // Splits a previous run scheduled (kept in the stream's row) are due as they were.
    for (const stream of state.allStreams()) {
      for (const [index, at] of Object.entries(stream.meta.pendingSplits ?? {})) {
        const shard = stream.shards.find((s) => s.meta.index === Number(index))
        if (shard !== undefined) this.schedule(stream, shard, at, false)
      }
    }
  }

  /** A write operation that, once it succeeds, lets the scaler look at its stream's shards. */
  watch<I extends StreamAddress, O>(handler: Operation<I, O>): Operation<I, O> {
    return (input, ctx) => {
      const out = handler(input, ctx)
      if (out instanceof Promise) return out.then((o) => (this.afterWrite(input, ctx), o))
      this.afterWrite(input, ctx)
      return out
    }
  }

  private afterWrite(input: StreamAddress, ctx: OperationContext): void {
    const { account, region, name } = addressOf(input, ctx)
    const stream = this.state.find(account, region, name)
    if (stream !== undefined) this.observe(stream)
  }

  /** A shard of an ON_DEMAND stream that took more than 500 KiB in this second splits 15 minutes later. */
  observe(stream: Stream): void {
    if (stream.meta.mode !== 'ON_DEMAND') return
    for (const shard of stream.shards) {
      if (!shard.open || this.pending.has(shard)) continue
      const window = shard.writeWindow
      if (window.bytes <= onDemand.splitAboveBytesPerSecond && window.records <= onDemand.splitAboveRecordsPerSecond) continue
      this.schedule(stream, shard, window.second * 1000 + onDemand.splitDelayMs)
    }
  }

  private schedule(stream: Stream, shard: Shard, at: number, save = true): void {
    this.pending.set(shard, this.state.clock.at(at, () => {
      this.pending.delete(shard)
      const { account, region, name } = stream.meta
      // A stream deleted meanwhile is not written back.
      const live = this.state.find(account, region, name) === stream
      if (stream.meta.pendingSplits !== undefined) delete stream.meta.pendingSplits[shard.meta.index]
      this.split(stream, shard)
      if (live) this.state.save(stream)
    }))
    if (!save) return
    ;(stream.meta.pendingSplits ??= {})[shard.meta.index] = at
    this.state.save(stream)
  }

  private split(stream: Stream, shard: Shard): void {
    const { account, region, name } = stream.meta
    // The stream may have been deleted (or replaced by a namesake), switched to PROVISIONED, or resharded.
    if (this.state.find(account, region, name) !== stream || stream.meta.mode !== 'ON_DEMAND' || !shard.open) return
    if (stream.meta.status !== 'ACTIVE') return this.schedule(stream, shard, stream.meta.dueAt ?? this.state.now())
    if (shard.end - shard.start < 2n) return
    // The shards that carry the stream's write quota (200 MiB/s, 10 GiB/s in the large Regions): more would add nothing it may use.
    if (stream.openShards().length >= onDemandCapacity(region).maxShards) return
    try {
      this.state.checkShardQuota(account, region, 1)
    } catch {
      return // AWS's account shard quota caps on-demand scaling as well.
    }
    const now = this.state.now()
    const middle = shard.start + (shard.end - shard.start + 1n) / 2n
    shard.close(now)
    stream.addShard({ start: shard.meta.start, end: String(middle - 1n), parent: shard.id, createdAt: now })
    stream.addShard({ start: String(middle), end: shard.meta.end, parent: shard.id, createdAt: now })
    this.state.save(stream)
  }

  clear(): void {
    for (const timer of this.pending.values()) timer.cancel()
    this.pending.clear()
  }
}
