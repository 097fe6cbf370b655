// DynamoDB streams as a kind of event source: the stream's existence, the stream settings Kinesis
// mappings take (kinesis-source.ts's checks, but TRIM_HORIZON/LATEST only, as AWS allows), and the
// shard poller reading the stream through DynamoDB's port, records shaped as Lambda's DynamoDB events.
import type { DynamoDbPort, DynamoStreamRecord } from '../../dynamodb/port.ts'
import { lambdaErrors } from '../errors.ts'
import { validate } from './kinesis-source.ts'
import { KinesisPoller } from './kinesis-poller.ts'
import type { EventSourceKind } from './poller.ts'
import type { ShardReader, ShardRecord } from './shard-reader.ts'

export function dynamodbSource(dynamodb: DynamoDbPort): EventSourceKind {
  return {
    service: 'dynamodb',
    label: 'DynamoDB',
    requireSource: (arn) => {
      // A table ARN (no /stream/ part) or a stream that doesn't exist is refused alike.
      if (!arn.includes('/stream/') || dynamodb.stream(arn) === undefined) throw lambdaErrors.invalidParameter(`Stream not found: ${arn}`) // [R]
    },
    validate: (_arn, input) => {
      // DynamoDB streams have no AT_TIMESTAMP iterator for Lambda to start from.
      if (input.StartingPosition === 'AT_TIMESTAMP') {
        throw lambdaErrors.invalidParameter('Unsupported starting position for the event source: AT_TIMESTAMP') // [R]
      }
      validate(input)
    },
    createPoller: (settings, deps) => new KinesisPoller(settings, { ...deps, reader: dynamodbReader(dynamodb) }),
  }
}

type Item = DynamoStreamRecord['keys']
type AttributeValue = Item[string]

interface DynamoShardRecord extends ShardRecord {
  record: DynamoStreamRecord
  viewType: string
}

function dynamodbReader(dynamodb: DynamoDbPort): ShardReader<DynamoShardRecord> {
  return {
    label: 'DynamoDB', filterSource: 'dynamodb', batchInfo: 'DDBStreamBatchInfo',
    // A Nimbus stream is one shard for its whole life (closed when the stream is disabled).
    shards: (arn) => {
      const s = dynamodb.stream(arn)
      return s === undefined ? [] : [{ shardId: s.shardId }]
    },
    read: (arn, _shardId, from, limit) => {
      const s = dynamodb.stream(arn)
      const seq = typeof from === 'object' && 'after' in from ? from.after : from === 'LATEST' ? s?.lastSeq ?? '0' : '0'
      const records = s === undefined ? [] : dynamodb.streamRecords(arn, seq, false, limit) ?? []
      return {
        records: records.map((r) => ({ sequenceNumber: r.seq, partitionKey: JSON.stringify(r.keys), approximateArrivalTimestamp: r.at,
          record: r, viewType: s!.viewType })),
        // Nothing after the position of a closed shard (or of a stream gone): the shard is done.
        ended: records.length === 0 && (s === undefined || s.endSeq !== undefined),
        after: records.at(-1)?.seq ?? seq,
      }
    },
    // Told of new records and of the stream's disabling: a caught-up poller idles until then.
    watch: (arn, listener) => dynamodb.watchStream(arn, listener),
    quietUntil: (arn) => dynamodb.streamQuietUntil(arn),
    event: (_shardId, { record: r, viewType }, settings) => ({
      eventID: r.eventId, eventName: r.eventName, eventVersion: '1.1', eventSource: 'aws:dynamodb',
      awsRegion: settings.sourceArn.split(':')[3] ?? '',
      dynamodb: {
        // Epoch seconds, rounded down to the second (as GetRecords reports it).
        ApproximateCreationDateTime: Math.floor(r.at / 1000),
        Keys: json(r.keys), ...(r.newImage !== undefined && { NewImage: json(r.newImage) }),
        ...(r.oldImage !== undefined && { OldImage: json(r.oldImage) }),
        SequenceNumber: r.seq, SizeBytes: r.sizeBytes, StreamViewType: viewType,
      },
      eventSourceARN: settings.sourceArn,
      // TTL deletions name the DynamoDB service; Lambda's event spells the members in lower case. [R] position
      ...(r.ttl === true && { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } }),
    }),
  }
}

/** An item in DynamoDB JSON as the event carries it: binary values base64-encoded. */
function json(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, value(v)]))
}

function value(v: AttributeValue): unknown {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') }
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) }
  if (v.M !== undefined) return { M: json(v.M) }
  if (v.L !== undefined) return { L: v.L.map(value) }
  return v
}
