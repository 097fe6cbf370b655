// A FIFO queue's deduplication window: a send whose deduplication id was seen in the last five
// minutes is accepted but not enqueued (aws-behaviour.md §1.11). Entries are durable with a data dir.
import type { Message } from './message.ts'
import type { DedupEntry, SqsRows } from './sqs-rows.ts'

export class DedupWindow {
  private readonly entries = new Map<string, DedupEntry>()
  private readonly queueUid: string
  private readonly rows: SqsRows | undefined

  constructor(queueUid: string, rows: SqsRows | undefined) {
    this.queueUid = queueUid
    this.rows = rows
  }

  find(key: string, now: number): Message | undefined {
    this.prune(now)
    return this.entries.get(key)?.message
  }

  remember(key: string, message: Message, expiresAt: number): void {
    const entry = { message, expiresAt }
    this.entries.set(key, entry)
    this.rows?.dedup(this.queueUid, key, entry)
  }

  /** Entries read back at start, oldest first. */
  restore(entries: readonly [string, DedupEntry][]): void {
    for (const [key, entry] of entries) this.entries.set(key, entry)
  }

  /** The window is the same for every entry, so the oldest entries are first in the map. */
  private prune(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) return
      this.entries.delete(key)
      this.rows?.dedupGone(this.queueUid, key)
    }
  }

  /** The queue is gone: its rows go too. */
  erase(): void {
    if (this.rows !== undefined) for (const key of this.entries.keys()) this.rows.dedupGone(this.queueUid, key)
    this.entries.clear()
  }
}
