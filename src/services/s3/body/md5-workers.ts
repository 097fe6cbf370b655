// The MD5 (ETag) of large upload bodies, computed on worker threads while the main thread keeps
// serving: MD5 is serial (~600 MiB/s here, OpenSSL) and was most of a 1 MiB PUT's CPU time. Each
// chunk is copied into a ring of shared memory the worker hashes from (a copy is ~100× cheaper than
// hashing it; posting a Buffer would clone it through a slow path), and its place is freed once hashed.
import { createHash } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'

/** Bodies declared smaller than this are hashed inline: a worker round trip costs more than their hash. */
export const OFFLOAD_MIN_BYTES = 256 * 1024
/**
 * Nor larger than this: one big stream hashes no faster on a worker, and a first worker (its own V8
 * heap) plus its ring would add ~35 MB to the memory a 256 MiB upload to a data dir may take.
 */
export const OFFLOAD_MAX_BYTES = 32 * 1024 * 1024
/** Shared ring per worker; a chunk that finds no room is posted as a copy instead (slower, same result). */
export const RING_BYTES = 8 * 1024 * 1024
/** Largest piece placed in the ring at once (a 4 MiB chunk goes in four pieces). */
const PIECE_BYTES = 1024 * 1024
/** Bytes announced to the worker per message: fewer wake-ups than one per socket read (64 KiB). */
const BATCH_BYTES = 256 * 1024

export interface Md5 {
  update(chunk: Buffer): void
  /** The 16-byte digest; the hash is spent. */
  digest(): Promise<Buffer>
  /** Drops the hash (a failed upload). */
  abort(): void
}

/** The hash in this thread, for small bodies. */
class InlineMd5 implements Md5 {
  private readonly hash = createHash('md5')
  update(chunk: Buffer): void {
    this.hash.update(chunk)
  }
  digest(): Promise<Buffer> {
    return Promise.resolve(this.hash.digest())
  }
  abort(): void {}
}

