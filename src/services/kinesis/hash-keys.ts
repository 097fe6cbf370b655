// Partition keys → 128-bit hash keys (MD5, as AWS maps them) and the hash key ranges shards own.
import { hash } from 'node:crypto'

export const maxHashKey = (1n << 128n) - 1n

/** The MD5 of the key's UTF-8 bytes, read as an unsigned 128-bit big-endian integer. */
export function hashOfPartitionKey(key: string): bigint {
  return BigInt(`0x${hash('md5', key, 'hex')}`)
}

/** The ranges CreateStream gives n shards: shard i starts at ⌊i·2¹²⁸/n⌋ and ends where the next begins. */
export function uniformRanges(n: number): Array<[start: bigint, end: bigint]> {
  const space = 1n << 128n
  const starts = Array.from({ length: n }, (_, i) => (BigInt(i) * space) / BigInt(n))
  return starts.map((start, i) => [start, i + 1 < n ? starts[i + 1]! - 1n : maxHashKey])
}

/** An ExplicitHashKey/NewStartingHashKey the model's pattern already checked (decimal digits); undefined past 2¹²⁸−1. */
export function parseHashKey(text: string): bigint | undefined {
  if (!/^\d{1,39}$/.test(text)) return undefined
  const value = BigInt(text)
  return value <= maxHashKey ? value : undefined
}
