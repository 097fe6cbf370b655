// Immutable byte blobs for object bodies: chunks in memory, or files under a data directory. A
// blob is written once through a writer (abort leaves nothing behind), then read as streams, any
// byte range. File names are random ids, never anything a client sent: no key can escape the folder.
import { randomBytes } from 'node:crypto'
import { closeSync, createReadStream, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { basename, join } from 'node:path'
import { Readable } from 'node:stream'

export interface Blob {
  readonly size: number
  /** Bytes [start, end) as a stream; the whole blob by default. */
  read(start?: number, end?: number): Readable
  /** The whole blob at once: for small objects other services read synchronously (Lambda code). */
  readAll(): Buffer
  /** Blobs are shared (a copied object, a completed upload's parts); files go with the last release. */
  retain(): void
  release(): void
  /** The files holding the bytes, in order (what a durable row stores); none in memory. */
  files(): string[]
}

export interface BlobWriter {
  write(chunk: Buffer): void
  /** The finished blob; the writer is spent. */
  commit(): Blob
  /** Drops what was written. */
  abort(): void
}

export interface BlobStore {
  writer(): BlobWriter
  /** One blob reading the parts in order (a completed multipart upload); the parts are retained. */
  concat(parts: readonly Blob[]): Blob
  /** Removes every file the store made (stop, reset), and nothing else. */
  clear(): void
  readonly kind: 'memory' | 'file'
}

/**
 * Until when a file no longer referenced must stay: the commit removing the row that referenced it
 * (persistence.flushed()). A crash before that commit leaves the row, which still needs the file.
 */
export type CommitBarrier = () => Promise<void> | undefined

/** Chunks as they arrived; nothing concatenated into one giant buffer. */
class MemoryBlob implements Blob {
  readonly chunks: readonly Buffer[]
  readonly size: number
  constructor(chunks: readonly Buffer[], size: number) {
    this.chunks = chunks
    this.size = size
  }
  read(start = 0, end = this.size): Readable {
    // Every chunk queued at once (they are in memory already: views, no copies), so a reader gets
    // them in one turn and the response can hand them to the socket together (one writev), where
    // Readable.from would yield one chunk per turn.
    const stream = new Readable({ read() {} })
    for (const chunk of sliceChunks(this.chunks, start, end)) stream.push(chunk)
    stream.push(null)
    return stream
  }
  readAll(): Buffer {
    return Buffer.concat(this.chunks as Buffer[], this.size)
  }
  retain(): void {}
  release(): void {}
  files(): string[] {
    return []
  }
}

/**
 * A small body kept in the row that names it instead of a file of its own (durable stores only):
 * creating and later unlinking a file per small object cost more than the rest of a PUT. Its one
 * "file" entry carries the bytes (`inline:<base64>`), so a row stores it like any other body.
 */
class InlineBlob extends MemoryBlob {
  override files(): string[] {
    return [INLINE_PREFIX + this.readAll().toString('base64')]
  }
}

/** Bodies up to this many bytes are inlined in their rows by a durable store; larger ones are files. */
export const INLINE_MAX_BYTES = 8 * 1024
const INLINE_PREFIX = 'inline:'

function* sliceChunks(chunks: readonly Buffer[], start: number, end: number): Generator<Buffer> {
  let offset = 0
  for (const chunk of chunks) {
    const next = offset + chunk.length
    if (next > start && offset < end) yield chunk.subarray(Math.max(0, start - offset), Math.min(chunk.length, end - offset))
    offset = next
    if (offset >= end) return
  }
}

export class MemoryBlobStore implements BlobStore {
  readonly kind = 'memory'
  /** Largest chunk held (tests check an upload never became one giant buffer). */
  largestChunk = 0
  writer(): BlobWriter {
    const chunks: Buffer[] = []
    let size = 0
    return {
      write: (chunk) => {
        chunks.push(chunk)
        size += chunk.length
        if (chunk.length > this.largestChunk) this.largestChunk = chunk.length
      },
      commit: () => new MemoryBlob(chunks, size),
      abort: () => {
        chunks.length = 0
      },
    }
  }
  concat(parts: readonly Blob[]): Blob {
    return new ConcatBlob(parts)
  }
  clear(): void {}
}

/** A file written once; removed when the last holder releases it. */
class FileBlob implements Blob {
  readonly path: string
  readonly size: number
  private refs: number
  private readonly discard: (path: string) => void
  constructor(path: string, size: number, discard: (path: string) => void, refs = 1) {
    this.path = path
    this.size = size
    this.discard = discard
    this.refs = refs
  }
  read(start = 0, end = this.size): Readable {
    if (end <= start) return Readable.from([])
    return createReadStream(this.path, { start, end: end - 1, highWaterMark: 256 * 1024 })
  }
  readAll(): Buffer {
    return readFileSync(this.path)
  }
  retain(): void {
    this.refs++
  }
  release(): void {
    if (--this.refs === 0) this.discard(this.path)
  }
  files(): string[] {
    return [basename(this.path)]
  }
}

/** Blob files are `<32 hex>.blob`: a name no user file has by chance, so clear() deletes only these. */
const BLOB_SUFFIX = '.blob'
const OWN_BLOB = /^[0-9a-f]{32}\.blob$/

export class FileBlobStore implements BlobStore {
  readonly kind = 'file'
  private readonly dir: string
  private readonly barrier: CommitBarrier | undefined
  /** Files released while their removal waits for a commit (durable stores only). */
  private doomed: string[] = []
  /** Files read back at start, shared by every row naming them (restore). */
  private restored = new Map<string, FileBlob>()
  private readonly discard = (path: string): void => {
    if (this.barrier === undefined) {
      rmSync(path, { force: true })
      return
    }
    this.doomed.push(path)
    // After the running code made its row writes: those are what the removal must wait for.
    if (this.doomed.length === 1) queueMicrotask(() => this.removeDoomed())
  }
  constructor(dir: string, barrier?: CommitBarrier) {
    this.dir = dir
    this.barrier = barrier
    mkdirSync(dir, { recursive: true })
  }
  private removeDoomed(): void {
    const paths = this.doomed
    this.doomed = []
    const remove = () => {
      for (const path of paths) rmSync(path, { force: true })
    }
    const committed = this.barrier?.()
    // A failed commit keeps its rows pending: the files stay (swept at the next start if unreferenced).
    if (committed === undefined) remove()
    else committed.then(remove, () => {})
  }
  /**
   * A blob read back from a stored row's file names (a file named by several rows is shared), or
   * undefined when a file is missing or not one of ours (removed by hand: the row can't be served).
   */
  restore(files: readonly string[]): Blob | undefined {
    const blobs: Blob[] = []
    for (const name of files) {
      if (name.startsWith(INLINE_PREFIX)) {
        const bytes = Buffer.from(name.slice(INLINE_PREFIX.length), 'base64')
        blobs.push(new InlineBlob([bytes], bytes.length))
        continue
      }
      let blob = this.restored.get(name)
      if (blob === undefined) {
        if (!OWN_BLOB.test(name)) return undefined
        let size: number
        try {
          size = statSync(join(this.dir, name)).size
        } catch {
          return undefined
        }
        blob = new FileBlob(join(this.dir, name), size, this.discard, 0)
        this.restored.set(name, blob)
      }
      blobs.push(blob)
    }
    if (blobs.length === 1) {
      blobs[0]!.retain()
      return blobs[0]!
    }
    return new ConcatBlob(blobs)
  }
  /**
   * Ends a start's restore: removes body files no row names (a body written before a crash, whose row
   * never committed; a file whose removal's commit did not happen), and nothing else.
   */
  sweep(): number {
    const referenced = this.restored
    this.restored = new Map()
    let removed = 0
    for (const name of this.ownFiles()) {
      if (referenced.has(name)) continue
      rmSync(join(this.dir, name), { force: true })
      removed++
    }
    return removed
  }
  private ownFiles(): string[] {
    try {
      return readdirSync(this.dir).filter((name) => OWN_BLOB.test(name))
    } catch {
      return [] // The folder is gone already (removed by its owner): nothing of ours is left.
    }
  }
  writer(): BlobWriter {
    // Small bodies stay in memory and go into their row (InlineBlob); the file is made only once the
    // body grows past the inline limit, with what was buffered written first.
    let held: Buffer[] | undefined = []
    let fd: number | undefined
    let path = ''
    let size = 0
    const writeAll = (chunk: Buffer) => {
      let written = 0
      while (written < chunk.length) written += writeSync(fd!, chunk, written)
    }
    const close = () => {
      if (fd !== undefined) closeSync(fd)
      fd = undefined
    }
    return {
      // Synchronous writes keep the body's order trivially; the stream's backpressure paces them.
      write: (chunk) => {
        size += chunk.length
        if (held !== undefined && size <= INLINE_MAX_BYTES) {
          held.push(chunk)
          return
        }
        if (held !== undefined) {
          path = join(this.dir, randomBytes(16).toString('hex') + BLOB_SUFFIX)
          fd = openSync(path, 'wx')
          for (const earlier of held) writeAll(earlier)
          held = undefined
        }
        writeAll(chunk)
      },
      commit: () => {
        if (held !== undefined) return new InlineBlob(held, size)
        close()
        return new FileBlob(path, size, this.discard)
      },
      abort: () => {
        held = undefined
        const opened = fd !== undefined
        close()
        if (!opened) return
        try {
          unlinkSync(path)
        } catch {
          // already gone
        }
      },
    }
  }
  concat(parts: readonly Blob[]): Blob {
    return new ConcatBlob(parts)
  }
  clear(): void {
    // Only files named as this store names them: anything else in the folder is not Nimbus's to delete.
    for (const name of this.ownFiles()) this.discard(join(this.dir, name))
  }
}

/** Parts read back to back, without copying them. */
class ConcatBlob implements Blob {
  private readonly parts: readonly Blob[]
  readonly size: number
  constructor(parts: readonly Blob[]) {
    this.parts = parts
    for (const part of parts) part.retain()
    this.size = parts.reduce((sum, part) => sum + part.size, 0)
  }
  read(start = 0, end = this.size): Readable {
    const parts = this.parts
    return Readable.from((async function* () {
      let offset = 0
      for (const part of parts) {
        const next = offset + part.size
        if (next > start && offset < end) {
          yield* part.read(Math.max(0, start - offset), Math.min(part.size, end - offset))
        }
        offset = next
        if (offset >= end) return
      }
    })(), { objectMode: false })
  }
  readAll(): Buffer {
    return Buffer.concat(this.parts.map((part) => part.readAll()), this.size)
  }
  retain(): void {
    for (const part of this.parts) part.retain()
  }
  release(): void {
    for (const part of this.parts) part.release()
  }
  files(): string[] {
    return this.parts.flatMap((part) => part.files())
  }
}

export function createBlobStore(dataDir: string | undefined, barrier?: CommitBarrier): BlobStore {
  return dataDir === undefined ? new MemoryBlobStore() : new FileBlobStore(dataDir, barrier)
}
