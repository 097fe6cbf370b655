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
