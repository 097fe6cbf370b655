// A fast parse of PutRecords' awsJson body (up to 5 MiB, nearly all of it base64 `Data`), fed piece by
// piece as the body arrives: each record is scanned once whole and its data decoded into the call's
// staging buffer, and the pieces go, so a call in flight holds its decoded data and one record's raw
// bytes, not its whole body (nor a body-sized string, a JSON tree and a Buffer per record). It gives
// exactly the input the generic JSON path gives, or hands back a body for that path to parse: for
// anything unusual (escapes, non-ASCII, unknown or repeated members, nulls, unpadded or invalid
// base64…) it rebuilds what it had already taken in as plain JSON and keeps the rest raw.
import { isAscii } from 'node:buffer'
import { DECODE_IN_PLACE_FROM } from './base64-decode.ts'
import { BAD, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, dataString, memberOf, NEED, OPEN_BRACE, OPEN_BRACKET, plainString, space } from './put-records-scan.ts'
import { give, StagedRecords, take } from './put-records-staging.ts'
import type { ScratchPool } from './scratch-pool.ts'

/** Below this a body is left to the generic path: the fast one only pays off on large calls. */
export const FAST_PUT_RECORDS_MIN_BYTES = 64 * 1024

/** Where the parse is: what it expects next. `Raw`: it gave up, and keeps the body for the generic path. */
const Phase = { Open: 0, Member: 1, AfterMember: 2, Record: 3, AfterRecord: 4, Done: 5, Raw: 6 } as const
type Phase = (typeof Phase)[keyof typeof Phase]

/** The buffers a parse borrows: decoded data (a valid call's fits one), its raw bytes not yet consumed, keys. */
export interface ParsePools {
  data: ScratchPool
  pending: ScratchPool
  keys: ScratchPool
}

/** What the parse gives: PutRecordsInput (its Data views of a pooled buffer, given back by `release`), or a body for the generic path. */
export type PutRecordsParse = { input: Record<string, unknown>; release: () => void } | { body: Buffer }

/**
 * PutRecords' JSON body, piece by piece. Nothing it keeps points into a piece given to `write`, so the
 * caller may free each one as soon as it returns. Once `finish` has answered an input, its records' Data
 * stay valid until `release`; `abort` lets go of everything (the client left).
 */
export class PutRecordsParser {
  private phase: Phase = Phase.Open
  /** No member or record yet in the object or list being read (so `}` / `]` may close it). */
  private first = true
  /** Bytes received and not yet consumed: [start, end). */
  private pending: Buffer | undefined
  private start = 0
  private end = 0
  /** A record incomplete up to here: it can't end before a `}` arrives, so no rescan until one does. */
  private braceFrom = -1
  private streamName: string | undefined
  private streamArn: string | undefined
  /** Top-level members taken, in order (for the rebuild). */
  private readonly members: string[] = []
  /** The records taken so far: data decoded, keys copied (put-records-staging.ts). */
  private readonly staged: StagedRecords
  /** Once given up: the body so far (rebuilt prefix, then raw) and every piece after. */
  private raw: Buffer[] | undefined
  /** `pending` is the caller's whole body (parsePutRecordsJson), scanned where it is: never pooled. */
  private borrowed = false
  private readonly pools: ParsePools | undefined

  /** Without pools every buffer is its own (tests). */
  constructor(pools?: ParsePools, inPlaceFrom = DECODE_IN_PLACE_FROM) {
    this.pools = pools
    this.staged = new StagedRecords(pools?.data, pools?.keys, inPlaceFrom)
  }

  write(piece: Uint8Array): void {
    if (this.raw !== undefined) {
      this.raw.push(Buffer.from(piece))
      return
    }
    if (!isAscii(piece)) {
      this.giveUp()
      this.raw!.push(Buffer.from(piece))
      return
    }
    this.append(piece)
    // Inside a record that can't be complete yet (its data is megabytes long): nothing to scan.
    if (this.braceFrom >= 0) {
      const brace = this.pending!.indexOf(CLOSE_BRACE, this.braceFrom)
      if (brace < 0 || brace >= this.end) {
        this.braceFrom = this.end
        return
      }
      this.braceFrom = -1
    }
    this.run()
  }

