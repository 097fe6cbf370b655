// Shard iterators: opaque strings that carry the stream, the shard, where to read from and when the
// iterator was made (it expires 15 minutes of clock later, as AWS's do).
import { streamsErrors } from './errors.ts'

export const iteratorLifetimeMs = 15 * 60_000

export interface IteratorState {
  arn: string
  shard: string
  /** Read records after this sequence number (at it too when `inclusive`). */
  seq: string
  inclusive: boolean
  createdAt: number
}

/** `<stream ARN>|1|<base64url state>`: AWS's iterators also begin with the stream ARN. */
export function encodeIterator(s: IteratorState): string {
  const body = Buffer.from(JSON.stringify([s.shard, s.seq, s.inclusive ? 1 : 0, s.createdAt])).toString('base64url')
  return `${s.arn}|1|${body}`
}

export function decodeIterator(text: string): IteratorState {
  const parts = text.split('|')
  if (parts.length !== 3 || parts[1] !== '1') throw streamsErrors.invalidIterator()
  try {
    const [shard, seq, inclusive, createdAt] = JSON.parse(Buffer.from(parts[2]!, 'base64url').toString('utf8')) as [string, string, number, number]
    if (typeof shard !== 'string' || typeof seq !== 'string' || !/^\d+$/.test(seq) || typeof createdAt !== 'number') throw new Error('shape')
    return { arn: parts[0]!, shard, seq, inclusive: inclusive === 1, createdAt }
  } catch {
    throw streamsErrors.invalidIterator()
  }
}
