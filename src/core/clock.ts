// The one source of time and the one scheduler: visibility, delays, retention, long polls and
// retries all run on it, so a manual clock lets a test jump over hours without sleeping.

export interface Timer {
  cancel(): void
}

export type ClockMode = 'system' | 'manual'

export interface Clock {
  readonly mode: ClockMode
  /** Milliseconds since the epoch, as the emulated world sees it. */
  now(): number
  /** Runs `fn` once the clock reaches `at` (epoch ms). Timers due at the same instant run in the order they were set. */
  at(at: number, fn: () => void): Timer
  /** Runs `fn` after `ms` of clock time. */
  after(ms: number, fn: () => void): Timer
}

interface Entry {
  at: number
  seq: number
  fn: () => void
  cancelled: boolean
}

/** A binary min-heap of timers ordered by (at, seq). One heap serves the whole emulator. */
class TimerHeap {
  private readonly items: Entry[] = []
  get size(): number {
    return this.items.length
  }
  peek(): Entry | undefined {
    return this.items[0]
  }
  push(entry: Entry): void {
    const items = this.items
    items.push(entry)
    let i = items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(items[i]!, items[parent]!)) break
      swap(items, i, parent)
      i = parent
    }
  }
  pop(): Entry | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (top === undefined || last === undefined || items.length === 0) return top
    items[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < items.length && before(items[l]!, items[m]!)) m = l
      if (r < items.length && before(items[r]!, items[m]!)) m = r
      if (m === i) break
      swap(items, i, m)
      i = m
    }
    return top
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}
function swap(items: Entry[], i: number, j: number): void {
  const t = items[i]!
  items[i] = items[j]!
  items[j] = t
}

abstract class ScheduledClock implements Clock {
  abstract readonly mode: ClockMode
  protected readonly heap = new TimerHeap()
  private seq = 0
  abstract now(): number
  protected abstract armed(): void

  at(at: number, fn: () => void): Timer {
    const entry: Entry = { at, seq: this.seq++, fn, cancelled: false }
    this.heap.push(entry)
    this.armed()
    return { cancel: () => void (entry.cancelled = true) }
  }
  after(ms: number, fn: () => void): Timer {
    return this.at(this.now() + Math.max(0, ms), fn)
  }

  /** Runs every timer due at or before `until`; `onEach` sees each timer's instant first. */
  protected runDue(until: number, onEach?: (at: number) => void): void {
    for (;;) {
      const next = this.heap.peek()
      if (next === undefined || next.at > until) return
      this.heap.pop()
      if (next.cancelled) continue
      onEach?.(next.at)
      try {
        next.fn()
      } catch (error) {
        // A timer belongs to some service's domain; its failure must not stop the others.
        console.error('[nimbus] timer failed:', error)
      }
    }
  }
}

/** Wall-clock time. A single Node timer is armed for the earliest entry. */
export class SystemClock extends ScheduledClock {
  readonly mode = 'system' as const
  private handle: NodeJS.Timeout | undefined
  private handleAt = Infinity

  now(): number {
    return Date.now()
  }
  protected armed(): void {
    const next = this.heap.peek()
    if (next === undefined || next.at >= this.handleAt) return
    if (this.handle !== undefined) clearTimeout(this.handle)
    this.handleAt = next.at
    // Node caps timers at ~24.8 days; a later wake-up simply re-arms.
    const delay = Math.min(Math.max(0, next.at - Date.now()), 2 ** 31 - 1)
    this.handle = setTimeout(() => this.fire(), delay)
    this.handle.unref()
  }
  private fire(): void {
    this.handle = undefined
    this.handleAt = Infinity
    this.runDue(Date.now())
    this.armed()
  }
  /** Only a manual clock moves on request; asking the system clock is a setup mistake worth a clear error. */
  advance(_ms: number): never {
    throw new Error("This Nimbus runs on the system clock; start it with clock: 'manual' (--clock manual) to move time.")
  }
  /** Drops every pending timer (used on shutdown). */
  stop(): void {
    if (this.handle !== undefined) clearTimeout(this.handle)
    this.handle = undefined
    this.handleAt = Infinity
    while (this.heap.pop() !== undefined);
  }
}

/** Time that moves only when told to. Starts at `start` (default: the real time at creation). */
export class ManualClock extends ScheduledClock {
  readonly mode = 'manual' as const
  private current: number
  /** Told the new time after every advance (with a data dir, the time is stored and resumed). */
  onAdvanced: ((now: number) => void) | undefined

  constructor(start: number = Date.now()) {
    super()
    this.current = start
  }
  now(): number {
    return this.current
  }
  protected armed(): void {
    // Nothing to arm: timers run when the clock is advanced. A timer set in the past or present
    // runs on the next microtask, as a zero-delay timer would on the system clock.
    const next = this.heap.peek()
    if (next !== undefined && next.at <= this.current) queueMicrotask(() => this.runDue(this.current))
  }
  /** Moves time forward by `ms`, running every timer that falls due, each at its own instant. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance needs a non-negative number of milliseconds')
    const target = this.current + ms
    this.runDue(target, (at) => {
      if (at > this.current) this.current = at
    })
    this.current = target
    this.onAdvanced?.(target)
  }
  stop(): void {
    while (this.heap.pop() !== undefined);
  }
}

export function createClock(mode: ClockMode, start?: number): SystemClock | ManualClock {
  return mode === 'manual' ? new ManualClock(start) : new SystemClock()
}
