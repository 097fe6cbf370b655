// How many large PutRecords bodies are taken in at a time. Each one being read holds its decoded data
// (up to 5 MiB) until answered; the others wait unread — in the client's and the kernel's socket
// buffers (TCP's and HTTP/2's flow control), not in Nimbus's memory. The process does one thing at
// a time anyway, so reading eight 5 MiB bodies side by side is no faster than two by two; measured
// under a flood of 8 calls in flight, ~30 MB less RSS. A body that has waited `patienceMs` goes
// ahead regardless, so a client that stalls mid-body holds up the others that long at most.

export class Admission {
  private active = 0
  private readonly waiting: Array<{ go: () => void }> = []
  private readonly limit: number
  private readonly patienceMs: number

  constructor(limit = 2, patienceMs = 1_000) {
    this.limit = limit
    this.patienceMs = patienceMs
  }

  /** A turn: `ready` settles when it starts; `leave` ends it (or gives up the wait), once. */
  enter(): { ready?: Promise<void>; leave: () => void } {
    if (this.active < this.limit) {
      this.active++
      return { leave: once(() => this.next()) }
    }
    const waiter = { go: () => {} }
    let started = false
    const ready = new Promise<void>((resolve) => {
      waiter.go = () => {
        started = true
        clearTimeout(timer)
        resolve()
      }
    })
    // Patience ran out: goes ahead beside the others (counted, so it hands on its turn when done).
    const timer = setTimeout(() => {
      this.drop(waiter)
      this.active++
      waiter.go()
    }, this.patienceMs)
    this.waiting.push(waiter)
    return {
      ready,
      leave: once(() => {
        if (started) return this.next()
        clearTimeout(timer)
        this.drop(waiter)
      }),
    }
  }

  /** Bodies being read (or their calls answered), and waiting: in /_nimbus/health. */
  get counts(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length }
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
