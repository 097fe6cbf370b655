// The enabled services, one list, created in dependency order.
import { join } from 'node:path'
import type { Clock } from '../core/clock.ts'
import type { LambdaRuntimeApi } from '../runtime/types.ts'
import { createEventBridge } from './eventbridge/index.ts'
import type { EventBridgePort } from './eventbridge/internal.ts'
import { createLambda } from './lambda/index.ts'
import type { LambdaPort } from './lambda/internal.ts'
import type { LambdaState } from './lambda/store.ts'
import { createLogs } from './logs/index.ts'
import type { LogsPort } from './logs/internal.ts'
import { createS3 } from './s3/index.ts'
import type { S3Port } from './s3/internal.ts'
import type { ServiceDefinition } from './service.ts'
import { createSns } from './sns/index.ts'
import type { SnsPort } from './sns/internal.ts'
import { createSqs } from './sqs/index.ts'
import type { SqsPort } from './sqs/internal.ts'

export interface Services {
  list: ServiceDefinition[]
  ports: { sqs: SqsPort; logs: LogsPort; lambda: LambdaPort; sns: SnsPort; eventbridge: EventBridgePort; s3: S3Port }
  lambda: LambdaState
}

export interface ServiceDeps {
  clock: Clock
  /** A folder of Nimbus's own for files services keep on disk (Lambda's deployment packages). */
  workDir: string
  /** Runs Lambda functions; the composition root owns it (it needs Nimbus's endpoint). */
  lambdaRuntime: LambdaRuntimeApi
  log: (line: string) => void
  /** Nimbus's base URL once it listens (SNS's signing-certificate and confirmation URLs). */
  endpoint: () => string
  /** When given, S3 keeps object bodies in files under `<dataDir>/s3`; else in memory. */
  dataDir?: string
}

export function createServices(deps: ServiceDeps): Services {
  const sqs = createSqs({ clock: deps.clock })
  const logs = createLogs({ clock: deps.clock })
  // S3 comes before Lambda (which reads code from S3), so its notifications reach SNS, Lambda and
  // EventBridge by late binding; Lambda sends DLQ messages and destination records to SNS the same way.
  let snsPort: SnsPort | undefined
  let lambdaPort: LambdaPort | undefined
  let ebPort: EventBridgePort | undefined
  const s3 = createS3({
    clock: deps.clock, dataDir: deps.dataDir === undefined ? undefined : join(deps.dataDir, 's3'),
    notify: { sqs: sqs.port, sns: () => snsPort, lambda: () => lambdaPort, eventbridge: () => ebPort, log: deps.log },
  })
  const lambda = createLambda({
    clock: deps.clock, runtime: deps.lambdaRuntime, sqs: sqs.port, log: deps.log, workDir: join(deps.workDir, 'lambda'),
    sns: () => snsPort,
    s3Code: (bucket, key, version) => s3.port.getObject(bucket, key, version).body,
  })
  const sns = createSns({ clock: deps.clock, sqs: sqs.port, lambda: lambda.port, log: deps.log, endpoint: deps.endpoint })
  snsPort = sns.port
  lambdaPort = lambda.port
  const eventbridge = createEventBridge({ clock: deps.clock, sqs: sqs.port, sns: sns.port, lambda: lambda.port, logs: logs.port, log: deps.log })
  ebPort = eventbridge.port
  return {
    list: [sqs.definition, logs.definition, lambda.definition, sns.definition, eventbridge.definition, s3.definition],
    ports: { sqs: sqs.port, logs: logs.port, lambda: lambda.port, sns: sns.port, eventbridge: eventbridge.port, s3: s3.port },
    lambda: lambda.state,
  }
}
