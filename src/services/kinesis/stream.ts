// A stream: status on the clock (CREATING/UPDATING/DELETING settle lazily when read), shards with
// their lineage, retention, mode, encryption, tags and enhanced fan-out consumers.
import type { EncryptedSpan } from './encryption.ts'
import { formatArn } from '../../core/arn.ts'
import { EventChannel } from '../../core/events.ts'
import { hourMs, limits, onDemandCapacity } from './limits.ts'
import { MemoryBodies } from './memory-bodies.ts'
import type { ShardBodies } from './record-bodies.ts'
import { applyReshard, type PendingReshard, reshardStepMs } from './reshard.ts'
import { Shard, type ShardMeta } from './shard.ts'

export type StreamStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING'
export type StreamMode = 'PROVISIONED' | 'ON_DEMAND'

export interface Consumer {
  name: string
  arn: string
  createdAt: number
  status: 'CREATING' | 'ACTIVE' | 'DELETING'
  dueAt?: number
  tags: Record<string, string>
  /** PutResourcePolicy's document, stored as given. */
  policy?: string
}

/** The stream's durable fields (kinesis-rows.ts writes them as they are). */
export interface StreamMeta {
  uid: string
  account: string
  region: string
  name: string
  createdAt: number
  status: StreamStatus
  /** When the current CREATING/UPDATING/DELETING ends. */
  dueAt?: number
  /**
   * Set while the stream has never been ACTIVE (CREATING, or deleted while CREATING): it describes no
   * shards then. Absent in rows written before it existed, which had their shards shown once ACTIVE.
   */
  neverActive?: boolean
  /** A SplitShard/MergeShards/UpdateShardCount made when the UPDATING it started ends (reshard.ts). */
  pendingReshard?: PendingReshard
  mode: StreamMode
  modeChangedAt?: number
  /**
   * When UpdateShardCount calls and UpdateStreamMode switches were accepted within the last 24 hours
   * of the clock (AWS's rolling windows): kept in the stream's row, so a restart still counts them.
   */
  shardCountUpdates?: number[]
  modeSwitches?: number[]
  /** When StartStreamEncryption applied a KMS key within the last 24 hours of the clock (AWS allows 25). */
  keyApplications?: number[]
  /** ON_DEMAND splits scheduled on the clock (shard index → when), so a restart still makes them. */
  pendingSplits?: Record<number, number>
  retentionHours: number
  /** MaxRecordSizeInKiB (CreateStream, UpdateMaxRecordSize); absent in rows written before it existed: 1,024. */
  maxRecordSizeKiB?: number
  /** On-demand warm throughput (CreateStream's WarmThroughputMiBps, UpdateStreamWarmThroughput): current reaches target when UPDATING ends. */
  warmThroughput?: { targetMiBps: number; currentMiBps: number }
  /** AUTO (UpdateStreamRecordDistributionStrategy, on-demand streams) or, when absent, USER_PARTITION_KEY. */
  recordDistribution?: 'AUTO' | 'USER_PARTITION_KEY'
  encryption: { type: 'NONE' | 'KMS'; keyId?: string }
  /** When records were written encrypted (encryption.ts); absent in rows written before it existed. */
  encryptedSpans?: EncryptedSpan[]
  tags: Record<string, string>
  shardLevelMetrics: string[]
  /** PutResourcePolicy's document, stored as given. */
  policy?: string
  nextShardIndex: number
  shards: ShardMeta[]
  consumers: Consumer[]
}

export type BodiesFactory = (streamUid: string, shardIndex: number) => ShardBodies

export class Stream {
  readonly arn: string
  readonly shards: Shard[]
  /** Seconds of creation: sequence numbers carry it, so one from a deleted namesake is told apart. */
  readonly epoch: number

  readonly meta: StreamMeta
  private readonly bodies: BodiesFactory

