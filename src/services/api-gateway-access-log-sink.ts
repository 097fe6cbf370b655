// Where API Gateway's access log lines go (REST, HTTP and WebSocket stages alike): a CloudWatch Logs
// group (`arn:aws:logs:{region}:{account}:log-group:{name}`), one event per request, or an Amazon Data
// Firehose stream (`arn:aws:firehose:{region}:{account}:deliverystream/amazon-apigateway-{name}` — AWS:
// "the stream name must begin with amazon-apigateway-"), one record per line through Firehose's port,
// so the lines land in the stream's destination (S3…) as its buffering delivers them.
import { createHash } from 'node:crypto'
import type { FirehosePort } from './firehose/port.ts'
import type { LogsPort } from './logs/port.ts'
import { logGroupOf } from './api-gateway-logs.ts'

/** The ports a stage's access log can be written through (a service's deps carry them). */
export interface AccessLogSinks {
  logs?: LogsPort
  firehose?: FirehosePort
}

/** The name prefix AWS requires of an access log delivery stream. */
export const firehoseStreamPrefix = 'amazon-apigateway-'

const streamArn = /^arn:aws[\w-]*:firehose:([\w-]+):(\d{12}):deliverystream\/([^/]+)$/

/** `arn:aws:firehose:{region}:{account}:deliverystream/{name}` → its parts; undefined for anything else. */
export function firehoseStreamOf(destinationArn: string): { region: string; account: string; name: string } | undefined {
  const m = streamArn.exec(destinationArn)
  return m === null ? undefined : { region: m[1]!, account: m[2]!, name: m[3]! }
}

/** [R] AWS's wording when a Firehose destination lacks the name prefix. */
export const firehosePrefixMessage = `Invalid destination ARN specified: the Firehose delivery stream name must begin with ${firehoseStreamPrefix}`

/**
 * Why a destination ARN can't take access logs (undefined: it can): `arn` — neither a log group nor a
 * Firehose stream ARN — or `prefix`, a stream without AWS's name prefix (firehosePrefixMessage).
 */
export function accessLogDestinationProblem(destinationArn: string): 'arn' | 'prefix' | undefined {
  if (logGroupOf(destinationArn) !== undefined) return undefined
  const stream = firehoseStreamOf(destinationArn)
  if (stream === undefined) return 'arn'
  return stream.name.startsWith(firehoseStreamPrefix) ? undefined : 'prefix'
}

/** Stream names by `{apiId}/{stage}` (hashed once, not per request). */
const streams = new Map<string, string>()

/** A stage's own access log stream in its log group [R: AWS's stream names are opaque]. */
export function accessLogStream(apiId: string, stageName: string): string {
  const key = `${apiId}/${stageName}`
  let stream = streams.get(key)
  if (stream === undefined) {
    stream = createHash('md5').update(key).digest('hex')
    if (streams.size >= 10_000) streams.clear()
    streams.set(key, stream)
  }
  return stream
}

/**
 * Writes one line: to the log group (created if missing) in `logStream`, or as one Firehose record
 * (the line and a newline, so records delivered together read as lines [R]). Throws what the port throws
 * (a stream that doesn't exist or isn't ACTIVE): the caller logs it and the request is unaffected.
 */
export function deliverAccessLine(sinks: AccessLogSinks, destinationArn: string, logStream: string, timestamp: number, line: string): void {
  const group = logGroupOf(destinationArn)
  if (group !== undefined) {
    sinks.logs?.write(group.account, group.region, group.name, logStream, [{ timestamp, message: line }])
    return
  }
  const stream = firehoseStreamOf(destinationArn)
  if (stream !== undefined && sinks.firehose !== undefined) sinks.firehose.putRecord(stream.account, stream.region, stream.name, Buffer.from(`${line}\n`))
}
