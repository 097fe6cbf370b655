// Sequence numbers shaped like AWS's: 56 decimal digits starting "49", increasing within a shard.
// Ours encode, left to right: "49", the shard's index (10 digits), the shard's record counter (20),
// the arrival time in ms (14) and the stream's creation second (10), so a number tells which shard
// and which stream it came from (AWS's do too: GetShardIterator checks both).

export interface SequenceParts {
  shardIndex: number
  counter: number
  arrival: number
  streamEpoch: number
}

export function formatSequence(p: SequenceParts): string {
  return `49${pad(p.shardIndex, 10)}${pad(p.counter, 20)}${pad(p.arrival, 14)}${pad(p.streamEpoch, 10)}`
}

/** The same for one shard, its constant parts formatted once (PutRecords formats 500 a call). */
export function sequenceFormatter(shardIndex: number, streamEpoch: number): (counter: number, arrival: number) => string {
  const head = `49${pad(shardIndex, 10)}`
  const tail = pad(streamEpoch, 10)
  return (counter, arrival) => `${head}${pad(counter, 20)}${pad(arrival, 14)}${tail}`
}

export function parseSequence(text: string): SequenceParts | undefined {
  if (text.length !== 56 || !text.startsWith('49') || !/^\d+$/.test(text)) return undefined
  return {
    shardIndex: Number(text.slice(2, 12)),
    counter: Number(text.slice(12, 32)),
    arrival: Number(text.slice(32, 46)),
    streamEpoch: Number(text.slice(46, 56)),
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

export const shardIdOf = (index: number): string => `shardId-${String(index).padStart(12, '0')}`

/**
 * The canonical id of a shard id as AWS reads one where a shard is addressed (GetShardIterator,
 * SplitShard, MergeShards…): the digits between the first hyphen and the next one, or the whole text
 * if it has no hyphen, as a number from 0 to 2³¹−1 — so `shardId-5`, `shard-5`, `x-0005` and `5` all
 * name `shardId-000000000005` (AWS's recorded answers, kinesalite's suite). Anything else (`2.14E4`,
 * `shardId-002147483648`, `abc`) names no shard: undefined.
 */
export function canonicalShardId(text: string): string | undefined {
  const parts = text.split('-')
  const digits = parts.length > 1 && parts[1] !== '' ? parts[1]! : text
  if (!/^\d+$/.test(digits)) return undefined
  const index = Number(digits)
  return index <= 2147483647 ? shardIdOf(index) : undefined
}

/** The index in a canonical "shardId-000000000003" (see canonicalShardId for the looser forms). */
export function shardIndexOf(shardId: string): number | undefined {
  const match = /^shardId-(\d{12})$/.exec(shardId)
  return match === null ? undefined : Number(match[1])
}