// Messages to a worker: [id, position, length] (bytes in the ring), [id, Uint8Array] (a copy),
// [id, 'digest'], [id, 'abort']. It answers [id, digest]. `consumed` is how far into the ring
// (a position that only grows) it has hashed, so the main thread knows which bytes it may overwrite.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const ring = new Uint8Array(workerData.ring)
const consumed = new BigInt64Array(workerData.consumed)
const size = ring.length
const hashes = new Map()
const hashOf = (id) => {
  let hash = hashes.get(id)
  if (hash === undefined) hashes.set(id, hash = createHash('md5'))
  return hash
}
parentPort.on('message', (message) => {
  const id = message[0]
  if (message.length === 3) {
    const start = message[1] % size
    hashOf(id).update(ring.subarray(start, start + message[2]))
    Atomics.store(consumed, 0, BigInt(message[1] + message[2]))
  } else if (message[1] === 'digest') {
    const digest = hashOf(id).digest()
    hashes.delete(id)
    parentPort.postMessage([id, digest])
  } else if (message[1] === 'abort') {
    hashes.delete(id)
  } else {
    hashOf(id).update(message[1])
  }
})
`

class HashWorker {
  private readonly worker: Worker
  private readonly ring: Uint8Array
  private readonly consumed: BigInt64Array
  /** Where the next piece goes: a position that only grows (modulo the ring size in memory). */
  private position = 0
  /** Ring bytes of one body placed but not yet posted: [id, position, length]. */
  private pending: [number, number, number] | undefined
  private readonly waiting = new Map<number, { resolve: (digest: Buffer) => void; reject: (error: Error) => void }>()
  sessions = 0
  dead = false

  constructor() {
    const ring = new SharedArrayBuffer(RING_BYTES)
    const consumed = new SharedArrayBuffer(8)
    this.ring = new Uint8Array(ring)
    this.consumed = new BigInt64Array(consumed)
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ring, consumed }, name: 'nimbus-s3-md5' })
    this.worker.on('message', ([id, digest]: [number, Uint8Array]) => {
      const waiter = this.waiting.get(id)
      this.waiting.delete(id)
      if (this.waiting.size === 0) this.worker.unref()
      waiter?.resolve(Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength))
    })
    const fail = (error: Error) => {
      this.dead = true
      for (const waiter of this.waiting.values()) waiter.reject(error)
      this.waiting.clear()
    }
    this.worker.on('error', fail)
    this.worker.on('exit', (code) => fail(new Error(`MD5 worker exited (code ${code})`)))
    // Unreferenced until a digest is awaited; after the listeners, which would reference it again.
    this.worker.unref()
  }

  update(id: number, chunk: Buffer): void {
    for (let offset = 0; offset < chunk.length; offset += PIECE_BYTES) {
      const piece = chunk.subarray(offset, offset + PIECE_BYTES)
      // A piece never wraps around the ring's end: it starts over at the beginning instead.
      let start = this.position
      if ((start % RING_BYTES) + piece.length > RING_BYTES) start += RING_BYTES - (start % RING_BYTES)
      if (start + piece.length - Number(Atomics.load(this.consumed, 0)) > RING_BYTES) {
        // No room (the worker is behind): a copy the message carries itself.
        this.flush()
        this.worker.postMessage([id, new Uint8Array(piece)])
        continue
      }
      this.ring.set(piece, start % RING_BYTES)
      this.position = start + piece.length
      // Consecutive bytes of one body go in one message (each message wakes the worker), never
      // across the ring's end: there the next byte's place is the ring's start, not the next address.
      const pending = this.pending
      if (pending !== undefined && pending[0] === id && pending[1] + pending[2] === start && start % RING_BYTES !== 0) {
        pending[2] += piece.length
      } else {
        this.flush()
        this.pending = [id, start, piece.length]
      }
      if (this.pending![2] >= BATCH_BYTES) this.flush()
    }
  }

  /** Sends the bytes placed but not yet announced. */
  private flush(): void {
    if (this.pending === undefined) return
    this.worker.postMessage(this.pending)
    this.pending = undefined
  }

  digest(id: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(new Error('MD5 worker is gone'))
      this.flush()
      // Referenced while someone awaits a digest; idle, it never keeps the process alive.
      if (this.waiting.size === 0) this.worker.ref()
      this.waiting.set(id, { resolve, reject })
      this.worker.postMessage([id, 'digest'])
    })
  }

  abort(id: number): void {
    if (this.dead) return
    this.flush()
    this.worker.postMessage([id, 'abort'])
  }
}

const pool: HashWorker[] = []
/**
 * One worker per core, at most four: while uploads stream the main thread mostly waits on sockets, so
 * hashing may use every core (on 2 cores, one worker capped a 1 MiB PUT flood at MD5's ~600/s).
 */
const poolSize = Math.max(1, Math.min(4, availableParallelism()))
let nextId = 0

/** The least busy live worker, started on first use. */
function pickWorker(): HashWorker {
  for (let i = pool.length - 1; i >= 0; i--) if (pool[i]!.dead) pool.splice(i, 1)
  let best = pool.reduce<HashWorker | undefined>((a, b) => a === undefined || b.sessions < a.sessions ? b : a, undefined)
  if (best === undefined || (best.sessions > 0 && pool.length < poolSize)) {
    best = new HashWorker()
    pool.push(best)
  }
  return best
}

class OffloadedMd5 implements Md5 {
  private readonly worker = pickWorker()
  private readonly id = nextId++
  private done = false
  constructor() {
    this.worker.sessions++
  }
  update(chunk: Buffer): void {
    this.worker.update(this.id, chunk)
  }
  digest(): Promise<Buffer> {
    this.finish()
    return this.worker.digest(this.id)
  }
  abort(): void {
    this.finish()
    this.worker.abort(this.id)
  }
  private finish(): void {
    if (!this.done) this.worker.sessions--
    this.done = true
  }
}

/** An MD5 for a body of `declaredBytes` (undefined: unknown, hashed inline). */
export function md5For(declaredBytes: number | undefined): Md5 {
  const offload = declaredBytes !== undefined && declaredBytes >= OFFLOAD_MIN_BYTES && declaredBytes <= OFFLOAD_MAX_BYTES
  return offload ? new OffloadedMd5() : new InlineMd5()
}
