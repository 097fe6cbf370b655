// FIFO `ReceiveRequestAttemptId`: a retried receive with the same attempt id within five minutes gets
// the same messages and receipt handles, as long as none was deleted or received again since.
import { limits } from './limits.ts'
import type { Delivery } from './queue-types.ts'

interface Attempt {
  deliveries: Delivery[]
  receipts: number[]
  expiresAt: number
}

export class ReceiveAttempts {
  private readonly attempts = new Map<string, Attempt>()

  /** The deliveries of the receive this attempt id made, if they still stand; a stale attempt is forgotten. */
  replayable(attemptId: string, now: number): Delivery[] | undefined {
    const attempt = this.attempts.get(attemptId)
    if (attempt === undefined) return undefined
    const intact = attempt.expiresAt > now &&
      attempt.deliveries.every((d, i) => !d.message.deleted && d.message.receipt === attempt.receipts[i])
    if (!intact) {
      this.attempts.delete(attemptId)
      return undefined
    }
    return attempt.deliveries
  }

  /** A receive that took messages under this attempt id (an empty one is not remembered). */
  remember(attemptId: string, deliveries: Delivery[], now: number): void {
    // Attempts are kept in the order they expire (a re-used id moves to the end): the expired ones,
    // never retried, go from the front here, so they and the messages they hold don't pile up.
    for (const [id, attempt] of this.attempts) {
      if (attempt.expiresAt > now) break
      this.attempts.delete(id)
    }
    this.attempts.delete(attemptId)
    this.attempts.set(attemptId, {
      deliveries, receipts: deliveries.map((d) => d.message.receipt), expiresAt: now + limits.receiveAttemptWindowMs,
    })
  }

  /** Attempts remembered (tests). */
  get size(): number {
    return this.attempts.size
  }

  clear(): void {
    this.attempts.clear()
  }
}
