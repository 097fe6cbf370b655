// Kinesis streams as a kind of event source: the stream's existence, the mapping's stream settings
// (StartingPosition, BatchSize 1–10,000, MaximumRetryAttempts, MaximumRecordAgeInSeconds,
// ParallelizationFactor, the batching window, DestinationConfig), and its poller, over Kinesis's port.
import { parseArn } from '../../../core/arn.ts'
import type { KinesisPort, KinesisReadRecord } from '../../kinesis/port.ts'
import { lambdaErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { KinesisPoller } from './kinesis-poller.ts'
import type { EventSourceKind } from './poller.ts'
import type { ShardReader } from './shard-reader.ts'

/** A stream ARN's (or an enhanced fan-out consumer ARN's) account, region and stream name. */
export function streamOf(arn: string): { account: string; region: string; name: string } {
  const parsed = parseArn(arn)
  return { account: parsed?.account ?? '', region: parsed?.region ?? '', name: parsed?.resource.replace(/^stream\//, '').replace(/\/consumer\/.*$/, '') ?? '' }
}

/** `…:stream/<name>/consumer/<consumer>:<epoch>`: the mapping reads through an enhanced fan-out consumer. */
const isConsumer = (arn: string) => /:stream\/[^/]+\/consumer\//.test(arn)

/** The stream a consumer ARN belongs to (the ARN itself for a stream). */
const streamArnOf = (arn: string) => arn.replace(/\/consumer\/.*$/, '')

export function kinesisSource(kinesis: KinesisPort): EventSourceKind {
  return {
    service: 'kinesis',
    label: 'Kinesis',
    requireSource: (arn) => {
      const { account, region, name } = streamOf(arn)
      if (!kinesis.streamExists(account, region, name)) throw lambdaErrors.invalidParameter(`Stream not found: ${arn}`) // [R]
      if (isConsumer(arn) && kinesis.consumerStatus(arn) === undefined) throw lambdaErrors.invalidParameter(`Stream consumer not found: ${arn}`) // [R]
    },
    validate: (_arn, input) => validate(input),
    createPoller: (settings, deps) => new KinesisPoller(settings, { ...deps, reader: kinesisReader(kinesis) }),
  }
}

function kinesisReader(kinesis: KinesisPort): ShardReader<KinesisReadRecord> {
  return {
    label: 'Kinesis', filterSource: 'kinesis', batchInfo: 'KinesisBatchInfo',
    streamArn: streamArnOf,
    shards: (arn) => {
      // Through a consumer, records flow only while it is ACTIVE (a deregistered consumer delivers nothing).
      if (isConsumer(arn) && kinesis.consumerStatus(arn) !== 'ACTIVE') return []
      const { account, region, name } = streamOf(arn)
      return kinesis.shards(account, region, name)
    },
    read: (arn, shardId, from, limit) => {
      const { account, region, name } = streamOf(arn)
      return kinesis.read(account, region, name, shardId, from, limit)
    },
    watch: (arn, listener) => {
      const { account, region, name } = streamOf(arn)
      return kinesis.watch(account, region, name, listener)
    },
    quietUntil: (arn) => {
      const { account, region, name } = streamOf(arn)
      return kinesis.quietUntil(account, region, name)
    },
    // A record as Lambda hands it over from Kinesis (key order as AWS sends it).
    event: (shardId, r, settings) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0', partitionKey: r.partitionKey, sequenceNumber: r.sequenceNumber,
        data: r.data.toString('base64'), approximateArrivalTimestamp: r.approximateArrivalTimestamp / 1000,
      },
      eventSource: 'aws:kinesis', eventVersion: '1.0', eventID: `${shardId}:${r.sequenceNumber}`, eventName: 'aws:kinesis:record',
      // The record is the same through a consumer: eventSourceARN names the stream [R].
      invokeIdentityArn: settings.stream?.roleArn ?? '', awsRegion: streamOf(settings.sourceArn).region, eventSourceARN: streamArnOf(settings.sourceArn),
    }),
  }
}

/**
 * A stream mapping's settings past the model's ranges and enums (which Create/Update check first,
 * model-range.ts's checkMappingModel): the stream settings' own rules (InvalidParameterValueException).
 */
export function validate(input: Partial<T.CreateEventSourceMappingRequest>): void {
  if (input.StartingPosition === undefined) {
    // The code and the closing period as another emulator records AWS's answer [R].
    throw lambdaErrors.invalidParameter('1 validation error detected: Value null at \'startingPosition\' failed to satisfy constraint: ' +
      'Member must not be null.')
  }
  if (input.StartingPosition === 'AT_TIMESTAMP' && input.StartingPositionTimestamp === undefined) {
    throw lambdaErrors.invalidParameter('StartingPositionTimestamp must be specified when StartingPosition is AT_TIMESTAMP.') // [R]
  }
  const age = input.MaximumRecordAgeInSeconds
  if (age !== undefined && age !== -1 && age < 60) {
    throw lambdaErrors.invalidParameter('MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)')
  }
  const destinations = input.DestinationConfig
  if (destinations?.OnSuccess?.Destination !== undefined && destinations.OnSuccess.Destination !== '') {
    throw lambdaErrors.invalidParameter('Unsupported DestinationConfig parameter for given event source mapping type.')
  }
  const onFailure = destinations?.OnFailure?.Destination
  if (onFailure !== undefined && onFailure !== '' && !/^arn:aws[a-z-]*:(sqs|sns):|^arn:aws[a-z-]*:s3:::[^/]+$/.test(onFailure)) {
    throw lambdaErrors.invalidParameter(`The provided destination config DestinationConfig(onSuccess=null, ` +
      `onFailure=OnFailure(destination=${onFailure})) is invalid.`) // [R]
  }
}
