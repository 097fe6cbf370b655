// An S3 destination's settings, as stored and described: defaults filled in, validated as AWS does.
import { checkPrefixes } from './prefix.ts'
import { pipelineOf } from './record-processors.ts'
import { firehoseErrors } from './errors.ts'
import type * as T from './generated/types.ts'
import { limits } from './limits.ts'

/** The settings delivery reads; kept as AWS describes them (`ExtendedS3DestinationDescription`). */
export interface S3Settings {
  RoleARN: string
  BucketARN: string
  Prefix?: string
  ErrorOutputPrefix?: string
  BufferingHints: { SizeInMBs: number; IntervalInSeconds: number }
  CompressionFormat: T.CompressionFormat
  EncryptionConfiguration: T.EncryptionConfiguration
  CloudWatchLoggingOptions?: T.CloudWatchLoggingOptions
  ProcessingConfiguration?: T.ProcessingConfiguration
  S3BackupMode?: T.S3BackupMode
  S3BackupDescription?: S3Settings
  DataFormatConversionConfiguration?: T.DataFormatConversionConfiguration
  DynamicPartitioningConfiguration?: T.DynamicPartitioningConfiguration
  FileExtension?: string
  CustomTimeZone?: string
}

/** The bucket name of `arn:aws:s3:::<bucket>`. */
export const bucketOf = (arn: string): string => arn.slice(arn.indexOf(':::') + 3)

type AnyS3Config = T.ExtendedS3DestinationConfiguration & Partial<Pick<T.ExtendedS3DestinationUpdate, 'S3BackupUpdate'>>

/**
 * Firehose's own rules for one S3 (or extended S3) configuration, as CreateDeliveryStream and
 * UpdateDestination apply them. The model's lengths, ranges and patterns (ARNs, FileExtension,
 * prefixes, BufferingHints, RetryOptions) were checked before (index.ts, coral-validation.ts).
 */
export function checkS3Config(config: Partial<AnyS3Config>): void {
  if (config.CustomTimeZone !== undefined && config.CustomTimeZone !== '' && !validTimeZone(config.CustomTimeZone)) {
    throw firehoseErrors.invalidArgument(`CustomTimeZone ${config.CustomTimeZone} is not supported.`) // [R]
  }
  if (config.DataFormatConversionConfiguration !== undefined && config.DataFormatConversionConfiguration.Enabled !== false) {
    throw firehoseErrors.unsupported('record format conversion (DataFormatConversionConfiguration)')
  }
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

function fillHints(hints: T.BufferingHints | undefined, base?: S3Settings['BufferingHints']): S3Settings['BufferingHints'] {
  return {
    SizeInMBs: hints?.SizeInMBs ?? base?.SizeInMBs ?? limits.defaultSizeInMBs,
    IntervalInSeconds: hints?.IntervalInSeconds ?? base?.IntervalInSeconds ?? limits.defaultIntervalInSeconds,
  }
}

const defined = <O extends object>(o: O): O => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as O

/** A configuration (create) or an update merged over the current settings (UpdateDestination). */
export function settingsOf(config: Partial<AnyS3Config> & { S3BackupConfiguration?: T.S3DestinationConfiguration }, base?: S3Settings): S3Settings {
  const backupConfig = config.S3BackupConfiguration ?? config.S3BackupUpdate
  const merged: S3Settings = defined({
    ...base,
    ...defined({ RoleARN: config.RoleARN, BucketARN: config.BucketARN, Prefix: config.Prefix, ErrorOutputPrefix: config.ErrorOutputPrefix,
      CloudWatchLoggingOptions: config.CloudWatchLoggingOptions, ProcessingConfiguration: config.ProcessingConfiguration,
      S3BackupMode: config.S3BackupMode, DataFormatConversionConfiguration: config.DataFormatConversionConfiguration,
      DynamicPartitioningConfiguration: config.DynamicPartitioningConfiguration, FileExtension: config.FileExtension, CustomTimeZone: config.CustomTimeZone }),
    RoleARN: config.RoleARN ?? base?.RoleARN ?? '',
    BucketARN: config.BucketARN ?? base?.BucketARN ?? '',
    BufferingHints: fillHints(config.BufferingHints, base?.BufferingHints),
    CompressionFormat: config.CompressionFormat ?? base?.CompressionFormat ?? 'UNCOMPRESSED',
    EncryptionConfiguration: config.EncryptionConfiguration ?? base?.EncryptionConfiguration ?? { NoEncryptionConfig: 'NoEncryption' },
    S3BackupDescription: backupConfig === undefined ? base?.S3BackupDescription : settingsOf(backupConfig, base?.S3BackupDescription),
  })
  const dynamic = merged.DynamicPartitioningConfiguration?.Enabled === true
  if (dynamic) {
    checkDynamic(merged, base)
    // Described with its retry duration filled in: 300 s when not given (AWS's documented default).
    merged.DynamicPartitioningConfiguration = { RetryOptions: { DurationInSeconds: 300 }, ...merged.DynamicPartitioningConfiguration }
  }
  pipelineOf(merged.ProcessingConfiguration, dynamic)
  checkPrefixes(merged.Prefix, merged.ErrorOutputPrefix, dynamic)
  if (merged.S3BackupMode === 'Enabled' && merged.S3BackupDescription === undefined) {
    throw firehoseErrors.invalidArgument('S3BackupConfiguration is required when S3BackupMode is Enabled.') // [R]
  }
  return merged
}


/** Dynamic partitioning's rules at create and update ([R] wordings; the rules are AWS's documented ones). */
function checkDynamic(merged: S3Settings, base: S3Settings | undefined): void {
  if (base !== undefined && base.DynamicPartitioningConfiguration?.Enabled !== true) {
    throw firehoseErrors.invalidArgument('Dynamic partitioning cannot be enabled on an existing Firehose stream that was created without it.') // [R]
  }
  if (merged.BufferingHints.SizeInMBs < limits.minDynamicSizeInMBs) {
    throw firehoseErrors.invalidArgument(`BufferingHints.SizeInMBs must be at least ${limits.minDynamicSizeInMBs} when dynamic partitioning is enabled.`) // [R]
  }
  if (merged.BufferingHints.IntervalInSeconds < limits.minDynamicIntervalInSeconds) {
    throw firehoseErrors.invalidArgument(`BufferingHints.IntervalInSeconds must be at least ${limits.minDynamicIntervalInSeconds} when dynamic partitioning is enabled.`) // [R]
  }
  const processors = merged.ProcessingConfiguration?.Enabled === true ? merged.ProcessingConfiguration.Processors ?? [] : []
  const prefix = merged.Prefix ?? ''
  if (prefix.includes('!{partitionKeyFromQuery:') && !processors.some((p) => p.Type === 'MetadataExtraction')) {
    throw firehoseErrors.invalidArgument('partitionKeyFromQuery expressions require a MetadataExtraction processor.') // [R]
  }
  if (prefix.includes('!{partitionKeyFromLambda:') && !processors.some((p) => p.Type === 'Lambda')) {
    throw firehoseErrors.invalidArgument('partitionKeyFromLambda expressions require a Lambda processor.') // [R]
  }
}
