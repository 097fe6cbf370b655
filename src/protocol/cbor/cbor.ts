// A small CBOR codec (RFC 8949) for AWS's `application/x-amz-cbor-1.1` bodies: maps, arrays, text and
// byte strings, integers, floats (half, single, double), booleans, null/undefined, indefinite lengths
// (Jackson's CBOR generator, which the Java SDK and KCL use, writes maps and arrays that way) and tag 1
// timestamps. Malformed input throws CborError; nothing here trusts a length it has not checked.

/** Bad CBOR: the protocol answers AWS's SerializationException. */
export class CborError extends Error {}

/** Containers a body may nest (far beyond any AWS model's depth; stops a stack-exhausting body). */
const MAX_DEPTH = 100

/**
 * Tag 1 is "epoch-based date/time". AWS's CBOR clients (Java SDK v1/v2 `SdkCborGenerator`) write it
 * with an integer of epoch *milliseconds*, not RFC seconds, and read it back the same way. So an
 * integer under tag 1 is milliseconds; a float is RFC seconds (Smithy's RPCv2 CBOR writes those).
 */
function tagOneDate(value: unknown): Date {
  if (typeof value === 'number') return new Date(Number.isInteger(value) ? value : Math.round(value * 1000))
  if (typeof value === 'bigint') return new Date(Number(value))
  throw new CborError('tag 1 must hold a number')
}

export function decodeCbor(input: Uint8Array): unknown {
  const decoder = new Decoder(input)
  const value = decoder.item(0)
  if (decoder.offset !== input.length) throw new CborError('unexpected bytes after the CBOR item')
  return value
}

const BREAK = Symbol('break')

class Decoder {
  offset = 0
  private readonly view: DataView
  private readonly bytes: Uint8Array
  constructor(bytes: Uint8Array) {
    this.bytes = bytes
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  private need(n: number): void {
    if (this.offset + n > this.bytes.length) throw new CborError('CBOR body ends early')
  }

  private argument(info: number): number | bigint {
    if (info < 24) return info
    switch (info) {
      case 24: this.need(1); return this.view.getUint8(this.offset++)
      case 25: { this.need(2); const v = this.view.getUint16(this.offset); this.offset += 2; return v }
      case 26: { this.need(4); const v = this.view.getUint32(this.offset); this.offset += 4; return v }
      case 27: {
        this.need(8)
        const v = this.view.getBigUint64(this.offset)
        this.offset += 8
        return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
      }
      default: throw new CborError(`reserved additional information ${info}`)
    }
  }

  private length(info: number): number {
    const n = this.argument(info)
    if (typeof n === 'bigint' || n > this.bytes.length) throw new CborError('CBOR length exceeds the body')
    return n
  }

  /** One data item; BREAK only where the caller reads an indefinite-length container. */
  item(depth: number, allowBreak = false): unknown {
    if (depth > MAX_DEPTH) throw new CborError('CBOR nested too deeply')
    this.need(1)
    const initial = this.view.getUint8(this.offset++)
    const major = initial >> 5
    const info = initial & 0x1f
    switch (major) {
      case 0: return this.argument(info)
      case 1: {
        const n = this.argument(info)
        return typeof n === 'bigint' ? -1n - n : -1 - n
      }
      case 2: return info === 31 ? this.chunks(2, depth) : this.bytesOf(this.length(info))
      case 3: return info === 31 ? this.chunks(3, depth) : this.text(this.length(info))
      case 4: return this.array(info, depth)
      case 5: return this.map(info, depth)
      case 6: {
        const tag = this.argument(info)
        const value = this.item(depth + 1)
        return tag === 1 ? tagOneDate(value) : value
      }
      default: return this.simple(info, allowBreak)
    }
  }

  private bytesOf(n: number): Buffer {
    this.need(n)
    const out = Buffer.from(this.bytes.subarray(this.offset, this.offset + n))
    this.offset += n
    return out
  }

  private text(n: number): string {
    this.need(n)
    const out = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.offset, n).toString('utf8')
    this.offset += n
    return out
  }

