// Kinesis's durable state as rows of the persistence layer (docs/persistence.md): one row per stream
// (its metadata, shards with lineage, consumers, tags), rewritten at each change of it. Records are
// not rows: their data lives in per-shard segment files (record-bodies.ts), appended before the answer.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { StreamMeta } from './stream.ts'

/** An account's settings in a region (UpdateAccountSettings): its minimum throughput billing commitment, epoch ms. */
export interface AccountSettings {
  status: 'ENABLED' | 'DISABLED' | 'ENABLED_UNTIL_EARLIEST_ALLOWED_END'
  startedAt?: number
  endedAt?: number
  earliestAllowedEndAt?: number
}

export const streamKey = (account: string, region: string, name: string): string => `${account}/${region}/${name}`

export class KinesisRows {
  private readonly streams: Table<StreamMeta | { toJSON(): StreamMeta }>
  private readonly accounts: Table<AccountSettings>

  constructor(persistence: Persistence) {
    this.streams = persistence.table('kinesis_streams')
    this.accounts = persistence.table('kinesis_accounts')
  }

  account(key: string, settings: AccountSettings): void {
    this.accounts.put(key, settings)
  }

  loadAccounts(): [string, AccountSettings][] {
    return this.accounts.load() as [string, AccountSettings][]
  }

  /** Read when the turn commits, so several changes in one turn write once. */
  stream(meta: StreamMeta): void {
    this.streams.put(streamKey(meta.account, meta.region, meta.name), { toJSON: () => meta })
  }

  streamGone(meta: StreamMeta): void {
    this.streams.delete(streamKey(meta.account, meta.region, meta.name))
  }

  clear(): void {
    this.streams.clear()
    this.accounts.clear()
  }

  load(): StreamMeta[] {
    return this.streams.load().map(([, row]) => row as StreamMeta)
  }
}
