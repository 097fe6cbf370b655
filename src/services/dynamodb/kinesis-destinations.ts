// Kinesis streaming destinations: while a table streams to a Kinesis data stream, every item change
// is put on that stream through Kinesis's port as AWS writes it — a JSON record with awsRegion,
// eventID, eventName, userIdentity, recordFormat, tableName, dynamodb (Keys, NewImage, OldImage,
// SizeBytes, ApproximateCreationDateTime) and eventSource. ENABLING/DISABLING last the transition time.
import { createHash, randomUUID } from 'node:crypto'
import type { KinesisPort } from '../kinesis/port.ts'
import { type Item, itemSize, toJsonItem } from './attribute-value.ts'
import { keyOf, primaryKey } from './keys.ts'
import { limits } from './limits.ts'
import { sameItem } from './streams.ts'
import type { KinesisDestination, Table } from './table.ts'

export type DestinationStatus = 'ENABLING' | 'ACTIVE' | 'DISABLING' | 'DISABLED'

export function destinationStatus(d: KinesisDestination, now: number): DestinationStatus {
  const settled = now >= d.at + limits.transitionMs
  return d.enabled ? (settled ? 'ACTIVE' : 'ENABLING') : (settled ? 'DISABLED' : 'DISABLING')
}

/** `arn:aws:kinesis:<region>:<account>:stream/<name>` → its parts, or undefined. */
export function parseStreamArn(arn: string): { region: string; account: string; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\d{12}):stream\/([A-Za-z0-9_.-]{1,128})$/.exec(arn)
  return m === null ? undefined : { region: m[1]!, account: m[2]!, name: m[3]! }
}

/**
 * Puts the change on every ACTIVE destination (none when the write changed nothing, as for streams).
 * A put Kinesis refuses (stream gone, throughput) is dropped: AWS retries and reports it in its metrics.
 */
export function publishChange(kinesis: KinesisPort, table: Table, old: Item | undefined, next: Item | undefined, byTtl: boolean, now: number): void {
  const destinations = (table.def.kinesis ?? []).filter((d) => destinationStatus(d, now) === 'ACTIVE')
  if (destinations.length === 0) return
  if (old === undefined && next === undefined) return
  if (old !== undefined && next !== undefined && sameItem(old, next)) return
  const keys = keyOf(table.def.key, (next ?? old)!)
  const size = itemSize(keys) + (next === undefined ? 0 : itemSize(next)) + (old === undefined ? 0 : itemSize(old))
  // The partition key: a hash of the item's primary key, so one item's changes stay in order on one shard. [R]
  const partitionKey = createHash('md5').update(primaryKey(table.def.key, keys)).digest('hex').toUpperCase()
  for (const d of destinations) {
    const target = parseStreamArn(d.streamArn)
    if (target === undefined) continue
    const record = {
      awsRegion: table.def.region,
      eventID: randomUUID(),
      eventName: old === undefined ? 'INSERT' : next === undefined ? 'REMOVE' : 'MODIFY',
      userIdentity: byTtl ? { type: 'Service', principalId: 'dynamodb.amazonaws.com' } : null,
      recordFormat: 'application/json',
      tableName: table.name,
      dynamodb: {
        ApproximateCreationDateTime: d.precision === 'MICROSECOND' ? now * 1000 : now,
        Keys: toJsonItem(keys),
        ...(next !== undefined && { NewImage: toJsonItem(next) }),
        ...(old !== undefined && { OldImage: toJsonItem(old) }),
        SizeBytes: size,
        ApproximateCreationDateTimePrecision: d.precision,
      },
      eventSource: 'aws:dynamodb',
    }
    try {
      kinesis.putRecord(target.account, target.region, target.name, partitionKey, Buffer.from(JSON.stringify(record)))
    } catch {
      // Dropped (see above).
    }
  }
}
