// CBOR (RFC 8949): the data model Smithy RPC v2 CBOR carries. Encodes and decodes every major
// type (integers to 64 bits, byte and text strings, arrays, maps, tags, simple values, half/single/
// double floats) with indefinite lengths on decode. Self-contained: imports nothing.

/** A tagged item the decoder does not interpret (tag 1, epoch time, becomes its number unless kept). */
export class CborTag {
  readonly tag: number
  readonly value: unknown
  constructor(tag: number, value: unknown) {
    this.tag = tag
    this.value = value
  }
}

export class CborError extends Error {}

const MAX_DEPTH = 64

// ---- encoding --------------------------------------------------------------------------------

class Writer {
  private buf = Buffer.allocUnsafe(256)
  private n = 0
  private room(k: number): void {
    if (this.n + k <= this.buf.length) return
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + k))
    this.buf.copy(next, 0, 0, this.n)
    this.buf = next
  }
  byte(b: number): void {
    this.room(1)
    this.buf[this.n++] = b
  }
  bytes(b: Uint8Array): void {
    this.room(b.length)
    this.buf.set(b, this.n)
    this.n += b.length
  }
  head(major: number, length: number | bigint): void {
    const m = major << 5
    if (typeof length === 'bigint' || length > 0xffffffff) {
      this.room(9)
      this.buf[this.n++] = m | 27
      this.buf.writeBigUInt64BE(BigInt(length), this.n)
      this.n += 8
    } else if (length < 24) this.byte(m | length)
    else if (length < 0x100) {
      this.byte(m | 24)
      this.byte(length)
    } else if (length < 0x10000) {
      this.room(3)
      this.buf[this.n++] = m | 25
      this.buf.writeUInt16BE(length, this.n)
      this.n += 2
    } else {
      this.room(5)
      this.buf[this.n++] = m | 26
      this.buf.writeUInt32BE(length, this.n)
      this.n += 4
    }
  }
  float64(x: number): void {
    this.room(9)
    this.buf[this.n++] = 0xfb
    this.buf.writeDoubleBE(x, this.n)
    this.n += 8
  }
  result(): Buffer {
    return this.buf.subarray(0, this.n)
  }
}

function write(w: Writer, value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new CborError('value nested too deeply')
  if (value === null) return w.byte(0xf6)
  if (value === undefined) return w.byte(0xf7)
  if (value === false) return w.byte(0xf4)
  if (value === true) return w.byte(0xf5)
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) return value >= 0 ? w.head(0, value) : w.head(1, -1 - value)
    return w.float64(value)
  }
  if (typeof value === 'bigint') return value >= 0n ? w.head(0, value) : w.head(1, -1n - value)
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8')
    w.head(3, bytes.length)
    return w.bytes(bytes)
  }
  if (value instanceof Uint8Array) {
    w.head(2, value.length)
    return w.bytes(value)
  }
  if (value instanceof Date) {
    w.head(6, 1)
    return w.float64(value.getTime() / 1000)
  }
  if (value instanceof CborTag) {
    w.head(6, value.tag)
    return write(w, value.value, depth + 1)
  }
  if (Array.isArray(value)) {
    w.head(4, value.length)
    for (const item of value) write(w, item, depth + 1)
    return
  }
  if (value instanceof Map) {
    w.head(5, value.size)
    for (const [k, v] of value) {
      write(w, k, depth + 1)
      write(w, v, depth + 1)
    }
    return
  }
  if (typeof value === 'object') {
    // Undefined members are absent, as in JSON.
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    w.head(5, entries.length)
    for (const [k, v] of entries) {
      write(w, k, depth + 1)
      write(w, v, depth + 1)
    }
    return
  }
  throw new CborError(`cannot encode a ${typeof value}`)
}

export function encode(value: unknown): Buffer {
  const w = new Writer()
  write(w, value, 0)
  return w.result()
}

// ---- decoding --------------------------------------------------------------------------------

export interface DecodeOptions {
  /** Tag 1 (epoch-based date/time) → its number of seconds, instead of a CborTag. Default true. */
  epochAsNumber?: boolean
}

const BREAK = Symbol('break')

class Reader {
  pos = 0
  readonly data: Buffer
  readonly options: Required<DecodeOptions>
  constructor(data: Uint8Array, options: DecodeOptions) {
    this.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    this.options = { epochAsNumber: options.epochAsNumber ?? true }
  }
  need(k: number): void {
    if (this.pos + k > this.data.length) throw new CborError('unexpected end of CBOR data')
  }
  u8(): number {
    this.need(1)
    return this.data[this.pos++]!
  }
  /** The argument of a head: a count, length or value (bigint past 2^53). */
  argument(info: number): number | bigint {
    if (info < 24) return info
    if (info === 24) return this.u8()
    if (info === 25) {
      this.need(2)
      const v = this.data.readUInt16BE(this.pos)
      this.pos += 2
      return v
    }
    if (info === 26) {
      this.need(4)
      const v = this.data.readUInt32BE(this.pos)
      this.pos += 4
      return v
    }
    if (info === 27) {
      this.need(8)
      const v = this.data.readBigUInt64BE(this.pos)
      this.pos += 8
      return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
    }
    throw new CborError(`invalid additional information ${info}`)
  }
  length(info: number): number {
    const n = this.argument(info)
    if (typeof n === 'bigint' || n > this.data.length) throw new CborError('length exceeds the data')
    return n
  }
}

