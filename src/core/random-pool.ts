// Random strings for per-request identifiers (trace ids, API Gateway's extended request ids), drawn
// from a pooled buffer refilled a few KiB at a time: one getrandom call serves ~200 requests
// instead of several per request, as Node's own crypto.randomUUID() does with its entropy cache.
import { randomFillSync } from 'node:crypto'

const POOL_BYTES = 4096
const pool = Buffer.allocUnsafe(POOL_BYTES)
let offset = POOL_BYTES

/** `bytes` fresh random bytes (CSPRNG, never handed out twice), encoded as a string. */
export function randomString(bytes: number, encoding: 'hex' | 'base64' | 'base64url'): string {
  if (bytes > POOL_BYTES) return randomFillSync(Buffer.allocUnsafe(bytes)).toString(encoding)
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool)
    offset = 0
  }
  const text = pool.toString(encoding, offset, offset + bytes)
  offset += bytes
  return text
}

/** Hex digits as character codes, for randomUuid. */
const HEX = Buffer.from('0123456789abcdef', 'latin1')
/** Where a UUID's text is written before it becomes a string (one flat string, no pieces to join). */
const uuidText = Buffer.allocUnsafe(36)

/**
 * A random (version 4) UUID, as crypto.randomUUID() makes one, from the pooled bytes: written as text in
 * one buffer and read out as one string, where Node's own builds it from a dozen pieces per call.
 */
export function randomUuid(): string {
  if (offset + 16 > POOL_BYTES) {
    randomFillSync(pool)
    offset = 0
  }
  let at = 0
  for (let i = 0; i < 16; i++) {
    let b = pool[offset + i]!
    // RFC 9562: version 4 in the high nibble of byte 6, variant 10 in the top bits of byte 8.
    if (i === 6) b = (b & 0x0f) | 0x40
    else if (i === 8) b = (b & 0x3f) | 0x80
    if (i === 4 || i === 6 || i === 8 || i === 10) uuidText[at++] = 45
    uuidText[at++] = HEX[b >> 4]!
    uuidText[at++] = HEX[b & 15]!
  }
  offset += 16
  return uuidText.toString('latin1', 0, 36)
}
