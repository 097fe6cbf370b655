// A large PutRecords call's staging buffer kept as the stored bytes of the records the shards took,
// instead of copying them into the shards' slabs and reusing the buffer (in memory only; with a data
// dir the bytes go to segment files anyway). The parse decodes a call's data, in request order, into
// one pooled buffer (put-records-json.ts); when the shards took at least ADOPT_MIN_BYTES of it, the
// records they took are moved to its front (only those after a refused one move) and the buffer is
// cut to their length — it is a resizable ArrayBuffer (scratch-pool.ts), so the cut tail's pages go
// back to the system at once — and it stays, referenced by the shards' rows (memory-bodies.ts),
// until the last of them is trimmed. A flood's 5 MiB calls are mostly taken whole (the shards take
// 16 MiB a second), so most of its data is never copied and no staging buffer sits beside it.
// Smaller takes are copied (a kept buffer is a mapping of its own: a few big ones, not many small).

/** Records taken from one call below this are copied into the slabs and the buffer goes back to the pool. */
export const ADOPT_MIN_BYTES = 1_048_576

/** Buffers a parse lent to its call's records (until the call is answered). */
const lent = new WeakSet<object>()
/** Buffers kept as records' storage: never given back to the pool. */
const adopted = new WeakSet<object>()

/** The parse's data buffer now backs its call's records (only a pool's resizable buffer can be adopted). */
export function lend(buffer: Buffer): void {
  if (isResizable(buffer.buffer)) lent.add(buffer.buffer)
}

/** The call was answered: true when the shards kept the buffer (so it must not go back to the pool). */
export function settle(buffer: Buffer): boolean {
  lent.delete(buffer.buffer)
  return adopted.has(buffer.buffer)
}

/**
 * The records a call's shards took (`blobs`, in request order), when they are views of one lent
 * staging buffer and at least `minBytes`: moved to its front, the buffer cut to them and marked
 * kept; returns their new views. Otherwise undefined (the shards copy them). Views of the records not
 * taken (and the parse's own view of the buffer) are left empty by the cut: nothing reads them again.
 */
export function adopt(blobs: readonly Uint8Array[], minBytes = ADOPT_MIN_BYTES): Buffer[] | undefined {
  if (blobs.length === 0) return undefined
  const ab = blobs[0]!.buffer
  if (!(ab instanceof ArrayBuffer) || !lent.has(ab) || adopted.has(ab)) return undefined
  let total = 0
  let previousEnd = 0
  for (const blob of blobs) {
    // The parse decodes in request order: each taken record lies past the one before it.
    if (blob.buffer !== ab || blob.byteOffset < previousEnd) return undefined
    previousEnd = blob.byteOffset + blob.byteLength
    total += blob.byteLength
  }
  if (total < minBytes) return undefined
  const whole = Buffer.from(ab)
  const views = new Array<Buffer>(blobs.length)
  let at = 0
  for (let i = 0; i < blobs.length; i++) {
    const blob = blobs[i]!
    if (blob.byteOffset !== at) whole.copyWithin(at, blob.byteOffset, blob.byteOffset + blob.byteLength)
    views[i] = Buffer.from(ab, at, blob.byteLength)
    at += blob.byteLength
  }
  ;(ab as ArrayBuffer & { resize(n: number): void }).resize(at)
  adopted.add(ab)
  return views
}

/** Whether a record's data is a view of a kept staging buffer (the shard references it instead of copying). */
export function isAdopted(blob: Uint8Array): boolean {
  return adopted.has(blob.buffer)
}

function isResizable(ab: ArrayBufferLike): boolean {
  return ab instanceof ArrayBuffer && (ab as ArrayBuffer & { resizable?: boolean }).resizable === true
}
