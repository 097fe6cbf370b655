// A fast parse of PutRecords' awsJson body (up to 5 MiB, nearly all of it base64 `Data`): the bytes
// are scanned where they are and every record's data decoded into one buffer, instead of a body-sized
// string, a JSON tree with a string per record and a Buffer per record. It gives exactly the input the
// generic JSON path gives, or undefined for anything unusual (escapes, non-ASCII, unknown or repeated
// members, nulls, unpadded or invalid base64…), which the generic path then parses and answers.
import { isAscii } from 'node:buffer'
import { DECODE_IN_PLACE_FROM, decodeBase64Into, decodeBase64ViaString, spareBitsClear } from './base64-decode.ts'
import type { ScratchPool } from './scratch-pool.ts'

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COLON = 0x3a
const COMMA = 0x2c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const EQUALS = 0x3d

/**
 * Each record's spans in the body as it is scanned: key, data and hash key start and end (-1: the
 * member is absent), six numbers a record in one array reused by every call (the parse is
 * synchronous). No object per record while the data decode: whatever is alive when a scavenge runs
 * is copied (the decode's short-lived strings trigger many), and survivors add up until V8 doubles
 * the young generation (measured: 32 → 128 MiB under a 60 s flood of 5 MiB calls).
 */
const SLOT = 6
let slots = new Int32Array(SLOT * 512)
let sizes = new Int32Array(512)

/** Below this a body is left to the generic path: the fast one only pays off on large calls. */
export const FAST_PUT_RECORDS_MIN_BYTES = 64 * 1024

/**
 * PutRecordsInput as the generic path would read it from this body, or undefined to let that path
 * parse it. With a pool, the records' data are views of one of its buffers (`scratch`), which the
 * caller gives back once the call is answered (nothing may keep a record's Data past that).
 */
export function parsePutRecordsJson(body: Buffer, pool?: ScratchPool, inPlaceFrom = DECODE_IN_PLACE_FROM):
  { input: Record<string, unknown>; scratch?: Buffer } | undefined {
  if (!isAscii(body)) return undefined
  const scan = new Scanner(body)
  const top = scan.topLevel()
  if (top === undefined) return undefined
  const input: Record<string, unknown> = {}
  if (top.streamName !== undefined) input['StreamName'] = top.streamName
  if (top.streamArn !== undefined) input['StreamARN'] = top.streamArn
  if (top.records === undefined) return { input }
  const decoded = decodeRecords(body, top.records, pool, inPlaceFrom)
  if (decoded === undefined) return undefined
  input['Records'] = decoded.records
  return { input, scratch: decoded.scratch }
}

/** Every record's data decoded into one buffer (each record a view of it); undefined when any is not plain padded base64. */
function decodeRecords(body: Buffer, n: number, pool: ScratchPool | undefined, inPlaceFrom: number):
  { records: Array<Record<string, unknown>>; scratch?: Buffer } | undefined {
  if (sizes.length < n) sizes = new Int32Array(slots.length / SLOT)
  let total = 0
  for (let i = 0; i < n; i++) {
    const start = slots[i * SLOT + 2]!
    const end = slots[i * SLOT + 3]!
    if (start < 0) continue
    const length = end - start
    // Spare bits set in the last group ('QR=='): the generic path's SerializationException, which neither decoder sees.
    if (length % 4 !== 0 || !spareBitsClear(body, start, end)) return undefined
    const pad = length === 0 ? 0 : body[end - 1] !== EQUALS ? 0 : body[end - 2] !== EQUALS ? 1 : 2
    sizes[i] = (length / 4) * 3 - pad
    total += sizes[i]!
  }
  const scratch = pool?.take(total)
  const out = scratch ?? Buffer.allocUnsafe(total)
  // A large record decodes straight from the body (base64-decode.ts); a small one from its own
  // short-lived Latin-1 string, Node's faster decoder. Either way a record that isn't plain padded
  // base64 comes up short of what its padding promised (Node skips what it can't read, and the
  // URL-safe characters it would take are refused; the other refuses it all): that body is the generic path's.
  let at = 0
  for (let i = 0; i < n; i++) {
    const start = slots[i * SLOT + 2]!
    const end = slots[i * SLOT + 3]!
    const size = start < 0 ? 0 : sizes[i]!
    if (size === 0) continue
    const written = end - start >= inPlaceFrom ? decodeBase64Into(body, start, end, out, at) : decodeBase64ViaString(body, start, end, out, at, size)
    if (written !== size) {
      if (scratch !== undefined) pool!.give(scratch)
      return undefined
    }
    at += size
  }
  // Only now the records' objects (each Data a view of the decoded bytes).
  const records = new Array<Record<string, unknown>>(n)
  at = 0
  for (let i = 0; i < n; i++) {
    const base = i * SLOT
    const record: Record<string, unknown> = {}
    if (slots[base + 2]! >= 0) {
      const size = sizes[i]!
      record['Data'] = out.subarray(at, at + size)
      at += size
    }
    if (slots[base + 4]! >= 0) record['ExplicitHashKey'] = body.toString('latin1', slots[base + 4], slots[base + 5])
    if (slots[base]! >= 0) record['PartitionKey'] = body.toString('latin1', slots[base], slots[base + 1])
    records[i] = record
  }
  return { records, scratch }
}

