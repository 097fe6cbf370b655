// An upload's body checked as it streams through to S3, with the flag on: a signed payload hash
// (x-amz-content-sha256) against the bytes, or STREAMING-AWS4-HMAC-SHA256-PAYLOAD's per-chunk
// signatures (each chained on the one before, from the seed signature in the Authorization header)
// and the signed trailer. Bytes pass through unchanged: S3 still decodes the aws-chunked framing.
import { createHash, type Hash } from 'node:crypto'
import { type Readable, Transform } from 'node:stream'
import type { AwsError } from '../../protocol/errors.ts'
import type { HttpRequest } from '../../protocol/http.ts'
import { chunkSignatureMismatch, contentSha256Mismatch } from './auth-errors.ts'
import { chunkStringToSign, EMPTY_SHA256, sha256Hex, signature, trailerStringToSign } from './signing.ts'

/** What the seed signature was made with: the chunks chain on it with the same date and scope. */
export interface Seed {
  accessKeyId: string
  amzDate: string
  scope: string
  provided: string
}

const MAX_LINE = 4096

/**
 * Follows the aws-chunked framing (`<hex>;chunk-signature=<sig>\r\n<data>\r\n` … `0;chunk-signature=<sig>\r\n`,
 * then trailer lines and a blank line) and throws S3's SignatureDoesNotMatch at the first chunk or
 * trailer whose signature is wrong. Framing it can't follow is left to S3's decoder, which refuses it.
 */
export class ChunkSignatures {
  private state: 'size' | 'data' | 'crlf' | 'trailer' | 'done' | 'unreadable' = 'size'
  private line = ''
  private remaining = 0
  private crlf = 0
  private hash: Hash = createHash('sha256')
  private expected = ''
  private previous: string
  private trailerText = ''
  private readonly key: Buffer
  private readonly seed: Seed
  private readonly trailer: boolean

  constructor(key: Buffer, seed: Seed, trailer: boolean) {
    this.key = key
    this.seed = seed
    this.trailer = trailer
    this.previous = seed.provided
  }

  push(chunk: Buffer): void {
    let i = 0
    while (i < chunk.length) {
      if (this.state === 'done' || this.state === 'unreadable') return
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - i)
        this.hash.update(chunk.subarray(i, i + take))
        i += take
        this.remaining -= take
        if (this.remaining === 0) {
          this.check(this.hash.digest('hex'))
          this.state = 'crlf'
        }
      } else if (this.state === 'crlf') {
        if (chunk[i] !== (this.crlf === 0 ? 0x0d : 0x0a)) this.state = 'unreadable'
        i++
        if (++this.crlf === 2) {
          this.crlf = 0
          this.state = 'size'
        }
      } else {
        const newline = chunk.indexOf(0x0a, i)
        const stop = newline === -1 ? chunk.length : newline
        this.line += chunk.toString('latin1', i, stop)
        if (this.line.length > MAX_LINE) this.state = 'unreadable'
        if (newline === -1) return
        i = newline + 1
        const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line
        this.line = ''
        if (this.state === 'size') this.sizeLine(line)
        else this.trailerLine(line)
      }
    }
  }

  /** At the end of the body: nothing to add (an incomplete body is S3's IncompleteBody). */
  end(): void {}

  private sizeLine(line: string): void {
    const [hex = '', ...extensions] = line.split(';')
    if (!/^[0-9a-fA-F]{1,16}$/.test(hex.trim())) {
      this.state = 'unreadable'
      return
    }
    const sent = extensions.find((e) => e.trim().startsWith('chunk-signature='))?.trim().slice('chunk-signature='.length) ?? ''
    this.expected = sent
    this.remaining = parseInt(hex, 16)
    if (this.remaining > 0) {
      this.hash = createHash('sha256')
      this.state = 'data'
      return
    }
    this.check(EMPTY_SHA256)
    // Without a trailer the final chunk is followed by a blank line, read as an empty trailer section.
    this.state = 'trailer'
  }

  /** One chunk's signature: chained on the previous one over the chunk's SHA-256. */
  private check(chunkHash: string): void {
    const toSign = chunkStringToSign(this.seed.amzDate, this.seed.scope, this.previous, chunkHash)
    const computed = signature(this.key, toSign)
    if (computed !== this.expected) throw chunkSignatureMismatch(this.seed.accessKeyId, toSign, this.expected)
    this.previous = computed
  }

  private trailerLine(line: string): void {
    if (line !== '') {
      const colon = line.indexOf(':')
      const name = line.slice(0, colon).trim().toLowerCase()
      if (name === 'x-amz-trailer-signature') this.expected = line.slice(colon + 1).trim()
      else this.trailerText += `${name}:${line.slice(colon + 1).trim()}\n`
      return
    }
    this.state = 'done'
    if (!this.trailer) return
    const toSign = trailerStringToSign(this.seed.amzDate, this.seed.scope, this.previous, sha256Hex(this.trailerText))
    if (signature(this.key, toSign) !== this.expected) throw chunkSignatureMismatch(this.seed.accessKeyId, toSign, this.expected)
  }
}

/** The body checked against its chunk signatures: a buffered one at once, a streamed one as it is read. */
export function checkedBody(request: HttpRequest, chunks: ChunkSignatures): AwsError | { bodyStream: Readable } | undefined {
  if (request.bodyStream === undefined) {
    try {
      chunks.push(request.body)
      return undefined
    } catch (error) {
      return error as AwsError
    }
  }
  return { bodyStream: passThrough(request.bodyStream, (chunk) => chunks.push(chunk), () => chunks.end()) }
}

/** A streamed body whose SHA-256 must be the one signed: XAmzContentSHA256Mismatch at its end instead of an end. */
export function hashedBody(source: Readable, expected: string): Readable {
  const hash = createHash('sha256')
  return passThrough(source, (chunk) => hash.update(chunk), () => {
    const computed = hash.digest('hex')
    if (computed !== expected) throw contentSha256Mismatch(expected, computed)
  })
}

/**
 * The source's bytes unchanged; a throw from `onChunk`/`onEnd` becomes the stream's error, which the
 * reader (S3's ingest) answers with. The source is never destroyed: the gateway drains what is left.
 */
function passThrough(source: Readable, onChunk: (chunk: Buffer) => void, onEnd: () => void): Readable {
  const through = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        onChunk(chunk)
        callback(null, chunk)
      } catch (error) {
        source.unpipe(through)
        callback(error as Error)
      }
    },
    flush(callback) {
      try {
        onEnd()
        callback()
      } catch (error) {
        callback(error as Error)
      }
    },
  })
  source.on('error', (error) => through.destroy(error))
  // A client gone midway: the reader sees the stream close early (IncompleteBody), as without the check.
  source.on('close', () => {
    if (!source.readableEnded) through.destroy()
  })
  source.pipe(through)
  return through
}
