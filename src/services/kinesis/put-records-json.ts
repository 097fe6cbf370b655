// A fast parse of PutRecords' awsJson body (up to 5 MiB, nearly all of it base64 `Data`): the bytes
// are scanned where they are and every record's data decoded into one buffer, instead of a body-sized
// string, a JSON tree with a string per record and a Buffer per record. It gives exactly the input the
// generic JSON path gives, or undefined for anything unusual (escapes, non-ASCII, unknown or repeated
// members, nulls, unpadded or invalid base64…), which the generic path then parses and answers.
import { isAscii } from 'node:buffer'
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

interface Span { start: number; end: number }
interface RecordSpans { key?: Span; data?: Span; hashKey?: Span }

/** Below this a body is left to the generic path: the fast one only pays off on large calls. */
export const FAST_PUT_RECORDS_MIN_BYTES = 64 * 1024

/**
 * PutRecordsInput as the generic path would read it from this body, or undefined to let that path
 * parse it. With a pool, the records' data are views of one of its buffers (`scratch`), which the
 * caller gives back once the call is answered (nothing may keep a record's Data past that).
 */
export function parsePutRecordsJson(body: Buffer, pool?: ScratchPool): { input: Record<string, unknown>; scratch?: Buffer } | undefined {
  if (!isAscii(body)) return undefined
  const scan = new Scanner(body)
  const top = scan.topLevel()
  if (top === undefined) return undefined
  const input: Record<string, unknown> = {}
  if (top.streamName !== undefined) input['StreamName'] = scan.text(top.streamName)
  if (top.streamArn !== undefined) input['StreamARN'] = scan.text(top.streamArn)
  if (top.records === undefined) return { input }
  const decoded = decodeRecords(body, top.records, pool)
  if (decoded === undefined) return undefined
  input['Records'] = decoded.records
  return { input, scratch: decoded.scratch }
}

/** Every record's data decoded into one buffer (each record a view of it); undefined when any is not plain padded base64. */
function decodeRecords(body: Buffer, spans: RecordSpans[], pool: ScratchPool | undefined):
  { records: Array<Record<string, unknown>>; scratch?: Buffer } | undefined {
  let total = 0
  const sizes = new Array<number>(spans.length)
  for (let i = 0; i < spans.length; i++) {
    const data = spans[i]!.data
    if (data === undefined) continue
    const length = data.end - data.start
    if (length % 4 !== 0) return undefined
    const pad = length === 0 ? 0 : body[data.end - 1] !== EQUALS ? 0 : body[data.end - 2] !== EQUALS ? 1 : 2
    sizes[i] = (length / 4) * 3 - pad
    total += sizes[i]!
  }
  const scratch = pool?.take(total)
  const out = scratch ?? Buffer.allocUnsafe(total)
  // Each record decodes from its own short-lived Latin-1 string (young-generation garbage, not a
  // body-sized allocation per call). A decoder that met anything but base64 writes fewer bytes than
  // the padding promised (it skips what it can't read): that body is the generic path's.
  const records = new Array<Record<string, unknown>>(spans.length)
  let at = 0
  for (let i = 0; i < spans.length; i++) {
    const r = spans[i]!
    const record: Record<string, unknown> = {}
    if (r.data !== undefined) {
      const size = sizes[i]!
      if (size > 0 && out.write(body.toString('latin1', r.data.start, r.data.end), at, size, 'base64') !== size) {
        if (scratch !== undefined) pool!.give(scratch)
        return undefined
      }
      record['Data'] = out.subarray(at, at + size)
      at += size
    }
    if (r.hashKey !== undefined) record['ExplicitHashKey'] = body.toString('latin1', r.hashKey.start, r.hashKey.end)
    if (r.key !== undefined) record['PartitionKey'] = body.toString('latin1', r.key.start, r.key.end)
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

  text(span: Span): string {
    return this.b.toString('latin1', span.start, span.end)
  }

  topLevel(): { streamName?: Span; streamArn?: Span; records?: RecordSpans[] } | undefined {
    const out: { streamName?: Span; streamArn?: Span; records?: RecordSpans[] } = {}
    const ok = this.object((name) => {
      if (name === 'StreamName' && out.streamName === undefined) return (out.streamName = this.plainString()) !== undefined
      if (name === 'StreamARN' && out.streamArn === undefined) return (out.streamArn = this.plainString()) !== undefined
      if (name === 'Records' && out.records === undefined) return (out.records = this.records()) !== undefined
      return false
    })
    if (!ok) return undefined
    this.space()
    return this.at === this.b.length ? out : undefined
  }

  private records(): RecordSpans[] | undefined {
    const b = this.b
    this.space()
    if (b[this.at] !== OPEN_BRACKET) return undefined
    this.at++
    const out: RecordSpans[] = []
    this.space()
    if (b[this.at] === CLOSE_BRACKET) {
      this.at++
      return out
    }
    for (;;) {
      const record: RecordSpans = {}
      const ok = this.object((name) => {
        if (name === 'Data' && record.data === undefined) return (record.data = this.dataString()) !== undefined
        if (name === 'PartitionKey' && record.key === undefined) return (record.key = this.plainString()) !== undefined
        if (name === 'ExplicitHashKey' && record.hashKey === undefined) return (record.hashKey = this.plainString()) !== undefined
        return false
      })
      if (!ok) return undefined
      out.push(record)
      this.space()
      const c = b[this.at++]
      if (c === CLOSE_BRACKET) return out
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
      const name = this.plainString()
      if (name === undefined) return false
      this.space()
      if (b[this.at] !== COLON) return false
      this.at++
      this.space()
      if (!member(this.text(name))) return false
      this.space()
      const c = b[this.at++]
      if (c === CLOSE_BRACE) return true
      if (c !== COMMA) return false
    }
  }

  /** A string without escapes or control characters (names, keys, hash keys): its contents' span. */
  private plainString(): Span | undefined {
    const b = this.b
    if (b[this.at] !== QUOTE) return undefined
    const start = this.at + 1
    const end = b.indexOf(QUOTE, start)
    if (end < 0) return undefined
    for (let i = start; i < end; i++) if (b[i]! < 0x20 || b[i] === BACKSLASH) return undefined
    this.at = end + 1
    return { start, end }
  }

  /**
   * Base64 data: only its end is looked for here (a native search, not a loop over megabytes). An
   * escape, control character or anything else that isn't base64 makes its decoding come up short,
   * which sends the body to the generic path (decodeRecords).
   */
  private dataString(): Span | undefined {
    const b = this.b
    if (b[this.at] !== QUOTE) return undefined
    const start = this.at + 1
    const end = b.indexOf(QUOTE, start)
    if (end < 0) return undefined
    this.at = end + 1
    return { start, end }
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