/** A strict JSON scanner for PutRecords' shape only; every method answers undefined past what it knows. */
class Scanner {
  private at = 0
  private readonly b: Buffer

  constructor(body: Buffer) {
    this.b = body
  }

  /** The last string read's contents: [start, end) in the body. */
  private start = 0
  private end = 0

  /** Top-level members; `records`: how many records the slots hold. */
  topLevel(): { streamName?: string; streamArn?: string; records?: number } | undefined {
    const out: { streamName?: string; streamArn?: string; records?: number } = {}
    const ok = this.object((name) => {
      if (name === 'StreamName' && out.streamName === undefined) return this.plainString() && (out.streamName = this.text()) !== undefined
      if (name === 'StreamARN' && out.streamArn === undefined) return this.plainString() && (out.streamArn = this.text()) !== undefined
      if (name === 'Records' && out.records === undefined) return (out.records = this.records()) !== undefined
      return false
    })
    if (!ok) return undefined
    this.space()
    return this.at === this.b.length ? out : undefined
  }

  private text(): string {
    return this.b.toString('latin1', this.start, this.end)
  }

  /** The records' spans into the slots; their count. */
  private records(): number | undefined {
    const b = this.b
    this.space()
    if (b[this.at] !== OPEN_BRACKET) return undefined
    this.at++
    let n = 0
    this.space()
    if (b[this.at] === CLOSE_BRACKET) {
      this.at++
      return n
    }
    for (;;) {
      const base = n * SLOT
      if (base + SLOT > slots.length) {
        const grown = new Int32Array(slots.length * 2)
        grown.set(slots)
        slots = grown
      }
      slots.fill(-1, base, base + SLOT)
      const ok = this.object((name) => {
        const at = name === 'PartitionKey' ? base : name === 'Data' ? base + 2 : name === 'ExplicitHashKey' ? base + 4 : -1
        if (at < 0 || slots[at]! >= 0) return false
        if (!(at === base + 2 ? this.dataString() : this.plainString())) return false
        slots[at] = this.start
        slots[at + 1] = this.end
        return true
      })
      if (!ok) return undefined
      n++
      this.space()
      const c = b[this.at++]
      if (c === CLOSE_BRACKET) return n
      if (c !== COMMA) return undefined
    }
  }

  /** `{ "name": value, … }`, each value read by `member` (false: not ours). */
  private object(member: (name: string) => boolean): boolean {
    const b = this.b
    this.space()
    if (b[this.at] !== OPEN_BRACE) return false
    this.at++
    this.space()
    if (b[this.at] === CLOSE_BRACE) {
      this.at++
      return true
    }
    for (;;) {
      this.space()
      if (!this.plainString()) return false
      const name = this.text()
      this.space()
      if (b[this.at] !== COLON) return false
      this.at++
      this.space()
      if (!member(name)) return false
      this.space()
      const c = b[this.at++]
      if (c === CLOSE_BRACE) return true
      if (c !== COMMA) return false
    }
  }

  /** A string without escapes or control characters (names, keys, hash keys): its contents' span into start/end. */
  private plainString(): boolean {
    const b = this.b
    if (b[this.at] !== QUOTE) return false
    const start = this.at + 1
    const end = b.indexOf(QUOTE, start)
    if (end < 0) return false
    for (let i = start; i < end; i++) if (b[i]! < 0x20 || b[i] === BACKSLASH) return false
    this.at = end + 1
    this.start = start
    this.end = end
    return true
  }

  /**
   * Base64 data: only its end is looked for here (a native search, not a loop over megabytes). An
   * escape, control character or anything else that isn't base64 makes its decoding come up short,
   * which sends the body to the generic path (decodeRecords).
   */
  private dataString(): boolean {
    const b = this.b
    if (b[this.at] !== QUOTE) return false
    const start = this.at + 1
    const end = b.indexOf(QUOTE, start)
    if (end < 0) return false
    this.at = end + 1
    this.start = start
    this.end = end
    return true
  }

  /** JSON's whitespace: space, tab, line feed, carriage return. */
  private space(): void {
    const b = this.b
    let i = this.at
    for (;;) {
      const c = b[i]
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++
      else break
    }
    this.at = i
  }
}