  constructor(meta: StreamMeta, bodies: BodiesFactory = () => new MemoryBodies()) {
    this.meta = meta
    this.bodies = bodies
    this.arn = formatArn({ service: 'kinesis', region: meta.region, account: meta.account, resource: `stream/${meta.name}` })
    this.epoch = Math.floor(meta.createdAt / 1000)
    this.shards = meta.shards.map((s) => new Shard(s, this.epoch, bodies(meta.uid, s.index)))
  }

  get name(): string {
    return this.meta.name
  }

  /** Applies transitions that fell due; true when a DELETING stream is now gone. */
  settle(now: number): boolean {
    const m = this.meta
    for (const c of m.consumers) if (c.dueAt !== undefined && now >= c.dueAt && c.status === 'CREATING') {
      c.status = 'ACTIVE'
      c.dueAt = undefined
    }
    m.consumers = m.consumers.filter((c) => !(c.status === 'DELETING' && c.dueAt !== undefined && now >= c.dueAt))
    while (m.dueAt !== undefined && now >= m.dueAt) {
      if (m.status === 'DELETING') return true
      const at = m.dueAt
      // A reshard's step is made when its UPDATING step ends: parents close, children open, then. A
      // uniform scaling with another round to come stays UPDATING for one more step.
      if (m.pendingReshard !== undefined && applyReshard(this, m.pendingReshard, at)) {
        m.dueAt = at + reshardStepMs(m.pendingReshard)
        continue
      }
      m.status = 'ACTIVE'
      m.dueAt = undefined
      m.neverActive = undefined
      m.pendingReshard = undefined
      // A warm throughput update is done when the stream is ACTIVE again.
      if (m.warmThroughput !== undefined) m.warmThroughput.currentMiBps = m.warmThroughput.targetMiBps
    }
    return false
  }

  /** The largest record (data blob plus partition key) the stream takes, in bytes. */
  get maxRecordBytes(): number {
    return (this.meta.maxRecordSizeKiB ?? limits.defaultMaxRecordSizeKiB) * 1024
  }

  get retentionMs(): number {
    return this.meta.retentionHours * hourMs
  }

  /** Drops records past retention, and closed shards whose every record is past it (AWS stops listing them). */
  trim(now: number): void {
    const cutoff = now - this.retentionMs
    for (const shard of this.shards) shard.trim(cutoff)
  }

  /** Whether the stream shows its shards: not while CREATING, nor once deleted before it was ever ACTIVE (AWS's answers). */
  get showsShards(): boolean {
    return this.meta.status !== 'CREATING' && this.meta.neverActive !== true
  }

  /** Shards DescribeStream and ListShards show: open ones, and closed ones still within retention. */
  visibleShards(now: number): Shard[] {
    if (!this.showsShards) return []
    const cutoff = now - this.retentionMs
    return this.shards.filter((s) => s.open || s.meta.closedAt! >= cutoff)
  }

  /**
   * Admits one record's write: its shard's budget, and for an ON_DEMAND stream the stream's own
   * (200 MiB and 200,000 records per second of the clock). 'shard' or 'stream' names what refused it.
   */
  admitWrite(shard: Shard, now: number, bytes: number): 'ok' | 'shard' | 'stream' {
    if (this.meta.mode !== 'ON_DEMAND') return shard.admitWrite(now, bytes) ? 'ok' : 'shard'
    const second = Math.floor(now / 1000)
    if (second !== this.writeSecond) {
      this.writeSecond = second
      this.writeBytes = 0
      this.writeRecords = 0
    }
    const capacity = onDemandCapacity(this.meta.region)
    if (this.writeRecords + 1 > capacity.records || this.writeBytes + bytes > capacity.bytes) return 'stream'
    if (!shard.admitWrite(now, bytes)) return 'shard'
    this.writeRecords += 1
    this.writeBytes += bytes
    return 'ok'
  }

  private readonly reshardAsked = new EventChannel<void>()

