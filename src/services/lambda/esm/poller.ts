// The one interface every event source mapping's poller implements, and the kinds of source Lambda
// polls: SQS today; Kinesis and DynamoDB Streams register the same way (a kind per ARN service,
// reaching the source through that service's port). Lambda's mapping operations know only this.
import type { Clock } from '../../../core/clock.ts'
import type { InvokeResult } from '../../../runtime/types.ts'
import type * as T from '../generated/types.ts'
import type { Throttled } from '../invoker.ts'

/** A mapping's settings as its poller sees them (the mapping's configuration, resolved). */
export interface PollerSettings {
  sourceArn: string
  region: string
  batchSize: number
  windowSeconds: number
  reportBatchItemFailures: boolean
  /** Concurrent invocations at most (ScalingConfig.MaximumConcurrency, else Lambda's starting 5 pollers). */
  maxConcurrency: number
  filterCriteria: T.FilterCriteria | undefined
  /** Stream sources (Kinesis): where a shard is first read, and what a failing batch gets. */
  stream?: {
    startingPosition: T.EventSourcePosition
    startingTimestamp: number | undefined
    bisect: boolean
    /** -1: until the records expire (AWS's default). */
    maxRetries: number
    /** The function's execution role: records name it as invokeIdentityArn. */
    roleArn: string
    /** -1: records never age out (AWS's default); else seconds after which they are discarded. */
    maxRecordAge: number
    /** DestinationConfig.OnFailure: where a discarded batch's failure record goes (SQS, SNS, S3). */
    onFailure: string | undefined
    /** Concurrent batches per shard (1–10), records spread by partition key. */
    parallelization: number
    /** TumblingWindowInSeconds (0: none). */
    tumblingWindow: number
    /** The unqualified function ARN and the version that runs: failure records name them. */
    functionArn: string
    executedVersion: string
    /** Per-shard positions read back from the mapping's row (durable checkpoints). */
    checkpoints: Readonly<Record<string, ShardCheckpoint>>
  }
}

/** Where a mapping stands in one shard: past `after` (a sequence number, '' for TRIM_HORIZON), and whether it read a closed shard to its end. */
export interface ShardCheckpoint {
  after: string
  drained: boolean
}

export interface PollerDeps {
  clock: Clock
  /** Invokes the mapping's function synchronously with one batch. */
  invoke(payload: Buffer): Promise<InvokeResult | Throttled>
  log(line: string): void
  /** One record handed to the function: a hop for the fabric's trace log (its id, how it went, its receive count). */
  hop(id: string, outcome: 'delivered' | 'failed', attempt: number): void
  /** Stream sources: a discarded batch's failure record, to the mapping's OnFailure destination. */
  onFailure?(destination: string, record: string, requestId: string, shardId: string): void
  /** Stream sources: one poll made (health counts them: an idle poller makes none). */
  polled?(): void
  /** Stream sources: a shard's position moved (every record before it is done with). */
  checkpoint?(shardId: string, position: ShardCheckpoint): void
}

/** Reads a source, batches, invokes, and acknowledges (deletes, checkpoints) what succeeded. */
export interface EventSourcePoller {
  start(): void
  /** Stops reading; what it held comes back to the source (SQS: after the visibility timeout). */
  stop(): void
  update(settings: PollerSettings): void
}

/** A kind of event source: how its mappings are checked and polled. */
export interface EventSourceKind {
  /** The ARN service of its sources: 'sqs' ('kinesis', 'dynamodb' next). */
  readonly service: string
  /** How Lambda's messages name it ("SQS arn"). */
  readonly label: string
  /** Throws Lambda's error when the source does not exist. */
  requireSource(arn: string): void
  /** Checks a mapping's settings against this kind's limits; throws Lambda's errors. */
  validate(arn: string, input: Partial<T.CreateEventSourceMappingRequest>): void
  createPoller(settings: PollerSettings, deps: PollerDeps): EventSourcePoller
}

/** The kind that polls `arn`, by its service. */
export function sourceKind(kinds: readonly EventSourceKind[], arn: string): EventSourceKind | undefined {
  return kinds.find((kind) => arn.includes(`:${kind.service}:`))
}
