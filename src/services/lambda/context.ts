// What Lambda's operation handlers share: state, code on disk, the runtime that runs functions,
// and SQS's port for event source mappings (dead-letter queues and destinations go through the fabric).
import type { Clock } from '../../core/clock.ts'
import type { ServiceModel } from '../../protocol/model.ts'
import type { LambdaRuntimeApi } from '../../runtime/types.ts'
import type { DynamoDbPort } from '../dynamodb/port.ts'
import type { KinesisPort } from '../kinesis/port.ts'
import type { SqsPort } from '../sqs/port.ts'
import type { CodeStore } from './code-store.ts'
import type { LambdaRows } from './lambda-rows.ts'
import type { LambdaMetricLog } from './metric-log.ts'
import type { LambdaState } from './store.ts'

/** Reads a deployment package from S3 (CreateFunction with S3Bucket/S3Key) once S3 exists. */
export type S3CodeReader = (bucket: string, key: string, version: string | undefined) => Buffer

export interface LambdaContext {
  readonly state: LambdaState
  readonly codes: CodeStore
  readonly model: ServiceModel
  readonly runtime: LambdaRuntimeApi
  readonly clock: Clock
  readonly sqs: SqsPort
  readonly kinesis?: KinesisPort
  readonly dynamodb?: DynamoDbPort
  readonly s3Code: S3CodeReader | undefined
  /** With a data dir, every change to the control plane is written here (docs/persistence.md); else undefined. */
  readonly rows: LambdaRows | undefined
  /** AWS/Lambda's metrics, in memory (metric-log.ts); undefined in unit tests that build a bare context. */
  readonly metrics?: LambdaMetricLog
}
