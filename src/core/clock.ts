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
  /** Drops cancelled entries and rebuilds the heap (bottom-up, O(n)). */
  compact(): void {
    const items = this.items
    let kept = 0
    for (const entry of items) if (!entry.cancelled) items[kept++] = entry
    items.length = kept
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i)
  }
  pop(): Entry | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (top === undefined || last === undefined || items.length === 0) return top
    items[0] = last
    this.siftDown(0)
    return top
  }
  private siftDown(from: number): void {
    const items = this.items
    let i = from
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

const noop = (): void => {}
/** Cancelled entries tolerated before a sweep is considered (a sweep walks the whole heap). */
const MIN_SWEEP = 1024

abstract class ScheduledClock implements Clock {
  abstract readonly mode: ClockMode
  protected readonly heap = new TimerHeap()
  private seq = 0
  /** Cancelled entries still in the heap: every API Gateway → Lambda request cancels a 29 s timeout. */
  private cancelled = 0
  abstract now(): number
  protected abstract armed(): void

  at(at: number, fn: () => void): Timer {
    const entry: Entry = { at, seq: this.seq++, fn, cancelled: false }
    this.heap.push(entry)
    this.armed()
    return { cancel: () => this.cancel(entry) }
  }
  /**
   * A cancelled timer lets go of its callback (and what that holds: a request's promise) at once, and
   * once cancelled entries are most of the heap they are swept out: under load thousands of 29 s
   * integration timeouts a second would otherwise stay queued, and be sifted through, until due.
   */
  private cancel(entry: Entry): void {
    if (entry.cancelled) return
    entry.cancelled = true
    entry.fn = noop
    this.cancelled += 1
    if (this.cancelled > MIN_SWEEP && this.cancelled * 2 > this.heap.size) {
      this.heap.compact()
      this.cancelled = 0
    }
  }
  after(ms: number, fn: () => void): Timer {
    return this.at(this.now() + Math.max(0, ms), fn)
  }

  protected dropAll(): void {
    while (this.heap.pop() !== undefined);
    this.cancelled = 0
  }

  /** Runs every timer due at or before `until`; `onEach` sees each timer's instant first. */
  protected runDue(until: number, onEach?: (at: number) => void): void {
    for (;;) {
      const next = this.heap.peek()
      if (next === undefined || next.at > until) return
      this.heap.pop()
      if (next.cancelled) {
        this.cancelled -= 1
        continue
      }
      // Run now: a later cancel() is a no-op and must not count it as waiting in the heap.
      next.cancelled = true
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
    this.dropAll()
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
    this.dropAll()
  }
}

export function createClock(mode: ClockMode, start?: number): SystemClock | ManualClock {
  return mode === 'manual' ? new ManualClock(start) : new SystemClock()
}
