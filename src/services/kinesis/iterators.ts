// Shard iterators: opaque base64 tokens that carry where to read (stream, shard, record counter) and
// when they were made, so they survive a restart and expire after 5 minutes of the clock, as AWS's do.

export interface IteratorState {
  account: string
  region: string
  stream: string
  /** The stream's creation second: an iterator of a deleted namesake is not this stream's. */
  epoch: number
  shardIndex: number
  /** The counter of the next record to read. */
  position: number
  createdAt: number
}

const VERSION = 'K1'

export function encodeIterator(s: IteratorState): string {
  const text = [VERSION, s.account, s.region, s.stream, s.epoch, s.shardIndex, s.position, s.createdAt].join('|')
  // A fixed-width binary prefix keeps them looking like AWS's ("AAAAAAAAAAF…") and is checked on decode.
  return Buffer.concat([Buffer.alloc(8), Buffer.from(text, 'utf8')]).toString('base64')
}

/**
 * Undefined for anything Nimbus did not issue. One wrapped in double quotes is read as the one inside:
 * the CLI tutorial keeps `--query 'ShardIterator'`'s JSON output (quotes included) in a shell variable
 * and passes it to get-records, which AWS answers.
 */
export function decodeIterator(given: string): IteratorState | undefined {
  const token = given.length > 2 && given.startsWith('"') && given.endsWith('"') ? given.slice(1, -1) : given
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined
  const raw = Buffer.from(token, 'base64')
  if (raw.length < 9 || raw.subarray(0, 8).some((b) => b !== 0)) return undefined
  const parts = raw.subarray(8).toString('utf8').split('|')
  if (parts.length !== 8 || parts[0] !== VERSION) return undefined
  const [, account, region, stream, epoch, shardIndex, position, createdAt] = parts as string[]
  const numbers = [epoch, shardIndex, position, createdAt].map(Number)
  if (numbers.some((n) => !Number.isSafeInteger(n) || n < 0) || !account || !region || !stream) return undefined
  return { account: account!, region: region!, stream: stream!, epoch: numbers[0]!, shardIndex: numbers[1]!, position: numbers[2]!,
    createdAt: numbers[3]! }
}