function halfToNumber(h: number): number {
  const exp = (h >> 10) & 0x1f
  const mant = h & 0x3ff
  const sign = h & 0x8000 ? -1 : 1
  if (exp === 0) return sign * 2 ** -14 * (mant / 1024)
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN
  return sign * 2 ** (exp - 15) * (1 + mant / 1024)
}

function chunks(r: Reader, major: number, info: number, depth: number): Buffer {
  if (info !== 31) {
    const n = r.length(info)
    r.need(n)
    const out = r.data.subarray(r.pos, r.pos + n)
    r.pos += n
    return out
  }
  // Indefinite length: definite chunks of the same major type until "break".
  const parts: Buffer[] = []
  for (;;) {
    const b = r.u8()
    if (b === 0xff) return Buffer.concat(parts)
    if (b >> 5 !== major || (b & 0x1f) === 31) throw new CborError('invalid chunk in an indefinite-length string')
    parts.push(chunks(r, major, b & 0x1f, depth))
  }
}

function read(r: Reader, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new CborError('CBOR nested too deeply')
  const b = r.u8()
  const major = b >> 5
  const info = b & 0x1f
  switch (major) {
    case 0: return r.argument(info)
    case 1: {
      const n = r.argument(info)
      return typeof n === 'bigint' ? -1n - n : -1 - n
    }
    case 2: return new Uint8Array(chunks(r, 2, info, depth))
    case 3: return chunks(r, 3, info, depth).toString('utf8')
    case 4: {
      const out: unknown[] = []
      if (info === 31) {
        for (;;) {
          const item = readItem(r, depth + 1)
          if (item === BREAK) return out
          out.push(item)
        }
      }
      const n = r.length(info)
      for (let i = 0; i < n; i++) out.push(read(r, depth + 1))
      return out
    }
    case 5: {
      const out: Record<string, unknown> = {}
      const n = info === 31 ? Infinity : r.length(info)
      for (let i = 0; i < n; i++) {
        const key = readItem(r, depth + 1)
        if (key === BREAK) {
          if (info === 31) return out
          throw new CborError('unexpected break')
        }
        if (typeof key !== 'string' && typeof key !== 'number') throw new CborError('map keys must be text or integers')
        const name = String(key)
        const value = read(r, depth + 1)
        // A "__proto__" key is data: assigning it would replace the object's prototype instead.
        if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true })
        else out[name] = value
      }
      return out
    }
    case 6: {
      const tag = r.argument(info)
      const value = read(r, depth + 1)
      if (tag === 1 && r.options.epochAsNumber && typeof value === 'number') return value
      // Bignums (tags 2 and 3) as numbers: Smithy's bigInteger is rare and JSON-like precision suffices here.
      if ((tag === 2 || tag === 3) && value instanceof Uint8Array) {
        let n = 0n
        for (const byte of value) n = (n << 8n) | BigInt(byte)
        return tag === 2 ? n : -1n - n
      }
      return new CborTag(Number(tag), value)
    }
    default: {
      if (info === 20) return false
      if (info === 21) return true
      if (info === 22) return null
      if (info === 23) return undefined
      if (info === 24) {
        r.u8()
        return undefined
      }
      if (info === 25) {
        r.need(2)
        const v = halfToNumber(r.data.readUInt16BE(r.pos))
        r.pos += 2
        return v
      }
      if (info === 26) {
        r.need(4)
        const v = r.data.readFloatBE(r.pos)
        r.pos += 4
        return v
      }
      if (info === 27) {
        r.need(8)
        const v = r.data.readDoubleBE(r.pos)
        r.pos += 8
        return v
      }
      if (info === 31) throw new CborError('unexpected break')
      if (info < 20) return undefined
      throw new CborError(`invalid simple value ${info}`)
    }
  }
}

function readItem(r: Reader, depth: number): unknown {
  if (r.data[r.pos] === 0xff) {
    r.pos++
    return BREAK
  }
  return read(r, depth)
}

/** Decodes exactly one CBOR data item; trailing bytes are an error. */
export function decode(data: Uint8Array, options: DecodeOptions = {}): unknown {
  const r = new Reader(data, options)
  const value = read(r, 0)
  if (r.pos !== r.data.length) throw new CborError('trailing bytes after the CBOR data item')
  return value
}
