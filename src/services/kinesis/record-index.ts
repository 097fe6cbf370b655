// A shard's record index as columns of typed arrays (34 bytes a record, no object per record): its
// counter, arrival, data size, partition-key size and where its bytes are (memory slab position or
// segment file and offset). Records are materialised only when read. Rows before `head` are trimmed.

const INITIAL = 256

export class RecordIndex {
  counter = new Float64Array(INITIAL)
  arrival = new Float64Array(INITIAL)
  size = new Uint32Array(INITIAL)
  keyBytes = new Uint16Array(INITIAL)
  /** Memory: the key's position in the shard's slab stream. Disk: the segment (its first counter). */
  block = new Float64Array(INITIAL)
  /** Disk: where the record's data starts in its segment (the key's bytes sit just before it). */
  offset = new Uint32Array(INITIAL)
  /** First retained row. */
  head = 0
  /** Rows written (retained ones are head…length-1). */
  length = 0

  get retained(): number {
    return this.length - this.head
  }

  /** Appends a row (its location set by the caller's store); returns its row number. */
  push(counter: number, arrival: number, size: number, keyBytes: number, block: number, offset: number): number {
    if (this.length === this.counter.length) this.grow()
    const row = this.length++
    this.counter[row] = counter
    this.arrival[row] = arrival
    this.size[row] = size
    this.keyBytes[row] = keyBytes
    this.block[row] = block
    this.offset[row] = offset
    return row
  }

  /** Drops rows before `head`, moving the rest down once they are more than half the columns (rows renumber). */
  trimTo(head: number): void {
    this.head = head
    if (head > 1024 && head * 2 > this.length) {
      const n = this.length - head
      for (const column of this.columns()) column.copyWithin(0, head, this.length)
      this.head = 0
      this.length = n
      // Give memory back after a burst that retention has mostly dropped.
      if (this.counter.length > INITIAL && n * 4 < this.counter.length) this.resize(Math.max(INITIAL, n * 2))
    }
  }

  /** The first retained row whose counter is at or after `counter` (binary search), or `length`. */
  rowAt(counter: number): number {
    let lo = this.head
    let hi = this.length
    const counters = this.counter
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (counters[mid]! < counter) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private grow(): void {
    this.resize(this.counter.length * 2)
  }

  private resize(capacity: number): void {
    const n = this.length
    const copy = <A extends Float64Array | Uint32Array | Uint16Array>(from: A, make: (n: number) => A): A => {
      const to = make(capacity)
      to.set(from.subarray(0, n))
      return to
    }
    this.counter = copy(this.counter, (c) => new Float64Array(c))
    this.arrival = copy(this.arrival, (c) => new Float64Array(c))
    this.size = copy(this.size, (c) => new Uint32Array(c))
    this.keyBytes = copy(this.keyBytes, (c) => new Uint16Array(c))
    this.block = copy(this.block, (c) => new Float64Array(c))
    this.offset = copy(this.offset, (c) => new Uint32Array(c))
  }

  private columns(): Array<Float64Array | Uint32Array | Uint16Array> {
    return [this.counter, this.arrival, this.size, this.keyBytes, this.block, this.offset]
  }
}
