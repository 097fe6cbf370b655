// How many large PutRecords bodies are taken in at a time. Each one being read holds its decoded data
// (up to 5 MiB) until answered; the others wait unread — in the client's and the kernel's socket
// buffers (TCP's and HTTP/2's flow control), not in Nimbus's memory. The process does one thing at
// a time anyway, so reading eight 5 MiB bodies side by side is no faster than one by one; measured
// under a flood of 8 calls in flight, ~30 MB less RSS two by two, and a median ~5 MiB less again one by one. A waiting body goes ahead regardless once a
// turn has made no progress (no piece of its body, no answer) for `patienceMs`, so a client that
// stalls mid-body holds up the others that long at most. Turns that are merely slow (a busy or
// loaded machine) are not stalled: letting bodies ahead of them then only adds 5 MiB buffers
// (measured under load: 4 bodies let in at once after a 1 s wait, +21 MiB of RSS for the rest of a flood).
// A body never waits longer than `maxWaitMs` (10 s) though: clients that trickle a byte a second are
// never stalled, and without that bound one of them would hold every other large body (forever over
// HTTP/2; over HTTP/1.1 until the waiting socket's body idle timeout cut it).

/** A turn: `ready` settles when it starts; `progress` notes its body still arriving; `leave` ends it (or gives up the wait), once. */
export interface Turn { ready?: Promise<void>; progress: () => void; leave: () => void }

interface Active { last: number }

export class Admission {
  private active = 0
  private readonly turns = new Set<Active>()
  private readonly waiting: Array<{ go: () => void }> = []
  private readonly limit: number
  private readonly patienceMs: number
  private readonly maxWaitMs: number
  private readonly now: () => number

  /** `now`: a monotonic clock in ms (transport timing, not the service clock). */
  constructor(limit = 2, patienceMs = 1_000, now: () => number = () => performance.now(), maxWaitMs = 10 * patienceMs) {
    this.limit = limit
    this.patienceMs = patienceMs
    this.maxWaitMs = maxWaitMs
    this.now = now
  }

  enter(): Turn {
    if (this.active < this.limit) {
      this.active++
      return this.started()
    }
    const waiter = { go: () => {} }
    let turn: Turn | undefined
    let timer: NodeJS.Timeout | undefined
    const ready = new Promise<void>((resolve) => {
      waiter.go = () => {
        clearTimeout(timer)
        turn = this.started()
        resolve()
      }
    })
    // Each patience that passes: if a turn has stalled, or this body has waited `maxWaitMs`, it goes
    // ahead beside the others (counted, so it hands on its turn when done), else it waits on. Looked at
    // once pending I/O has been read (after a busy spell, pieces already arrived count as progress).
    const since = this.now()
    const look = () => {
      timer = setTimeout(() => setImmediate(() => {
        if (turn !== undefined || !this.waiting.includes(waiter)) return
        if (!this.stalled() && this.now() - since < this.maxWaitMs) return look()
        this.drop(waiter)
        this.active++
        waiter.go()
      }), this.patienceMs)
    }
    look()
    this.waiting.push(waiter)
    return {
      ready,
      progress: () => turn?.progress(),
      leave: once(() => {
        if (turn !== undefined) return turn.leave()
        clearTimeout(timer)
        this.drop(waiter)
      }),
    }
  }

  /** Bodies being read (or their calls answered), and waiting: in /_nimbus/health. */
  get counts(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length }
  }

  private started(): Turn {
    const entry: Active = { last: this.now() }
    this.turns.add(entry)
    return {
      progress: () => { entry.last = this.now() },
      leave: once(() => {
        this.turns.delete(entry)
        this.next()
      }),
    }
  }

  /** Some turn has had nothing happen for a patience. */
  private stalled(): boolean {
    const since = this.now() - this.patienceMs
    for (const t of this.turns) if (t.last <= since) return true
    return false
  }

  /** A turn ended: the longest-waiting body starts in its place. */
  private next(): void {
    const waiter = this.waiting.shift()
    if (waiter === undefined) this.active--
    else waiter.go()
  }

  private drop(waiter: { go: () => void }): void {
    const at = this.waiting.indexOf(waiter)
    if (at >= 0) this.waiting.splice(at, 1)
  }
}

function once(f: () => void): () => void {
  let done = false
  return () => {
    if (done) return
    done = true
    f()
  }
}
