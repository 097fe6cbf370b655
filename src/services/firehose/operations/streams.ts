// CreateDeliveryStream, DescribeDeliveryStream, ListDeliveryStreams, DeleteDeliveryStream, UpdateDestination.
import type { Operation } from '../../service.ts'
import { checkS3Config, settingsOf } from '../destination.ts'
import { bufferSettingsOf, checkHttpConfig, httpSettingsOf } from '../http-endpoint.ts'
import { firehoseErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { DeliveryStream } from '../delivery-stream.ts'
import type { FirehoseState } from '../store.ts'
import { checkEncryptionInput } from './encryption.ts'
import { describe } from './common.ts'

/** Destinations Nimbus does not deliver to: answered with a clear error (README Gaps). */
const otherDestinations = {
  RedshiftDestinationConfiguration: 'Amazon Redshift destinations', ElasticsearchDestinationConfiguration: 'Amazon Elasticsearch Service destinations',
  AmazonopensearchserviceDestinationConfiguration: 'Amazon OpenSearch Service destinations', SplunkDestinationConfiguration: 'Splunk destinations',
  AmazonOpenSearchServerlessDestinationConfiguration: 'OpenSearch Serverless destinations',
  SnowflakeDestinationConfiguration: 'Snowflake destinations', IcebergDestinationConfiguration: 'Apache Iceberg destinations',
} as const

const otherUpdates = {
  RedshiftDestinationUpdate: 'Amazon Redshift destinations', ElasticsearchDestinationUpdate: 'Amazon Elasticsearch Service destinations',
  AmazonopensearchserviceDestinationUpdate: 'Amazon OpenSearch Service destinations', SplunkDestinationUpdate: 'Splunk destinations',
  AmazonOpenSearchServerlessDestinationUpdate: 'OpenSearch Serverless destinations',
  SnowflakeDestinationUpdate: 'Snowflake destinations', IcebergDestinationUpdate: 'Apache Iceberg destinations',
} as const

function checkSource(input: T.CreateDeliveryStreamInput, type: T.DeliveryStreamType): void {
  if (type === 'MSKAsSource' || input.MSKSourceConfiguration !== undefined) throw firehoseErrors.unsupported('MSKAsSource delivery streams')
  if (type === 'DatabaseAsSource' || input.DatabaseSourceConfiguration !== undefined) throw firehoseErrors.unsupported('DatabaseAsSource delivery streams')
  if (type === 'KinesisStreamAsSource' && input.KinesisStreamSourceConfiguration === undefined) {
    throw firehoseErrors.invalidArgument('KinesisStreamSourceConfiguration is required for KinesisStreamAsSource delivery streams.') // [R]
  }
  if (type !== 'KinesisStreamAsSource' && input.KinesisStreamSourceConfiguration !== undefined) {
    throw firehoseErrors.invalidArgument('KinesisStreamSourceConfiguration is only allowed for KinesisStreamAsSource delivery streams.') // [R]
  }
  if (type === 'KinesisStreamAsSource' && input.DeliveryStreamEncryptionConfigurationInput !== undefined) {
    throw firehoseErrors.invalidArgument('Encryption is not supported for KinesisStreamAsSource delivery streams.') // [R]
  }
}

export function streamOperations(state: FirehoseState) {
  const createDeliveryStream: Operation<T.CreateDeliveryStreamInput, T.CreateDeliveryStreamOutput> = (input, ctx) => {
    const type = input.DeliveryStreamType ?? 'DirectPut'
    checkSource(input, type)
    for (const [member, what] of Object.entries(otherDestinations)) {
      if (input[member as keyof typeof otherDestinations] !== undefined) throw firehoseErrors.unsupported(what)
    }
    const extended = input.ExtendedS3DestinationConfiguration
    const legacy = input.S3DestinationConfiguration
    const httpConfig = input.HttpEndpointDestinationConfiguration
    if ([extended, legacy, httpConfig].filter((c) => c !== undefined).length !== 1) {
      throw firehoseErrors.invalidArgument('Exactly one destination configuration is supported for a Firehose stream.') // [R]
    }
    const config = extended ?? legacy
    if (config !== undefined) checkS3Config(config)
    if (httpConfig !== undefined) checkHttpConfig(httpConfig)
    if (extended?.S3BackupConfiguration !== undefined) checkS3Config(extended.S3BackupConfiguration)
    if (input.DeliveryStreamEncryptionConfigurationInput !== undefined) checkEncryptionInput(input.DeliveryStreamEncryptionConfigurationInput)
    const http = httpConfig === undefined ? undefined : httpSettingsOf(httpConfig)
    const settings = http === undefined ? settingsOf(config!) : bufferSettingsOf(http)
    if (state.find(ctx.caller.account, ctx.caller.region, input.DeliveryStreamName) !== undefined ||
      state.deleting(ctx.caller.account, ctx.caller.region, input.DeliveryStreamName) !== undefined) {
      throw firehoseErrors.inUse(input.DeliveryStreamName, ctx.caller.account)
    }
    const sourceArn = input.KinesisStreamSourceConfiguration?.KinesisStreamARN
    if (sourceArn !== undefined) state.source?.requireStream(sourceArn)
    const stream = state.create({ name: input.DeliveryStreamName, account: ctx.caller.account, region: ctx.caller.region, type,
      legacy: legacy !== undefined, settings, source: input.KinesisStreamSourceConfiguration, http })
    const enc = input.DeliveryStreamEncryptionConfigurationInput
    if (enc !== undefined) stream.encryption = { keyType: enc.KeyType, keyArn: enc.KeyARN, enabled: true, changedAt: stream.createdAt }
    for (const tag of input.Tags ?? []) stream.tags.set(tag.Key, tag.Value ?? '')
    state.saved(stream)
    return { DeliveryStreamARN: stream.arn }
  }

  const describeDeliveryStream: Operation<T.DescribeDeliveryStreamInput, T.DescribeDeliveryStreamOutput> = (input, ctx) => {
    const { account, region } = ctx.caller
    const deleting = state.find(account, region, input.DeliveryStreamName) === undefined ? state.deleting(account, region, input.DeliveryStreamName) : undefined
    const stream = deleting ?? state.require(account, region, input.DeliveryStreamName)
    const description = describe(stream, state.clock.now())
    if (deleting !== undefined) description.DeliveryStreamStatus = 'DELETING'
    // One destination per stream: starting after it leaves none.
    if (input.ExclusiveStartDestinationId !== undefined && input.ExclusiveStartDestinationId >= limits.destinationId) description.Destinations = []
    return { DeliveryStreamDescription: description }
  }

  const listDeliveryStreams: Operation<T.ListDeliveryStreamsInput, T.ListDeliveryStreamsOutput> = (input, ctx) => {
    const limit = input.Limit ?? 10
    const start = input.ExclusiveStartDeliveryStreamName
    const names = [...state.streams(ctx.caller.account, ctx.caller.region).values(), ...state.deletingIn(ctx.caller.account, ctx.caller.region)]
      .filter((s) => input.DeliveryStreamType === undefined || s.type === input.DeliveryStreamType)
      .map((s) => s.name).sort()
      .filter((name) => start === undefined || name > start)
    return { DeliveryStreamNames: names.slice(0, limit), HasMoreDeliveryStreams: names.length > limit }
  }

  const deleteDeliveryStream: Operation<T.DeleteDeliveryStreamInput, T.DeleteDeliveryStreamOutput> = (input, ctx) => {
    const { account, region } = ctx.caller
    // Deleting a stream that is DELETING already changes nothing [R].
    if (state.find(account, region, input.DeliveryStreamName) === undefined && state.deleting(account, region, input.DeliveryStreamName) !== undefined) return {}
    const stream = state.require(account, region, input.DeliveryStreamName)
    // AWS: "You can't delete a Firehose stream that is in the CREATING state."
    if (stream.status(state.clock.now()) === 'CREATING') throw firehoseErrors.creating(stream.name, account)
    state.delete(stream)
    return {}
  }

  const updateDestination: Operation<T.UpdateDestinationInput, T.UpdateDestinationOutput> = (input, ctx) => {
    // What the request says on its own is checked before the stream is looked up (AWS's order:
    // request, then resource, then its state — the version — and what the stream allows).
    for (const [member, what] of Object.entries(otherUpdates)) {
      if (input[member as keyof typeof otherUpdates] !== undefined) throw firehoseErrors.unsupported(what)
    }
    const httpUpdate = input.HttpEndpointDestinationUpdate
    const update = input.ExtendedS3DestinationUpdate ?? input.S3DestinationUpdate
    // One update a call: ExtendedS3DestinationUpdate beside the deprecated S3DestinationUpdate counts as two.
    const given = [httpUpdate, input.ExtendedS3DestinationUpdate, input.S3DestinationUpdate].filter((u) => u !== undefined).length
    if (given !== 1) throw firehoseErrors.invalidArgument('Exactly one destination update is required.') // [R]
    if (httpUpdate !== undefined) checkHttpConfig(httpUpdate)
    if (update !== undefined) checkS3Config(update)
    const stream = state.require(ctx.caller.account, ctx.caller.region, input.DeliveryStreamName)
    if (input.CurrentDeliveryStreamVersionId !== String(stream.version)) {
      throw firehoseErrors.versionMismatch(String(stream.version), input.CurrentDeliveryStreamVersionId)
    }
    if (input.DestinationId !== limits.destinationId) throw firehoseErrors.invalidArgument(`Destination Id ${input.DestinationId} not found.`) // [R]
    // Nimbus keeps a stream's destination type (README Gaps): AWS can switch it in an update.
    if ((httpUpdate !== undefined) !== (stream.http !== undefined)) {
      throw firehoseErrors.unsupported('changing the destination type of a Firehose stream in UpdateDestination')
    }
    if (httpUpdate !== undefined) {
      stream.http = httpSettingsOf(httpUpdate, stream.http)
      return updated(stream)
    }
    if (update === undefined) throw firehoseErrors.invalidArgument('Exactly one destination update is required.') // [R]
    // AWS: once backup is enabled, an update can't disable it.
    if (stream.settings.S3BackupMode === 'Enabled' && input.ExtendedS3DestinationUpdate?.S3BackupMode === 'Disabled') {
      throw firehoseErrors.invalidArgument('S3BackupMode cannot be changed from Enabled to Disabled.') // [R]
    }
    stream.settings = settingsOf(update, stream.settings)
    return updated(stream)
  }

  function updated(stream: DeliveryStream): T.UpdateDestinationOutput {
    stream.version++
    stream.updatedAt = state.clock.now()
    state.saved(stream)
    // New buffering hints apply to what is buffered now (and a Lambda added or removed takes or gives back the source records).
    state.transform?.reconfigured(stream)
    state.delivery.accepted(stream)
    return {}
  }

  return {
    CreateDeliveryStream: createDeliveryStream, DescribeDeliveryStream: describeDeliveryStream, ListDeliveryStreams: listDeliveryStreams,
    DeleteDeliveryStream: deleteDeliveryStream, UpdateDestination: updateDestination,
  }
}
