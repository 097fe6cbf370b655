// ON_DEMAND capacity: AWS documents that an on-demand stream splits a shard whose incoming traffic
// passes 500 KB/s "within 15 minutes", its hash range halved between the children — which is how it
// keeps room for double the peak write throughput. Nimbus watches each shard's writes (bytes and
// records) per second of the clock and has such a shard split exactly 15 minutes after the hot second,
// on the clock, up to the shards the stream's write quota needs (limits.ts; stream.ts enforces the quota).
// A split is a split however it is asked for: the stream is UPDATING while it is made ("UPDATING -
// Shards in the stream are being merged or split", StreamDescription), through the same pending
// reshard SplitShard uses (reshard.ts), so it is asked for one UPDATING step before it is due. Shards
// due together split together, in one UPDATING.
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

  /** `at` is when the split is made: it is asked for one UPDATING step earlier (never before now). */
  private schedule(stream: Stream, shard: Shard, at: number, save = true): void {
    const ask = Math.max(this.state.now(), at - this.state.transitionMs)
    this.pending.set(shard, this.state.clock.at(ask, () => {
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
    // Due with others being made now: it joins their UPDATING. Otherwise it waits for the stream to be ACTIVE.
    const pending = stream.meta.pendingReshard
    const joins = stream.meta.status === 'UPDATING' && pending?.kind === 'halve'
    if (stream.meta.status !== 'ACTIVE' && !joins) {
      return this.schedule(stream, shard, (stream.meta.dueAt ?? this.state.now()) + this.state.transitionMs)
    }
    if (shard.end - shard.start < 2n) return
    // The shards that carry the stream's write quota (200 MiB/s, 10 GiB/s in the large Regions): more would add nothing it may use.
    if (stream.openShards().length + (joins ? pending.shards.length : 0) >= onDemandCapacity(region).maxShards) return
    try {
      this.state.checkShardQuota(account, region, 1)
    } catch {
      return // AWS's account shard quota caps on-demand scaling as well.
    }
    if (joins) {
      pending.shards.push(shard.id)
      return this.state.save(stream)
    }
    stream.askReshard({ kind: 'halve', shards: [shard.id] })
    this.state.transition(stream, 'UPDATING')
  }

  clear(): void {
    for (const timer of this.pending.values()) timer.cancel()
    this.pending.clear()
  }
}
