// Kinesis's state: streams per account and region, found by name or ARN, settled on the clock when
// read; with a data dir their rows are written at each change and record data goes to segment files.
import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock } from '../../core/clock.ts'
import { KeyedChannels } from '../../core/events.ts'
import { kinesisErrors } from './errors.ts'
import type { AccountSettings, KinesisRows } from './kinesis-rows.ts'
import { streamKey } from './kinesis-rows.ts'
import { limits, shardQuota } from './limits.ts'
import { MemoryBodies } from './memory-bodies.ts'
import { DiskBodies } from './record-bodies.ts'
import { shardDelta } from './reshard.ts'
import { type BodiesFactory, Stream, type StreamMeta, type StreamMode } from './stream.ts'

export interface KinesisOptions {
  /** How long CREATING, UPDATING and DELETING last on the clock (streams and consumers); default 500 ms. */
  transitionMs?: number
  /** With a data dir: where record data lives (one folder per stream). */
  recordsDir?: string
  /** Overrides AWS's per-region shard quota (tests). */
  shardQuota?: number
}

export class KinesisState {
  private readonly streams = new Map<string, Stream>()
  private readonly accounts = new Map<string, AccountSettings>()
  readonly transitionMs: number
  private readonly bodies: BodiesFactory

  readonly clock: Clock
  private readonly options: KinesisOptions
  private readonly rows: KinesisRows | undefined
  /** Who watches a stream's activity (the port's `watch`), by stream key: a namesake created later is theirs too. */
  private readonly watchers = new KeyedChannels<string>()

  constructor(clock: Clock, options: KinesisOptions = {}, rows?: KinesisRows) {
    this.clock = clock
    this.options = options
    this.rows = rows
    this.transitionMs = options.transitionMs ?? 500
    const dir = options.recordsDir
    this.bodies = dir === undefined ? () => new MemoryBodies() : (uid, index) => new DiskBodies(join(dir, uid, String(index)))
    for (const meta of rows?.load() ?? []) this.streams.set(streamKey(meta.account, meta.region, meta.name), new Stream(meta, this.bodies))
    for (const [key, settings] of rows?.loadAccounts() ?? []) this.accounts.set(key, settings)
  }

  /** An account's Kinesis settings in a region (DISABLED commitment until UpdateAccountSettings says otherwise). */
  accountSettings(account: string, region: string): AccountSettings {
    return this.accounts.get(`${account}/${region}`) ?? { status: 'DISABLED' }
  }

  saveAccountSettings(account: string, region: string, settings: AccountSettings): void {
    this.accounts.set(`${account}/${region}`, settings)
    this.rows?.account(`${account}/${region}`, settings)
  }

  now(): number {
    return this.clock.now()
  }

  /** A stream by name as it is now (transitions applied; a stream done deleting is gone). */
  find(account: string, region: string, name: string): Stream | undefined {
    const key = streamKey(account, region, name)
    const stream = this.streams.get(key)
    if (stream === undefined) return undefined
    const { status, dueAt } = stream.meta
    if (stream.settle(this.now())) {
      this.remove(key, stream)
      return undefined
    }
    // A transition that ended, or a uniform scaling's round made (UPDATING, due again later).
    if (stream.meta.status !== status || stream.meta.dueAt !== dueAt) this.save(stream)
    return stream
  }

  require(account: string, region: string, name: string): Stream {
    const stream = this.find(account, region, name)
    if (stream === undefined) throw kinesisErrors.streamNotFound(name, account)
    return stream
  }

