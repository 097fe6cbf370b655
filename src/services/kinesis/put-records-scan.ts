// The byte-level scanning under PutRecords' streaming JSON parse (put-records-json.ts): whitespace,
// plain strings, the base64 Data string's end and record member names, read straight from the bytes
// received (no string per token); each answers where its token ends, or NEED (not all arrived) or BAD.

const QUOTE = 0x22
const BACKSLASH = 0x5c
export const COLON = 0x3a
export const COMMA = 0x2c
export const OPEN_BRACE = 0x7b
export const CLOSE_BRACE = 0x7d
export const OPEN_BRACKET = 0x5b
export const CLOSE_BRACKET = 0x5d
export const EQUALS = 0x3d

/** A unit (member, record…) that has not fully arrived: wait for more. */
export const NEED = -1
/** Not a body the fast path takes. */
export const BAD = -2

/** JSON's whitespace (space, tab, line feed, carriage return) from `i`: the first other byte's index. */
export function space(b: Buffer, i: number, e: number): number {
  while (i < e) {
    const c = b[i]
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++
    else break
  }
  return i
}

/** The end (past its closing quote) of a string at `i` without escapes or control characters (names, keys, hash keys); NEED or BAD. */
export function plainString(b: Buffer, i: number, e: number): number {
  if (b[i] !== QUOTE) return BAD
  const end = b.indexOf(QUOTE, i + 1)
  if (end < 0 || end >= e) {
    for (let k = i + 1; k < e; k++) if (b[k]! < 0x20 || b[k] === BACKSLASH) return BAD
    return NEED
  }
  for (let k = i + 1; k < end; k++) if (b[k]! < 0x20 || b[k] === BACKSLASH) return BAD
  return end + 1
}

/** The end of the base64 string at `i` (its contents are checked by decoding); NEED or BAD. */
export function dataString(b: Buffer, i: number, e: number): number {
  if (b[i] !== QUOTE) return BAD
  const end = b.indexOf(QUOTE, i + 1)
  return end < 0 || end >= e ? NEED : end + 1
}

/** A record member's name: 0 PartitionKey, 1 Data, 2 ExplicitHashKey, -1 another (compared as bytes: no string per member). */
export function memberOf(b: Buffer, from: number, to: number): number {
  for (let k = 0; k < RECORD_MEMBERS.length; k++) if (same(b, from, to, RECORD_MEMBERS[k]!)) return k
  return -1
}

const RECORD_MEMBERS = ['PartitionKey', 'Data', 'ExplicitHashKey']

function same(b: Buffer, from: number, to: number, name: string): boolean {
  if (to - from !== name.length) return false
  for (let k = 0; k < name.length; k++) if (b[from + k] !== name.charCodeAt(k)) return false
  return true
}
