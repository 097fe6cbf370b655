// Nimbus's end of the pipe its own bootstraps talk over when they run as processes (Node.js:
// bootstrap/node/pipe-port.mjs; Python: bootstrap.py's PipeApi): invocations down one socket,
// console lines (Node.js) and answers up another, in framed messages. A warm invoke is one frame
// each way (the answer carries the request for the next invocation), instead of an HTTP response
// and a new HTTP request on the loopback Runtime API.
//
// Frame: [u8 kind][u32 header bytes][u32 body bytes][header: JSON][body], big-endian lengths.
//   runtime → Nimbus  LOG   body: console output (whole lines, `\n`-terminated)
//                     POST  header {path?, errorType?, next?, rss?}, body: the answer (Runtime API path `path`)
//   Nimbus → runtime  INVOKE header: the Lambda-Runtime-* headers (lower-case), body: the event
import type { Readable, Writable } from 'node:stream'
import { LineSplitter } from './log-capture.ts'
import { invocationHeaders, MAX_RESPONSE_BYTES, type Delivery } from './runtime-api.ts'

export const LOG = 1
export const POST = 2
export const INVOKE = 3
const PREFIX_BYTES = 9
/** Headers are a few hundred bytes; anything bigger is not the bootstrap talking. */
const MAX_HEADER_BYTES = 1024 * 1024

/** What the runtime said over the pipe. */
export interface PipeListener {
  /** An answer (as POST `path` to the Runtime API); `body` undefined when over 6 MB. */
  post(path: string, body: Buffer | undefined, errorType: string | undefined): void
  /** The runtime waits for its next invocation. */
  next(): void
  /** One line of console output. */
  output(line: string): void
  /** The runtime's peak resident memory so far (getrusage's maxrss), in KB. */
  memory(kb: number): void
}

interface PostHeader { path?: unknown; errorType?: unknown; next?: unknown; rss?: unknown }

export class RuntimePipe {
  private readonly toRuntime: Writable
  private readonly listener: PipeListener
  private readonly lines: LineSplitter
  /** Bytes of a frame's prefix and header received so far. */
  private head: Buffer = Buffer.alloc(0)
  private kind = 0
  private header: PostHeader | undefined
  private bodyLeft = 0
  private body: Buffer[] = []
  /** The body is over 6 MB: it is read and dropped, the answer reported as too large. */
  private skipping = false
  private broken = false

  constructor(toRuntime: Writable, fromRuntime: Readable, listener: PipeListener) {
    this.toRuntime = toRuntime
    this.listener = listener
    this.lines = new LineSplitter((line) => listener.output(line))
    // The runtime's end goes away with it; a write racing that must not throw in Nimbus.
    toRuntime.on('error', () => {})
    fromRuntime.on('data', (chunk: Buffer) => this.read(chunk))
    fromRuntime.on('end', () => this.lines.end())
    fromRuntime.on('error', () => {})
  }

  /** Hands an invocation to the runtime waiting for it. */
  deliver(d: Delivery): void {
    const header = JSON.stringify(invocationHeaders(d))
    // The header is ASCII but for a client context (which may be any Latin-1 text): its length in UTF-8.
    const headerBytes = Buffer.byteLength(header)
    const bodyBytes = d.payload.length
    // One write (one syscall) for a small event, the frame made in one buffer; a big event is not copied.
    const small = bodyBytes <= 64 * 1024
    const frame = Buffer.allocUnsafe(PREFIX_BYTES + headerBytes + (small ? bodyBytes : 0))
    frame[0] = INVOKE
    frame.writeUInt32BE(headerBytes, 1)
    frame.writeUInt32BE(bodyBytes, 5)
    frame.write(header, PREFIX_BYTES)
    if (small) {
      d.payload.copy(frame, PREFIX_BYTES + headerBytes)
      return void this.toRuntime.write(frame)
    }
    this.toRuntime.cork()
    this.toRuntime.write(frame)
    this.toRuntime.write(d.payload)
    this.toRuntime.uncork()
  }

  private read(chunk: Buffer): void {
    let at = 0
    while (at < chunk.length && !this.broken) {
      if (this.header === undefined && this.kind === 0) at = this.readHead(chunk, at)
      else {
        const n = Math.min(this.bodyLeft, chunk.length - at)
        this.takeBody(chunk.subarray(at, at + n))
        at += n
        this.bodyLeft -= n
      }
      if (this.kind !== 0 && this.bodyLeft === 0) this.endFrame()
    }
  }

  /** Reads the prefix and header from `at`; returns where the body starts (or the chunk's end). */
  private readHead(chunk: Buffer, at: number): number {
    let buf: Buffer
    let from: number
    if (this.head.length === 0) {
      buf = chunk
      from = at
    } else {
      buf = Buffer.concat([this.head, chunk.subarray(at)])
      from = 0
    }
    const available = buf.length - from
    if (available < PREFIX_BYTES) return this.keep(buf, from, chunk.length)
    const kind = buf.readUInt8(from)
    const headerBytes = buf.readUInt32BE(from + 1)
    const bodyBytes = buf.readUInt32BE(from + 5)
    if ((kind !== LOG && kind !== POST) || headerBytes > MAX_HEADER_BYTES) {
      // Not the bootstrap's protocol (the function's own code wrote here): stop listening.
      this.broken = true
      return chunk.length
    }
    if (available < PREFIX_BYTES + headerBytes) return this.keep(buf, from, chunk.length)
    let header: PostHeader = {}
    if (kind === POST) {
      try {
        header = JSON.parse(buf.toString('utf8', from + PREFIX_BYTES, from + PREFIX_BYTES + headerBytes)) as PostHeader
      } catch {
        header = {}
      }
    }
    const consumed = PREFIX_BYTES + headerBytes
    // Where the body starts in `chunk`: what of `head` the frame's head used is not in it.
    const bodyAt = at + consumed - this.head.length
    this.head = Buffer.alloc(0)
    this.kind = kind
    this.header = header
    this.bodyLeft = bodyBytes
    this.body = []
    this.skipping = kind === POST && bodyBytes > MAX_RESPONSE_BYTES
    return bodyAt
  }

  /** Keeps an incomplete head for the next chunk. */
  private keep(buf: Buffer, from: number, end: number): number {
    this.head = Buffer.from(buf.subarray(from))
    return end
  }

  private takeBody(part: Buffer): void {
    if (part.length === 0) return
    // Console output streams straight into lines: a huge line never sits whole in memory.
    if (this.kind === LOG) this.lines.write(part)
    else if (!this.skipping) this.body.push(part)
  }

  private endFrame(): void {
    const kind = this.kind
    const header = this.header ?? {}
    const body = this.skipping ? undefined : this.body.length === 1 ? this.body[0]! : Buffer.concat(this.body)
    this.kind = 0
    this.header = undefined
    this.body = []
    this.skipping = false
    if (kind !== POST) return
    if (typeof header.rss === 'number') this.listener.memory(header.rss)
    if (typeof header.path === 'string') {
      this.listener.post(header.path, body, typeof header.errorType === 'string' && header.errorType !== '' ? header.errorType : undefined)
    }
    if (header.next === true) this.listener.next()
  }
}