  list(account: string, region: string): Stream[] {
    const prefix = `${account}/${region}/`
    const names = [...this.streams.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length))
    return names.map((n) => this.find(account, region, n)).filter((s): s is Stream => s !== undefined)
  }

  /** Open shards the account has in the region (what the shard quota counts). */
  shardCount(account: string, region: string): number {
    return this.list(account, region).reduce((sum, s) => sum + s.openShards().length, 0)
  }

  /** The account's open-shard quota in a Region (AWS's default, or the test's `shardQuota`). */
  shardQuotaOf(region: string): number {
    return this.options.shardQuota ?? shardQuota(region)
  }

  /** On-demand streams of the account in the Region (any status, till gone). */
  onDemandStreamCount(account: string, region: string): number {
    return this.list(account, region).filter((s) => s.meta.mode === 'ON_DEMAND').length
  }

  /** Throws AWS's LimitExceededException when one more on-demand stream would pass the account's 50. */
  checkOnDemandStreamQuota(account: string, region: string): void {
    const current = this.onDemandStreamCount(account, region)
    if (current + 1 > limits.onDemandStreamCountLimit) throw kinesisErrors.onDemandStreamLimit(account, region, current, limits.onDemandStreamCountLimit)
  }

  /**
   * Throws AWS's LimitExceededException when `added` more open shards would pass the quota. A reshard
   * not yet made counts the shards it will add at its peak (AWS: its shards, a uniform scaling's
   * short-lived ones too, "count towards your total shard limit").
   */
  checkShardQuota(account: string, region: string, added: number): void {
    const quota = this.shardQuotaOf(region)
    const current = this.list(account, region).reduce((sum, s) => {
      const open = s.openShardsByHashKey()
      return sum + open.length + Math.max(0, shardDelta(s.meta.pendingReshard, open))
    }, 0)
    if (current + added > quota) throw kinesisErrors.shardLimit(account, region, current, quota, added)
  }

  create(account: string, region: string, name: string, mode: StreamMode, shardCount: number, tags: Record<string, string>): Stream {
    const now = this.now()
    const meta: StreamMeta = {
      uid: randomUUID(), account, region, name, createdAt: now, status: 'CREATING', dueAt: now + this.transitionMs, neverActive: true, mode,
      retentionHours: limits.defaultRetentionHours, encryption: { type: 'NONE' }, tags, shardLevelMetrics: [],
      nextShardIndex: 0, shards: [], consumers: [],
    }
    const stream = new Stream(meta, this.bodies)
    this.streams.set(streamKey(account, region, name), stream)
    return stream
  }

  /** Puts a stream in a transition that ends on the clock (UPDATING, DELETING). */
  transition(stream: Stream, status: 'UPDATING' | 'DELETING'): void {
    stream.meta.status = status
    stream.meta.dueAt = this.now() + this.transitionMs
    this.save(stream)
  }

  save(stream: Stream): void {
    this.rows?.stream(stream.meta)
    stream.rowChanged()
    this.touched(stream)
  }

  /**
   * Calls `listener` whenever the named stream changes: records appended, created, deleted, or any
   * change written to its row (status, reshard, retention, consumers, settings). Returns the unsubscriber.
   */
  watch(account: string, region: string, name: string, listener: () => void): () => void {
    return this.watchers.on(streamKey(account, region, name), listener)
  }

  /** Listeners watching streams (health: pollers let go of theirs when their mapping or delivery stream goes). */
  get watcherCount(): number {
    return this.watchers.size
  }

  /** The stream changed (records appended, its row written, it went): its watchers are told at once, at this instant of the clock. */
  touched(stream: Stream): void {
    if (!this.watchers.empty) this.watchers.emit(streamKey(stream.meta.account, stream.meta.region, stream.meta.name), undefined)
  }

  private remove(key: string, stream: Stream): void {
    this.streams.delete(key)
    stream.rowChanged()
    this.touched(stream)
    stream.close()
    this.rows?.streamGone(stream.meta)
    if (this.options.recordsDir !== undefined) rmSync(join(this.options.recordsDir, stream.meta.uid), { recursive: true, force: true })
  }

  allStreams(): Stream[] {
    return [...this.streams.values()]
  }

  reset(): void {
    for (const [key, stream] of [...this.streams]) this.remove(key, stream)
    this.accounts.clear()
    this.rows?.clear()
  }

  /** Shutdown: files closed, rows and data kept. */
  stop(): void {
    for (const stream of this.streams.values()) stream.close()
  }
}