  /** The whole body as the only piece, scanned where it is (no copy). */
  whole(body: Buffer): PutRecordsParse {
    if (!isAscii(body)) {
      this.giveUp()
      this.raw!.push(body)
      return this.finish()
    }
    this.pending = body
    this.borrowed = true
    this.end = body.length
    this.run()
    return this.finish()
  }

  finish(): PutRecordsParse {
    if (this.raw === undefined && this.phase !== Phase.Done) this.giveUp()
    if (this.raw !== undefined) return { body: this.raw.length === 1 ? this.raw[0]! : Buffer.concat(this.raw) }
    this.givePending()
    const input: Record<string, unknown> = {}
    if (this.streamName !== undefined) input['StreamName'] = this.streamName
    if (this.streamArn !== undefined) input['StreamARN'] = this.streamArn
    if (this.members.includes('Records')) input['Records'] = this.staged.objects()
    return { input, release: this.staged.detach() }
  }

  abort(): void {
    this.givePending()
    this.staged.release()
    this.raw = undefined
  }

  /** Appends a piece to the unconsumed bytes (moved to the front of the buffer first, grown if they don't fit). */
  private append(piece: Uint8Array): void {
    const kept = this.end - this.start
    let buffer = this.pending
    if (buffer === undefined || kept + piece.length > buffer.length) {
      const grown = take(this.pools?.pending, Math.max(kept + piece.length, (buffer?.length ?? 0) * 2))
      if (buffer !== undefined) {
        buffer.copy(grown, 0, this.start, this.end)
        give(this.pools?.pending, buffer)
      }
      buffer = grown
    } else if (this.start > 0 && kept + piece.length > buffer.length - this.start) {
      buffer.copy(buffer, 0, this.start, this.end)
    } else {
      buffer.set(piece, this.end)
      this.end += piece.length
      return
    }
    if (this.braceFrom >= 0) this.braceFrom -= this.start
    this.pending = buffer
    this.start = 0
    this.end = kept
    buffer.set(piece, this.end)
    this.end += piece.length
  }

  /** Takes units while whole ones are there; stops at one still arriving, or gives up. */
  private run(): void {
    for (;;) {
      const at = this.unit()
      if (at === NEED) return
      if (at === BAD) {
        this.giveUp()
        return
      }
      this.start = at
    }
  }

  /** One unit from `start`: where it ends (its effects taken), NEED or BAD. */
  private unit(): number {
    const b = this.pending!
    const e = this.end
    let i = space(b, this.start, e)
    if (i >= e) return NEED
    const c = b[i]!
    switch (this.phase) {
      case Phase.Open:
        if (c !== OPEN_BRACE) return BAD
        this.enter(Phase.Member)
        return i + 1
      case Phase.Member: {
        if (this.first && c === CLOSE_BRACE) return this.to(Phase.Done, i + 1)
        const nameEnd = plainString(b, i, e)
        if (nameEnd < 0) return nameEnd
        const name = b.toString('latin1', i + 1, nameEnd - 1)
        i = space(b, nameEnd, e)
        if (i >= e) return NEED
        if (b[i] !== COLON) return BAD
        i = space(b, i + 1, e)
        if (i >= e) return NEED
        if (this.members.includes(name)) return BAD
        if (name === 'Records') {
          if (b[i] !== OPEN_BRACKET) return BAD
          this.members.push(name)
          this.enter(Phase.Record)
          return i + 1
        }
        if (name !== 'StreamName' && name !== 'StreamARN') return BAD
        const valueEnd = plainString(b, i, e)
        if (valueEnd < 0) return valueEnd
        const value = b.toString('latin1', i + 1, valueEnd - 1)
        if (name === 'StreamName') this.streamName = value
        else this.streamArn = value
        this.members.push(name)
        return this.to(Phase.AfterMember, valueEnd)
      }
      case Phase.AfterMember:
        if (c === COMMA) return this.to(Phase.Member, i + 1, false)
        return c === CLOSE_BRACE ? this.to(Phase.Done, i + 1) : BAD
      case Phase.Record: {
        if (this.first && c === CLOSE_BRACKET) return this.to(Phase.AfterMember, i + 1)
        const recordEnd = this.record(b, i, e)
        if (recordEnd === NEED) this.braceFrom = e
        return recordEnd < 0 ? recordEnd : this.to(Phase.AfterRecord, recordEnd)
      }
      case Phase.AfterRecord:
        if (c === COMMA) return this.to(Phase.Record, i + 1, false)
        return c === CLOSE_BRACKET ? this.to(Phase.AfterMember, i + 1) : BAD
      default:
        // Done: only whitespace may follow.
        return BAD
    }
  }

