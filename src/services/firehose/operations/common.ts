// Checks and descriptions every Firehose operation shares.
import { firehoseErrors } from '../errors.ts'
import type { DeliveryStream } from '../delivery-stream.ts'
import type { S3Settings } from '../destination.ts'
import type * as T from '../generated/types.ts'
import { describeHttp } from '../http-endpoint.ts'
import { limits } from '../limits.ts'

/**
 * A stream name's model constraints, for callers that skip the model's validation: other services
 * writing through port.ts. The API's operations get them from the model first (index.ts).
 */
export function checkStreamName(name: string): void {
  const member = 'deliveryStreamName'
  if (name.length < 1) throw firehoseErrors.validation(name, member, 'Member must have length greater than or equal to 1')
  if (name.length > 64) throw firehoseErrors.validation(name, member, 'Member must have length less than or equal to 64')
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) throw firehoseErrors.validation(name, member, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+')
}

/** The legacy description leaves out what only extended S3 destinations have. */
function legacyDescription(s: S3Settings): T.S3DestinationDescription {
  const { RoleARN, BucketARN, Prefix, ErrorOutputPrefix, BufferingHints, CompressionFormat, EncryptionConfiguration, CloudWatchLoggingOptions } = s
  return { RoleARN, BucketARN, Prefix, ErrorOutputPrefix, BufferingHints, CompressionFormat, EncryptionConfiguration,
    CloudWatchLoggingOptions: CloudWatchLoggingOptions ?? { Enabled: false } }
}

function extendedDescription(s: S3Settings): T.ExtendedS3DestinationDescription {
  const { S3BackupDescription, ...rest } = s
  return {
    ...rest, CloudWatchLoggingOptions: s.CloudWatchLoggingOptions ?? { Enabled: false }, S3BackupMode: s.S3BackupMode ?? 'Disabled',
    ...(S3BackupDescription !== undefined && { S3BackupDescription: legacyDescription(S3BackupDescription) }),
  }
}

/** DescribeDeliveryStream's description: S3 streams are described under both keys, as AWS does. */
export function describe(stream: DeliveryStream, now: number): T.DeliveryStreamDescription {
  const status = stream.encryptionStatus(now)
  const e = stream.encryption
  return {
    DeliveryStreamName: stream.name,
    DeliveryStreamARN: stream.arn,
    DeliveryStreamStatus: stream.status(now),
    DeliveryStreamEncryptionConfiguration: e === undefined || status === 'DISABLED' ? { Status: status }
      : { ...(e.keyArn !== undefined && { KeyARN: e.keyArn }), KeyType: e.keyType, Status: status },
    DeliveryStreamType: stream.type,
    VersionId: String(stream.version),
    CreateTimestamp: new Date(stream.createdAt),
    ...(stream.version > 1 && { LastUpdateTimestamp: new Date(stream.updatedAt) }),
    ...(stream.source !== undefined && {
      Source: { KinesisStreamSourceDescription: { ...stream.source, DeliveryStartTimestamp: new Date(stream.createdAt) } },
    }),
    Destinations: [stream.http !== undefined
      ? { DestinationId: limits.destinationId, HttpEndpointDestinationDescription: describeHttp(stream.http, legacyDescription(stream.http.S3)) }
      : {
        DestinationId: limits.destinationId,
        S3DestinationDescription: legacyDescription(stream.settings),
        ExtendedS3DestinationDescription: extendedDescription(stream.settings),
      }],
    HasMoreDestinations: false,
  }
}
