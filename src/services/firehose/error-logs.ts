// CloudWatch Logs error logging (a destination's CloudWatchLoggingOptions with Enabled, LogGroupName
// and LogStreamName): AWS writes each delivery or transformation error as one JSON log event —
// `{deliveryStreamARN, destination, deliveryStreamVersionId, message, errorCode}`, plus `processor`
// (the function's ARN) for a transformation's — into that group and stream, through Logs' port.
// Only when enabled; nothing is written into a group that does not exist (AWS's console creates
// the group and stream for you, the API does not) [R].
import type { LogsPort } from '../logs/port.ts'
import type { DeliveryStream } from './delivery-stream.ts'
import type * as T from './generated/types.ts'

export interface ErrorEvent {
  /** The bucket ARN, or an HTTP endpoint's URL. */
  destination: string
  errorCode: string
  message: string
  /** A transformation's: the Lambda function's ARN. */
  processor?: string
}

/** Where a failed write went, and so whose CloudWatchLoggingOptions apply. */
export type ErrorSource = 'main' | 'backup' | 'errors' | 'httpFailed' | 'transform'

/** [R] but S3.AccessDenied's first sentence and Lambda.InvokeAccessDenied's (seen in AWS's outputs); S3's other codes keep S3's message. */
const s3Messages: Record<string, string> = {
  NoSuchBucket: 'The specified bucket does not exist. Create the bucket or use a different bucket that does exist.',
  AccessDenied: 'Access was denied. Ensure that the trust policy for the provided IAM role allows Firehose to assume the role, and the access policy allows access to the S3 bucket.',
}

/** An S3 write's failure as AWS logs it: `S3.<S3's error code>`. */
export function s3Error(bucketArn: string, error: unknown): ErrorEvent {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'InternalError'
  const message = s3Messages[code] ?? (error instanceof Error ? error.message : String(error))
  return { destination: bucketArn, errorCode: `S3.${code}`, message }
}

export class FirehoseErrorLogs {
  private readonly logs: LogsPort | undefined
  /** Events written (shown by /_nimbus/health). */
  written = 0

  constructor(logs: LogsPort | undefined) {
    this.logs = logs
  }

  /** The logging options of the destination an error belongs to: the backup's own for its writes, the S3 configuration's for an HTTP endpoint's S3 writes. */
  optionsOf(stream: DeliveryStream, source: ErrorSource): T.CloudWatchLoggingOptions | undefined {
    if (stream.http !== undefined) {
      return source === 'main' || source === 'transform' ? stream.http.CloudWatchLoggingOptions : stream.http.S3.CloudWatchLoggingOptions ?? stream.http.CloudWatchLoggingOptions
    }
    if (source === 'backup') return stream.settings.S3BackupDescription?.CloudWatchLoggingOptions ?? stream.settings.CloudWatchLoggingOptions
    return stream.settings.CloudWatchLoggingOptions
  }

  /** Writes one error event when the destination's logging is enabled (at the clock's time). */
  write(stream: DeliveryStream, source: ErrorSource, event: ErrorEvent, now: number): void {
    const options = this.optionsOf(stream, source)
    if (this.logs === undefined || options?.Enabled !== true || !options.LogGroupName || !options.LogStreamName) return
    try {
      if (!this.logs.groupExists(stream.account, stream.region, options.LogGroupName)) return
      const message = JSON.stringify({ deliveryStreamARN: stream.arn, destination: event.destination, deliveryStreamVersionId: stream.version,
        message: event.message, errorCode: event.errorCode, ...(event.processor !== undefined && { processor: event.processor }) })
      this.logs.write(stream.account, stream.region, options.LogGroupName, options.LogStreamName, [{ timestamp: now, message }])
      this.written++
    } catch {
      // Logging never fails a delivery (AWS's error logging is best effort too).
    }
  }
}