  private enter(phase: Phase): void {
    this.phase = phase
    this.first = true
  }

  private to(phase: Phase, at: number, first = this.first): number {
    this.phase = phase
    this.first = first
    return at
  }

  /** One record object at `i`: its members read, its data decoded and keys copied; where it ends, NEED or BAD. */
  private record(b: Buffer, i: number, e: number): number {
    if (b[i] !== OPEN_BRACE) return BAD
    let key = -1
    let keyEnd = -1
    let data = -1
    let dataEnd = -1
    let hash = -1
    let hashEnd = -1
    i = space(b, i + 1, e)
    if (i >= e) return NEED
    if (b[i] === CLOSE_BRACE) return this.staged.store(b, key, keyEnd, data, dataEnd, hash, hashEnd) ? i + 1 : BAD
    for (;;) {
      i = space(b, i, e)
      if (i >= e) return NEED
      const nameEnd = plainString(b, i, e)
      if (nameEnd < 0) return nameEnd
      const which = memberOf(b, i + 1, nameEnd - 1)
      i = space(b, nameEnd, e)
      if (i >= e) return NEED
      if (b[i] !== COLON) return BAD
      i = space(b, i + 1, e)
      if (i >= e) return NEED
      // Data's end only is looked for (a native search, not a loop over megabytes): an escape or
      // anything else that isn't base64 makes its decoding come up short, which gives up (store()).
      const valueEnd = which === 1 ? dataString(b, i, e) : plainString(b, i, e)
      if (valueEnd < 0) return valueEnd
      if (which === 0 && key < 0) [key, keyEnd] = [i + 1, valueEnd - 1]
      else if (which === 1 && data < 0) [data, dataEnd] = [i + 1, valueEnd - 1]
      else if (which === 2 && hash < 0) [hash, hashEnd] = [i + 1, valueEnd - 1]
      else return BAD
      i = space(b, valueEnd, e)
      if (i >= e) return NEED
      const c = b[i++]
      if (c === CLOSE_BRACE) return this.staged.store(b, key, keyEnd, data, dataEnd, hash, hashEnd) ? i : BAD
      if (c !== COMMA) return BAD
    }
  }

  private givePending(): void {
    if (!this.borrowed) give(this.pools?.pending, this.pending)
    this.borrowed = false
    this.pending = undefined
    this.start = this.end = 0
  }

  /**
   * Not ours after all: the body for the generic path is what was taken in so far written back as
   * plain JSON (it held nothing unusual: plain strings, padded base64 re-encoded to the same bytes;
   * the generic path reads members in the model's order, not the body's), then the raw bytes from
   * the unit that wasn't taken, then every later piece.
   */
  private giveUp(): void {
    let text = ''
    if (this.phase !== Phase.Open) {
      const inRecords = this.phase === Phase.Record || this.phase === Phase.AfterRecord
      const parts = this.members.map((name, k) => {
        if (name === 'StreamName') return `"StreamName":"${this.streamName!}"`
        if (name === 'StreamARN') return `"StreamARN":"${this.streamArn!}"`
        const open = inRecords && k === this.members.length - 1
        return `"Records":[${this.staged.texts().join(',')}${open ? '' : ']'}`
      })
      text = `{${parts.join(',')}`
      if (inRecords ? this.phase === Phase.Record && !this.first : this.phase === Phase.Member && !this.first) text += ','
      if (this.phase === Phase.Done) text += '}'
    }
    const rest = this.pending === undefined ? Buffer.alloc(0) : Buffer.from(this.pending.subarray(this.start, this.end))
    this.raw = [Buffer.concat([Buffer.from(text, 'latin1'), rest])]
    this.givePending()
    this.staged.release()
    this.phase = Phase.Raw
  }
}

/**
 * A whole body at once (PutRecordsInput as the generic path would read it, or undefined to let that
 * path parse it); `release` gives the pooled buffers back once the call is answered.
 */
export function parsePutRecordsJson(body: Uint8Array, pools?: ParsePools, inPlaceFrom = DECODE_IN_PLACE_FROM):
  { input: Record<string, unknown>; release: () => void } | undefined {
  const parsed = new PutRecordsParser(pools, inPlaceFrom).whole(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
  return 'input' in parsed ? parsed : undefined
}
