// Auto Scaling's generated ids: UUID-shaped, derived from a seed instead of random, so the same
// scenario gives byte-identical ARNs and activity histories (issue 18's determinism).
import { createHash } from 'node:crypto'

export function deterministicUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`
}