  /**
   * Asks for a reshard (SplitShard, MergeShards, UpdateShardCount), made when the UPDATING the caller
   * then starts ends. Subscriptions already waiting on a shard are told, so one whose shard it closes
   * wakes when UPDATING ends rather than at its next heartbeat.
   */
  askReshard(pending: PendingReshard): void {
    this.meta.pendingReshard = pending
    // Told on the next microtask: the caller's transition (the new dueAt) is set by then.
    if (this.reshardAsked.size > 0) queueMicrotask(() => this.reshardAsked.emit())
  }

  private readonly rowListeners = new EventChannel<void>()

  /**
   * Called whenever the stream's row is written or the stream goes (status, consumers, reshard,
   * settings — not records appended): enhanced fan-out subscriptions end at once when their stream is
   * deleted or their consumer deregistered. Returns the unsubscriber.
   */
  onRowChanged(listener: () => void): () => void {
    return this.rowListeners.on(listener)
  }

  /** The store wrote the stream's row, or removed the stream. */
  rowChanged(): void {
    this.rowListeners.emit()
  }

  /** Called when a reshard is asked for (enhanced fan-out subscriptions wait on it); returns the unsubscriber. */
  onReshardAsked(listener: () => void): () => void {
    return this.reshardAsked.on(listener)
  }

  private writeSecond = -1
  private writeBytes = 0
  private writeRecords = 0
  private evenTurn = 0

  /**
   * An AUTO stream's next shard: AWS "distributes records evenly across shards" ignoring partition key
   * and ExplicitHashKey; here, the open shards in turn (so records sharing a key may land on different
   * shards: no per-key order, only each shard's own).
   */
  nextEvenShard(open: readonly Shard[]): Shard {
    const shard = open[this.evenTurn % open.length]!
    this.evenTurn = (this.evenTurn + 1) % 1_000_000_007
    return shard
  }

  openShards(): Shard[] {
    return this.shards.filter((s) => s.open)
  }

  /**
   * The open shards in hash-key order (children of a split or merge are added last, so `openShards`
   * isn't): what `shardFor` searches. Kept while no shard was added or removed and none it holds has
   * closed (shards never reopen), so a PutRecord neither filters nor sorts. Callers must not change it.
   */
  openShardsByHashKey(): readonly Shard[] {
    const cached = this.byHashKey
    if (cached !== undefined && this.byHashKeyOf === this.shards.length && cached.every((s) => s.open)) return cached
    this.byHashKeyOf = this.shards.length
    return (this.byHashKey = this.openShards().sort((a, b) => (a.start < b.start ? -1 : 1)))
  }

  private byHashKey: Shard[] | undefined
  private byHashKeyOf = -1

  shard(id: string): Shard | undefined {
    return this.shards.find((s) => s.id === id)
  }

  /** The open shard owning a hash key (binary search over open shards sorted by start). */
  shardFor(hash: bigint, open: readonly Shard[]): Shard | undefined {
    let lo = 0
    let hi = open.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const s = open[mid]!
      if (hash < s.start) hi = mid - 1
      else if (hash > s.end) lo = mid + 1
      else return s
    }
    return undefined
  }

  addShard(meta: Omit<ShardMeta, 'index'>): Shard {
    const full: ShardMeta = { ...meta, index: this.meta.nextShardIndex++ }
    this.meta.shards.push(full)
    const shard = new Shard(full, this.epoch, this.bodies(this.meta.uid, full.index))
    this.shards.push(shard)
    return shard
  }

  /** Children of a closed shard (what GetRecords names as ChildShards at its end). */
  childrenOf(id: string): Shard[] {
    return this.shards.filter((s) => s.meta.parent === id || s.meta.adjacentParent === id)
  }

  consumer(name: string): Consumer | undefined {
    return this.meta.consumers.find((c) => c.name === name)
  }

  get maxConsumers(): number {
    return limits.maxConsumersPerStream
  }

  close(): void {
    for (const s of this.shards) s.bodies.close()
  }
}
