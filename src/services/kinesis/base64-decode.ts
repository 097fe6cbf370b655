// Base64 decoded from bytes straight into a buffer, with no string in between: PutRecords' large
// records would otherwise each become a Latin-1 string first (Node decodes base64 only from strings),
// and under a flood of 5 MiB calls those strings are what keeps V8 scavenging — every scavenge adds
// its survivors to the count that makes V8 double the young generation (measured: 32 → 128 MiB of RSS).
// About a quarter of the native decoder's speed, so only records this large take it.

/** Records whose base64 is at least this long decode here; smaller ones through a short string (faster). */
export const DECODE_IN_PLACE_FROM = 4096

const EQUALS = 0x3d
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
// Each table gives a character's six bits already in place for its position in a group of four;
// anything outside the standard alphabet sets the sign bit, so one OR over a record tells.
const BAD = -0x80000000
const [T0, T1, T2, T3] = [18, 12, 6, 0].map((shift) => {
  const table = new Int32Array(256).fill(BAD)
  for (let i = 0; i < 64; i++) table[ALPHABET.charCodeAt(i)] = i << shift
  return table
}) as [Int32Array, Int32Array, Int32Array, Int32Array]

/**
 * Decodes padded standard base64 `src[start, end)` into `out` at `at`: the bytes written, or -1 when
 * it is not exactly that (a length not a multiple of 4, `=` other than as the last one or two
 * characters, a character outside the alphabet — the URL-safe `-` and `_` included).
 */
export function decodeBase64Into(src: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  const length = end - start
  if (length % 4 !== 0) return -1
  if (length === 0) return 0
  const pad = src[end - 1] !== EQUALS ? 0 : src[end - 2] !== EQUALS ? 1 : 2
  const whole = pad === 0 ? end : end - 4
  let bad = 0
  let o = at
  for (let i = start; i < whole; i += 4) {
    const v = T0[src[i]!]! | T1[src[i + 1]!]! | T2[src[i + 2]!]! | T3[src[i + 3]!]!
    bad |= v
    out[o] = v >> 16
    out[o + 1] = v >> 8
    out[o + 2] = v
    o += 3
  }
  if (pad === 1) {
    const v = T0[src[end - 4]!]! | T1[src[end - 3]!]! | T2[src[end - 2]!]!
    bad |= v
    out[o] = v >> 16
    out[o + 1] = v >> 8
    o += 2
  } else if (pad === 2) {
    const v = T0[src[end - 4]!]! | T1[src[end - 3]!]!
    bad |= v
    out[o] = v >> 16
    o += 1
  }
  return bad < 0 ? -1 : o - at
}

/**
 * Whether padded base64 `src[start, end)` leaves the bits its padding makes spare at zero (`QQ==`,
 * not `QR==`). Both decoders here drop those bits, but Kinesis refuses such text as non-canonical
 * (a SerializationException, protocol/strict-base64.ts): a fast parse checks this before decoding
 * and leaves such a body to the generic path, so both answer alike.
 */
export function spareBitsClear(src: Uint8Array, start: number, end: number): boolean {
  if (end - start < 4 || src[end - 1] !== EQUALS) return true
  const two = src[end - 2] === EQUALS
  const last = T3[src[end - (two ? 3 : 2)]!]!
  return last < 0 || (last & (two ? 0x0f : 0x03)) === 0
}

/**
 * Decodes a small record's base64 `src[start, end)` through a short Latin-1 string (Node's decoder,
 * faster than decodeBase64Into on small texts) into `out` at `at`, at most `size` bytes: the bytes
 * written, or -1 when the text holds the URL-safe `-` or `_`, which Node's decoder takes but Kinesis
 * refuses (SerializationException). Other characters outside the alphabet Node skips, so the count
 * comes up short of what the padding promised and the caller tells.
 */
export function decodeBase64ViaString(src: Buffer, start: number, end: number, out: Buffer, at: number, size: number): number {
  const text = src.toString('latin1', start, end)
  if (text.includes('-') || text.includes('_')) return -1
  return out.write(text, at, size, 'base64')
}
