// A few reusable buffers of one size for PutRecords' parse: a 5 MiB call's records are decoded into one,
// copied into the shard's slabs (or written to its segment file) and the buffer taken back when the
// call is answered, instead of a fresh 5 MiB allocation per call (likewise the call's keys and its
// raw bytes still arriving). Under a flood those allocations sit below glibc's (raised) mmap
// threshold, so freed they stay in the process's heap as holes that later allocations fragment:
// measured as RSS that the records retained never account for.
// A `releasable` pool's buffers are resizable ArrayBuffers: each its own mapping, whose pages are
// resident only once written and go back to the system as soon as it is cut (V8 decommits a shrunk
// tail), with no garbage collection needed. So a buffer the pool doesn't keep, or keeps idle for a
// while, costs no memory, and a call's buffer kept as its records' storage is cut to them
// (staged-data.ts). V8's optimised code reads and writes such buffers' bytes several times slower
// (measured), so JS loops must not run over them: the parse decodes elsewhere and copies in.

/** A data buffer's size: the largest valid call's data (5 MiB of blobs and keys) fits one. */
export const SCRATCH_BYTES = 5 * 1_048_576

/** Idle this long, the pool's buffers give their pages back (taken again, they are faulted in as written). */
const IDLE_RELEASE_MS = 2_000

type Resizable = ArrayBuffer & { resize(length: number): void; readonly maxByteLength: number }
const resizableBuffer = (size: number): Resizable =>
  new (ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => Resizable)(size, { maxByteLength: size })

export class ScratchPool {
  private readonly free: Buffer[] = []
  private readonly size: number
  private readonly keep: number
  private readonly idleMs: number
  private readonly releasable: boolean
  private idle: ReturnType<typeof setTimeout> | undefined
  private lastTake = 0

  /** `keep`: buffers held between calls (more are made when calls overlap, and released when given back). */
  constructor(size = SCRATCH_BYTES, keep = 4, options: { releasable?: boolean; idleMs?: number } = {}) {
    this.size = size
    this.keep = keep
    this.releasable = options.releasable ?? false
    this.idleMs = options.idleMs ?? IDLE_RELEASE_MS
  }

  /** A buffer of at least `bytes`: a pooled one up to the pool's size, a one-off past it (a call that will be refused). */
  take(bytes: number): Buffer {
    if (bytes > this.size) return Buffer.allocUnsafeSlow(bytes)
    this.lastTake = performance.now()
    const pooled = this.free.pop()
    if (pooled === undefined) return this.releasable ? Buffer.from(resizableBuffer(this.size)) : Buffer.allocUnsafeSlow(this.size)
    if (!this.releasable) return pooled
    const ab = pooled.buffer as Resizable
    // Released while idle: its pages come back (zeroed) as they are written.
    if (ab.byteLength < this.size) ab.resize(this.size)
    return pooled
  }

  /** Takes a buffer back once nothing points into it any more (one past what the pool keeps gives its pages back now). */
  give(buffer: Buffer): void {
    if (buffer.length !== this.size || this.free.includes(buffer)) return
    const ab = buffer.buffer as Resizable
    const ours = this.releasable ? ab.maxByteLength === this.size : buffer.byteOffset === 0 && ab.byteLength === this.size
    if (!ours) return
    if (this.free.length >= this.keep) {
      if (this.releasable) ab.resize(0)
      return
    }
    this.free.push(buffer)
    if (this.releasable) this.idle ??= setTimeout(() => this.releaseIdle(), this.idleMs).unref()
  }

  get held(): number {
    return this.free.length
  }

  /** Pages of the pooled buffers (resident ones), for tests. */
  get residentBytes(): number {
    return this.free.reduce((n, b) => n + b.buffer.byteLength, 0)
  }

  /** No call took a buffer for `idleMs`: the pooled ones give back their pages (else look again later). */
  private releaseIdle(): void {
    this.idle = undefined
    const quiet = performance.now() - this.lastTake
    if (quiet < this.idleMs) {
      this.idle = setTimeout(() => this.releaseIdle(), this.idleMs - quiet).unref()
      return
    }
    for (const b of this.free) (b.buffer as Resizable).resize(0)
  }
}
