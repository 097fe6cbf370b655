// DynamoDB's streams as its port shows them to the DynamoDB Streams API (services/dynamodbstreams).
import { keySchemaOut } from './operations/describe.ts'
import type { DynamoDbPort, DynamoStreamInfo } from './port.ts'
import type { DynamoState } from './store.ts'
import { retentionMs, type Stream } from './streams.ts'
import { limits } from './limits.ts'

export function streamPort(state: DynamoState): Pick<DynamoDbPort, 'streams' | 'stream' | 'streamRecords' | 'watchStream' | 'streamQuietUntil'> {
  const info = (s: Stream): DynamoStreamInfo => {
    const now = state.clock.now()
    const d = s.def
    return {
      arn: d.arn, label: d.label, tableName: d.tableName, account: d.account, region: d.region, viewType: d.viewType, createdAt: d.createdAt,
      // ENABLING for the table's transition time on the clock, as the table is UPDATING.
      status: d.disabledAt !== undefined ? 'DISABLED' : now < d.createdAt + limits.transitionMs ? 'ENABLING' : 'ENABLED',
      keySchema: keySchemaOut(d.key) as DynamoStreamInfo['keySchema'], shardId: d.shardId, startSeq: d.startSeq, lastSeq: s.lastSeq(),
      ...(d.disabledAt !== undefined && { endSeq: s.lastSeq() }),
      trimmedThrough: s.trimmedThrough,
    }
  }
  return {
    streams: (account, region) => state.streamsOf(account, region).map(info),
    stream: (arn) => {
      const s = state.stream(arn)
      return s === undefined ? undefined : info(s)
    },
    watchStream: (arn, listener) => state.watchStream(arn, listener),
    streamQuietUntil: (arn) => {
      const disabledAt = state.stream(arn)?.def.disabledAt
      return disabledAt === undefined ? Infinity : disabledAt + retentionMs
    },
    streamRecords: (arn, seq, inclusive, limit) => {
      const s = state.stream(arn)
      if (s === undefined) return undefined
      const from = s.indexAfter(seq, inclusive)
      return s.records.slice(from, from + limit)
    },
  }
}
