// Who waits on a queue (long polls, standing listeners) and the one clock timer that wakes them when
// the next hidden message becomes visible. Time comes from the injected clock.
import type { Clock, Timer } from '../../core/clock.ts'
import type { MessageOrder } from './message-order.ts'
import type { Waiter } from './queue-types.ts'

export class QueueWaiters {
  private readonly waiters = new Set<Waiter>()
  private wakeTimer: { at: number; timer: Timer } | undefined
  private readonly clock: Clock
  private readonly order: MessageOrder

  constructor(clock: Clock, order: MessageOrder) {
    this.clock = clock
    this.order = order
  }

  /** Registers a waiter, called whenever messages may have become available; returns its remover. */
  add(waiter: Waiter): () => void {
    this.waiters.add(waiter)
    this.arm()
    return () => {
      this.waiters.delete(waiter)
    }
  }

  /** Messages may be available: every waiter looks, the satisfied ones leave. */
  notify(): void {
    for (const waiter of this.waiters) {
      if (waiter()) this.waiters.delete(waiter)
    }
    this.arm()
  }

  /** While anyone waits, one clock timer fires when the next hidden message becomes visible. */
  arm(): void {
    if (this.waiters.size === 0) return
    const next = this.order.nextVisibleAt()
    if (next === undefined || (this.wakeTimer !== undefined && this.wakeTimer.at <= next)) return
    this.wakeTimer?.timer.cancel()
    this.wakeTimer = {
      at: next,
      timer: this.clock.at(next, () => {
        this.wakeTimer = undefined
        // Reveal what is due first: otherwise a waiter that takes nothing (a listener, a locked group)
        // would leave the same instant as the next wake-up and the timer would re-fire forever.
        this.order.reveal(this.clock.now())
        this.notify()
      }),
    }
  }

  /** The queue is closing: the timer goes and every waiter is called once more, then dropped. */
  close(): void {
    this.wakeTimer?.timer.cancel()
    this.wakeTimer = undefined
    for (const waiter of this.waiters) waiter()
    this.waiters.clear()
  }
}
