// WebSocket (RFC 6455) on the wire: the opening handshake's accept key, and frames — read from a
// client (masked, possibly fragmented, with ping/pong/close control frames) and written to it.
import { createHash } from 'node:crypto'

/** RFC 6455 §1.3: the GUID appended to the client's Sec-WebSocket-Key before hashing. */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

export const opcodes = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const

/** Close codes Nimbus sends (RFC 6455 §7.4.1). */
export const closeCodes = { normal: 1000, goingAway: 1001, protocolError: 1002, invalidData: 1007, policy: 1008, tooBig: 1009, abnormal: 1006 } as const

/** The Sec-WebSocket-Accept value answering a client's Sec-WebSocket-Key. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64')
}

/** A valid handshake key is 16 bytes, base64 (RFC 6455 §4.2.1). */
export function validKey(key: string | undefined): key is string {
  return key !== undefined && /^[A-Za-z0-9+/]{22}==$/.test(key.trim())
}

/** One frame (FIN set) from the server; `mask` only for a client's frames (tests speaking as one). */
export function encodeFrame(opcode: number, payload: Buffer, mask?: Buffer): Buffer {
  const length = payload.length
  const extra = length < 126 ? 0 : length < 65_536 ? 2 : 8
  const head = Buffer.alloc(2 + extra + (mask === undefined ? 0 : 4))
  head[0] = 0x80 | opcode
  head[1] = (mask === undefined ? 0 : 0x80) | (extra === 0 ? length : extra === 2 ? 126 : 127)
  if (extra === 2) head.writeUInt16BE(length, 2)
  if (extra === 8) head.writeBigUInt64BE(BigInt(length), 2)
  if (mask === undefined) return Buffer.concat([head, payload])
  mask.copy(head, 2 + extra)
  const masked = Buffer.from(payload)
  for (let i = 0; i < masked.length; i++) masked[i]! ^= mask[i & 3]!
  return Buffer.concat([head, masked])
}

/** A close frame's payload: the code and a UTF-8 reason (at most 123 bytes). */
export function closePayload(code: number, reason = ''): Buffer {
  const text = Buffer.from(reason, 'utf8').subarray(0, 123)
  const payload = Buffer.alloc(2 + text.length)
  payload.writeUInt16BE(code, 0)
  text.copy(payload, 2)
  return payload
}

export type FrameEvent =
  | { kind: 'message'; data: Buffer; binary: boolean }
  | { kind: 'ping'; data: Buffer }
  | { kind: 'pong' }
  | { kind: 'close'; code: number | undefined; reason: string }
  /** The peer broke a rule: close with this code (1002 protocol error, 1009 too big). */
  | { kind: 'error'; code: number; reason: string }

export interface FrameLimits {
  /** Largest single frame's payload (API Gateway: 32 KB). */
  maxFrameBytes: number
  /** Largest message, its fragments together (API Gateway: 128 KB). */
  maxMessageBytes: number
}

/** Reads a client's byte stream into frame events; after an `error` or `close` it reads nothing more. */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0)
  private fragments: Buffer[] = []
  private fragmentBytes = 0
  private fragmentBinary = false
  private done = false
  private readonly limits: FrameLimits

  constructor(limits: FrameLimits) {
    this.limits = limits
  }

  push(chunk: Buffer): FrameEvent[] {
    if (this.done) return []
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
    const events: FrameEvent[] = []
    for (;;) {
      const event = this.next()
      if (event === undefined) break
      if (event !== 'skip') events.push(event)
      if (event !== 'skip' && (event.kind === 'error' || event.kind === 'close')) {
        this.done = true
        break
      }
    }
    return events
  }

  /** The next complete frame's event; undefined when more bytes are needed, 'skip' for a fragment kept. */
  private next(): FrameEvent | 'skip' | undefined {
    const b = this.buffered
    if (b.length < 2) return undefined
    const fin = (b[0]! & 0x80) !== 0
    const rsv = b[0]! & 0x70
    const opcode = b[0]! & 0x0f
    const masked = (b[1]! & 0x80) !== 0
    let length = b[1]! & 0x7f
    let offset = 2
    if (length === 126) {
      if (b.length < 4) return undefined
      length = b.readUInt16BE(2)
      offset = 4
    } else if (length === 127) {
      if (b.length < 10) return undefined
      const big = b.readBigUInt64BE(2)
      length = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big)
      offset = 10
    }
    // No extension was negotiated, and a client must mask every frame (RFC 6455 §5.1, §5.2).
    if (rsv !== 0 || !masked) return { kind: 'error', code: closeCodes.protocolError, reason: 'Protocol error' }
    const control = opcode >= 0x8
    if (control && (!fin || length > 125)) return { kind: 'error', code: closeCodes.protocolError, reason: 'Protocol error' }
    if (length > this.limits.maxFrameBytes) return { kind: 'error', code: closeCodes.tooBig, reason: 'Message too big' }
    if (b.length < offset + 4 + length) return undefined
    const mask = b.subarray(offset, offset + 4)
    const payload = Buffer.from(b.subarray(offset + 4, offset + 4 + length))
    for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!
    this.buffered = b.subarray(offset + 4 + length)
    if (control) return this.controlFrame(opcode, payload)
    return this.dataFrame(opcode, fin, payload)
  }

  private controlFrame(opcode: number, payload: Buffer): FrameEvent {
    if (opcode === opcodes.ping) return { kind: 'ping', data: payload }
    if (opcode === opcodes.pong) return { kind: 'pong' }
    if (opcode === opcodes.close) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : undefined
      return { kind: 'close', code, reason: payload.length > 2 ? payload.subarray(2).toString('utf8') : '' }
    }
    return { kind: 'error', code: closeCodes.protocolError, reason: 'Protocol error' }
  }

  private dataFrame(opcode: number, fin: boolean, payload: Buffer): FrameEvent | 'skip' {
    const continuing = this.fragments.length > 0
    if (opcode === opcodes.continuation ? !continuing : continuing || (opcode !== opcodes.text && opcode !== opcodes.binary)) {
      return { kind: 'error', code: closeCodes.protocolError, reason: 'Protocol error' }
    }
    if (opcode !== opcodes.continuation) this.fragmentBinary = opcode === opcodes.binary
    this.fragmentBytes += payload.length
    if (this.fragmentBytes > this.limits.maxMessageBytes) return { kind: 'error', code: closeCodes.tooBig, reason: 'Message too big' }
    this.fragments.push(payload)
    if (!fin) return 'skip'
    const data = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments)
    this.fragments = []
    this.fragmentBytes = 0
    return { kind: 'message', data, binary: this.fragmentBinary }
  }
}
