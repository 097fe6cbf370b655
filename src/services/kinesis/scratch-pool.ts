// A few reusable buffers for PutRecords' decoded data: a 5 MiB call's records are decoded into one,
// copied into the shard's slabs (or written to its segment file) and the buffer taken back when the
// call is answered, instead of a fresh 5 MiB allocation per call. Under a flood those allocations sit
// below glibc's (raised) mmap threshold, so freed they stay in the process's heap as holes that
// later allocations fragment: measured as RSS that the records retained never account for.

/** Every buffer's size: the largest valid call's data (5 MiB of blobs and keys) fits one. */
export const SCRATCH_BYTES = 5 * 1_048_576

export class ScratchPool {
  private readonly free: Buffer[] = []
  private readonly keep: number

  /** `keep`: buffers held between calls (more are made when calls overlap, and dropped when given back). */
  constructor(keep = 4) {
    this.keep = keep
  }

  /** A buffer of at least `bytes`: a pooled one up to SCRATCH_BYTES, a one-off past it (a call that will be refused). */
  take(bytes: number): Buffer {
    if (bytes > SCRATCH_BYTES) return Buffer.allocUnsafeSlow(bytes)
    return this.free.pop() ?? Buffer.allocUnsafeSlow(SCRATCH_BYTES)
  }

  /** Takes a buffer back once nothing points into it any more. */
  give(buffer: Buffer): void {
    if (buffer.length === SCRATCH_BYTES && this.free.length < this.keep && !this.free.includes(buffer)) this.free.push(buffer)
  }

  get held(): number {
    return this.free.length
  }
}
