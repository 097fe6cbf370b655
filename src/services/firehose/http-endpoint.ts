// The HTTP endpoint destination's settings (HttpEndpointDestinationConfiguration): checked and
// filled in as CreateDeliveryStream/UpdateDestination do, and described as AWS describes them.
import { checkS3Config, settingsOf, type S3Settings } from './destination.ts'
import { firehoseErrors } from './errors.ts'
import type * as T from './generated/types.ts'
import { pipelineOf } from './record-processors.ts'

/** What delivery to the endpoint reads; `S3` is the S3Configuration (failed data, or all data, is backed up there). */
export interface HttpSettings {
  EndpointConfiguration: T.HttpEndpointConfiguration
  BufferingHints: { SizeInMBs: number; IntervalInSeconds: number }
  RequestConfiguration: { ContentEncoding: T.ContentEncoding; CommonAttributes?: T.HttpEndpointCommonAttribute[] }
  RetryOptions: { DurationInSeconds: number }
  S3BackupMode: T.HttpEndpointS3BackupMode
  RoleARN?: string
  CloudWatchLoggingOptions?: T.CloudWatchLoggingOptions
  ProcessingConfiguration?: T.ProcessingConfiguration
  S3: S3Settings
}

/** AWS's defaults for an HTTP endpoint: 5 MiB / 300 s buffers, 300 s of retries, failed data only backed up. */
const defaults = { SizeInMBs: 5, IntervalInSeconds: 300, DurationInSeconds: 300 }

type AnyHttpConfig = Partial<T.HttpEndpointDestinationConfiguration> & Pick<T.HttpEndpointDestinationUpdate, 'S3Update'>

/**
 * Firehose's own rules for a configuration or an update: the model's lengths, ranges, enums and
 * patterns (the URL's too, http:// also taken) were checked before (index.ts, coral-validation.ts).
 */
export function checkHttpConfig(config: AnyHttpConfig): void {
  if (config.SecretsManagerConfiguration?.Enabled === true) {
    throw firehoseErrors.unsupported('SecretsManagerConfiguration for HTTP endpoint destinations (give EndpointConfiguration.AccessKey)')
  }
  const s3 = config.S3Configuration ?? config.S3Update
  if (s3 !== undefined) checkS3Config(s3)
}

/** A configuration (create) or an update merged over the current settings (UpdateDestination). */
export function httpSettingsOf(config: AnyHttpConfig, base?: HttpSettings): HttpSettings {
  const s3Config = config.S3Configuration ?? config.S3Update
  const endpoint = config.EndpointConfiguration ?? base?.EndpointConfiguration
  if (endpoint === undefined || s3Config === undefined && base === undefined) {
    throw firehoseErrors.invalidArgument('EndpointConfiguration and S3Configuration are required for an HTTP endpoint destination.') // [R]
  }
  const settings: HttpSettings = {
    EndpointConfiguration: endpoint,
    BufferingHints: {
      SizeInMBs: config.BufferingHints?.SizeInMBs ?? base?.BufferingHints.SizeInMBs ?? defaults.SizeInMBs,
      IntervalInSeconds: config.BufferingHints?.IntervalInSeconds ?? base?.BufferingHints.IntervalInSeconds ?? defaults.IntervalInSeconds,
    },
    RequestConfiguration: {
      ContentEncoding: config.RequestConfiguration?.ContentEncoding ?? base?.RequestConfiguration.ContentEncoding ?? 'NONE',
      CommonAttributes: config.RequestConfiguration?.CommonAttributes ?? base?.RequestConfiguration.CommonAttributes,
    },
    RetryOptions: { DurationInSeconds: config.RetryOptions?.DurationInSeconds ?? base?.RetryOptions.DurationInSeconds ?? defaults.DurationInSeconds },
    S3BackupMode: config.S3BackupMode ?? base?.S3BackupMode ?? 'FailedDataOnly',
    RoleARN: config.RoleARN ?? base?.RoleARN,
    CloudWatchLoggingOptions: config.CloudWatchLoggingOptions ?? base?.CloudWatchLoggingOptions,
    ProcessingConfiguration: config.ProcessingConfiguration ?? base?.ProcessingConfiguration,
    S3: s3Config === undefined ? base!.S3 : settingsOf(s3Config, base?.S3),
  }
  // AWS: the backup mode of an HTTP endpoint destination can't go from AllData back to FailedDataOnly [R wording].
  if (base?.S3BackupMode === 'AllData' && settings.S3BackupMode === 'FailedDataOnly') {
    throw firehoseErrors.invalidArgument('S3BackupMode cannot be changed from AllData to FailedDataOnly.') // [R]
  }
  pipelineOf(settings.ProcessingConfiguration, false)
  return settings
}

/**
 * The settings the buffer and S3 writes read: the S3Configuration's bucket, prefixes and compression
 * (for the backup and error objects) with the endpoint's buffering hints and processors.
 */
export function bufferSettingsOf(http: HttpSettings): S3Settings {
  const { S3BackupDescription: _backup, S3BackupMode: _mode, DynamicPartitioningConfiguration: _dynamic, ...s3 } = http.S3
  return { ...s3, BufferingHints: http.BufferingHints, ProcessingConfiguration: http.ProcessingConfiguration }
}

/** DescribeDeliveryStream's HttpEndpointDestinationDescription (the access key is never described). */
export function describeHttp(http: HttpSettings, s3: T.S3DestinationDescription): T.HttpEndpointDestinationDescription {
  const { Url, Name } = http.EndpointConfiguration
  return {
    EndpointConfiguration: { Url, ...(Name !== undefined && { Name }) },
    BufferingHints: http.BufferingHints,
    CloudWatchLoggingOptions: http.CloudWatchLoggingOptions ?? { Enabled: false },
    RequestConfiguration: http.RequestConfiguration,
    ...(http.ProcessingConfiguration !== undefined && { ProcessingConfiguration: http.ProcessingConfiguration }),
    ...(http.RoleARN !== undefined && { RoleARN: http.RoleARN }),
    RetryOptions: http.RetryOptions,
    S3BackupMode: http.S3BackupMode,
    S3DestinationDescription: s3,
  }
}
