// A few reusable buffers of one size for PutRecords' parse: a 5 MiB call's records are decoded into one,
// copied into the shard's slabs (or written to its segment file) and the buffer taken back when the
// call is answered, instead of a fresh 5 MiB allocation per call (likewise the call's keys and its
// raw bytes still arriving). Under a flood those allocations sit below glibc's (raised) mmap
// threshold, so freed they stay in the process's heap as holes that later allocations fragment:
// measured as RSS that the records retained never account for.

/** A data buffer's size: the largest valid call's data (5 MiB of blobs and keys) fits one. */
export const SCRATCH_BYTES = 5 * 1_048_576

export class ScratchPool {
  private readonly free: Buffer[] = []
  private readonly size: number
  private readonly keep: number

  /** `keep`: buffers held between calls (more are made when calls overlap, and dropped when given back). */
  constructor(size = SCRATCH_BYTES, keep = 4) {
    this.size = size
    this.keep = keep
  }

  /** A buffer of at least `bytes`: a pooled one up to the pool's size, a one-off past it (a call that will be refused). */
  take(bytes: number): Buffer {
    if (bytes > this.size) return Buffer.allocUnsafeSlow(bytes)
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size)
  }

  /** Takes a buffer back once nothing points into it any more. */
  give(buffer: Buffer): void {
    if (buffer.length === this.size && this.free.length < this.keep && !this.free.includes(buffer)) this.free.push(buffer)
  }

  get held(): number {
    return this.free.length
  }
}
