// The bounded trace log: each hop a delivery makes (source → target, id, outcome, attempt, clock
// time) in a ring buffer the console draws. Recording stores references and numbers in
// preallocated columns — no object, string or JSON per hop — so the hot path pays nothing; rows
// are built only when someone reads. Each hop also takes a number from a sequence it may share
// with the gateway's API-call log (console/api-log.ts), so the two read back as one timeline.

/** `filtered`: the source chose not to deliver (an SNS subscription whose filter policy did not match). */
export type HopOutcome = 'delivered' | 'failed' | 'retrying' | 'dead-lettered' | 'dropped' | 'filtered'
const outcomes: readonly HopOutcome[] = ['delivered', 'failed', 'retrying', 'dead-lettered', 'dropped', 'filtered']
const codes = new Map(outcomes.map((o, i) => [o, i]))

export interface Hop {
  /** Clock time (epoch ms). */
  at: number
  /** The source's ARN (topic, rule, bucket, function). */
  source: string
  /** The target's ARN (or endpoint). */
  target: string
  /** The event or message id. */
  id: string
  outcome: HopOutcome
  /** 1 for the first attempt. */
  attempt: number
  /** What the target made of it (SQS message id, SNS message id, request id), when it said. */
  ref?: string
}

/** One numbering for every trace log of a Nimbus: hops and API calls interleave by it. */
export class TraceSequence {
  /** The number the next entry gets (entries start at 1, so `since=0` means "from the start"). */
  value = 1
}

/** A hop as the console lists it: with its place in the shared sequence. */
export interface NumberedHop extends Hop {
  seq: number
}

export class TraceLog {
  readonly capacity: number
  readonly sequence: TraceSequence
  private readonly seq: Float64Array
  private readonly at: Float64Array
  private readonly attempt: Uint32Array
  private readonly outcome: Uint8Array
  private readonly source: (string | undefined)[]
  private readonly target: (string | undefined)[]
  private readonly id: (string | undefined)[]
  private readonly ref: (string | undefined)[]
  /** Hops ever recorded; the newest is at (count - 1) % capacity. */
  private count = 0

  /** `capacity` 0 turns the log off (`--no-trace`): recording returns at once. */
  constructor(capacity = 10_000, sequence = new TraceSequence()) {
    this.capacity = Math.max(0, Math.floor(capacity))
    capacity = this.capacity
    this.sequence = sequence
    this.seq = new Float64Array(capacity)
    this.at = new Float64Array(capacity)
    this.attempt = new Uint32Array(capacity)
    this.outcome = new Uint8Array(capacity)
    this.source = new Array<string | undefined>(capacity).fill(undefined)
    this.target = new Array<string | undefined>(capacity).fill(undefined)
    this.id = new Array<string | undefined>(capacity).fill(undefined)
    this.ref = new Array<string | undefined>(capacity).fill(undefined)
  }

  record(at: number, source: string, target: string, id: string, outcome: HopOutcome, attempt: number, ref?: string): void {
    if (this.capacity === 0) return
    const i = this.count % this.capacity
    this.count += 1
    this.seq[i] = this.sequence.value++
    this.at[i] = at
    this.source[i] = source
    this.target[i] = target
    this.id[i] = id
    this.outcome[i] = codes.get(outcome)!
    this.attempt[i] = attempt
    this.ref[i] = ref
  }

  /** Hops ever recorded (the log holds the newest `capacity` of them). */
  get total(): number {
    return this.count
  }

  /** The newest `limit` hops (default all held), oldest first. */
  read(limit = this.capacity): Hop[] {
    const held = Math.min(this.count, this.capacity)
    const n = Math.max(0, Math.min(held, Math.floor(limit)))
    const hops: Hop[] = []
    for (let k = this.count - n; k < this.count; k++) {
      const i = k % this.capacity
      const hop: Hop = { at: this.at[i]!, source: this.source[i]!, target: this.target[i]!, id: this.id[i]!,
        outcome: outcomes[this.outcome[i]!]!, attempt: this.attempt[i]! }
      if (this.ref[i] !== undefined) hop.ref = this.ref[i]
      hops.push(hop)
    }
    return hops
  }

  /** Hops numbered after `since`, oldest first (all held when `since` is 0). */
  numbered(since = 0): NumberedHop[] {
    const held = Math.min(this.count, this.capacity)
    const hops: NumberedHop[] = []
    for (let k = this.count - held; k < this.count; k++) {
      const i = k % this.capacity
      if (this.seq[i]! <= since) continue
      const hop: NumberedHop = { seq: this.seq[i]!, at: this.at[i]!, source: this.source[i]!, target: this.target[i]!, id: this.id[i]!,
        outcome: outcomes[this.outcome[i]!]!, attempt: this.attempt[i]! }
      if (this.ref[i] !== undefined) hop.ref = this.ref[i]
      hops.push(hop)
    }
    return hops
  }

  clear(): void {
    this.count = 0
    this.source.fill(undefined)
    this.target.fill(undefined)
    this.id.fill(undefined)
    this.ref.fill(undefined)
  }
}