  /** Indefinite-length strings: definite chunks of the same major type until a break. */
  private chunks(major: 2 | 3, depth: number): Buffer | string {
    const parts: Buffer[] = []
    for (;;) {
      const chunk = this.item(depth + 1, true)
      if (chunk === BREAK) break
      if (major === 2 ? !Buffer.isBuffer(chunk) : typeof chunk !== 'string') throw new CborError('bad chunk in an indefinite-length string')
      parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer)
    }
    const all = Buffer.concat(parts)
    return major === 2 ? all : all.toString('utf8')
  }

  private array(info: number, depth: number): unknown[] {
    const out: unknown[] = []
    if (info === 31) {
      for (let v = this.item(depth + 1, true); v !== BREAK; v = this.item(depth + 1, true)) out.push(v)
      return out
    }
    const n = this.length(info)
    for (let i = 0; i < n; i++) out.push(this.item(depth + 1))
    return out
  }

  private map(info: number, depth: number): Record<string, unknown> {
    // A null-prototype object: a "__proto__" key is just a key.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    const indefinite = info === 31
    const n = indefinite ? Infinity : this.length(info)
    for (let i = 0; i < n; i++) {
      const key = this.item(depth + 1, indefinite)
      if (key === BREAK) break
      if (typeof key !== 'string' && typeof key !== 'number') throw new CborError('map keys must be strings')
      out[String(key)] = this.item(depth + 1)
    }
    return out
  }

  private simple(info: number, allowBreak: boolean): unknown {
    switch (info) {
      case 20: return false
      case 21: return true
      case 22: return null
      case 23: return undefined
      case 25: { this.need(2); const v = halfToNumber(this.view.getUint16(this.offset)); this.offset += 2; return v }
      case 26: { this.need(4); const v = this.view.getFloat32(this.offset); this.offset += 4; return v }
      case 27: { this.need(8); const v = this.view.getFloat64(this.offset); this.offset += 8; return v }
      case 31:
        if (allowBreak) return BREAK
        throw new CborError('unexpected break')
      default:
        if (info === 24) { this.need(1); this.offset++ }
        throw new CborError(`unsupported simple value ${info}`)
    }
  }
}

function halfToNumber(half: number): number {
  const exp = (half >> 10) & 0x1f
  const mant = half & 0x3ff
  const sign = half & 0x8000 ? -1 : 1
  if (exp === 0) return sign * mant * 2 ** -24
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN
  return sign * (1024 + mant) * 2 ** (exp - 25)
}

/** Encodes plain data: objects → maps (undefined members dropped), Buffer/Uint8Array → byte strings, Date → tag 1 (ms). */
export function encodeCbor(value: unknown): Buffer {
  const encoder = new Encoder()
  encoder.write(value)
  return encoder.finish()
}

class Encoder {
  private buf = Buffer.allocUnsafe(256)
  private at = 0

  finish(): Buffer {
    return this.buf.subarray(0, this.at)
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n))
    this.buf.copy(next, 0, 0, this.at)
    this.buf = next
  }

  private head(major: number, n: number | bigint): void {
    this.room(9)
    const m = major << 5
    if (typeof n === 'bigint' || n > 0xffffffff) {
      this.buf[this.at++] = m | 27
      this.buf.writeBigUInt64BE(BigInt(n), this.at)
      this.at += 8
    } else if (n < 24) this.buf[this.at++] = m | n
    else if (n < 0x100) { this.buf[this.at++] = m | 24; this.buf[this.at++] = n }
    else if (n < 0x10000) { this.buf[this.at++] = m | 25; this.buf.writeUInt16BE(n, this.at); this.at += 2 }
    else { this.buf[this.at++] = m | 26; this.buf.writeUInt32BE(n, this.at); this.at += 4 }
  }

  private raw(bytes: Uint8Array): void {
    this.room(bytes.length)
    this.buf.set(bytes, this.at)
    this.at += bytes.length
  }

  write(value: unknown): void {
    if (value === null || value === undefined) { this.room(1); this.buf[this.at++] = value === null ? 0xf6 : 0xf7; return }
    switch (typeof value) {
      case 'boolean': this.room(1); this.buf[this.at++] = value ? 0xf5 : 0xf4; return
      case 'number': return this.number(value)
      case 'bigint': return value >= 0n ? this.head(0, value) : this.head(1, -1n - value)
      case 'string': {
        const bytes = Buffer.from(value, 'utf8')
        this.head(3, bytes.length)
        return this.raw(bytes)
      }
    }
    if (value instanceof Date) {
      this.head(6, 1)
      return this.number(value.getTime())
    }
    if (value instanceof Uint8Array) {
      this.head(2, value.length)
      return this.raw(value)
    }
    if (Array.isArray(value)) {
      this.head(4, value.length)
      for (const item of value) this.write(item)
      return
    }
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    this.head(5, entries.length)
    for (const [k, v] of entries) {
      this.write(k)
      this.write(v)
    }
  }

  private number(n: number): void {
    if (Number.isSafeInteger(n) && !Object.is(n, -0)) return n >= 0 ? this.head(0, n) : this.head(1, -1 - n)
    this.room(9)
    this.buf[this.at++] = 0xfb
    this.buf.writeDoubleBE(n, this.at)
    this.at += 8
  }
}
