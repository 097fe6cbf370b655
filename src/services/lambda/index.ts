// Lambda: functions, versions, aliases, layers, invoke (sync, async with retries, DLQ, destinations).
import { join } from 'node:path'
import type { Clock } from '../../core/clock.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { LambdaRuntimeApi } from '../../runtime/types.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import type { Fabric } from '../../fabric/fabric.ts'
import type { DynamoDbPort } from '../dynamodb/port.ts'
import type { KinesisPort } from '../kinesis/port.ts'
import type { SqsPort } from '../sqs/port.ts'
import { AsyncInvoker } from './async-invoker.ts'
import { CodeStore } from './code-store.ts'
import { lambdaConsole } from './console.ts'
import type { LambdaContext, S3CodeReader } from './context.ts'
import { lambdaErrors } from './errors.ts'
import { lambdaDescriptor } from './descriptor.ts'
import { createLambdaPort } from './internal.ts'
import { LambdaRows } from './lambda-rows.ts'
import type { LambdaPort } from './port.ts'
import { model } from './generated/model.ts'
import type { LambdaOperations } from './generated/types.ts'
import { aliasOperations } from './operations/aliases.ts'
import { eventInvokeConfigOperations } from './operations/event-invoke-config.ts'
import { eventSourceMappingOperations } from './operations/event-source-mappings.ts'
import { functionOperations } from './operations/functions.ts'
import { invokeOperations } from './operations/invoke.ts'
import { layerOperations } from './operations/layers.ts'
import { settingOperations } from './operations/settings.ts'
import { updateOperations } from './operations/updates.ts'
import { LambdaState } from './store.ts'
import { LambdaMetricLog } from './metric-log.ts'

export interface LambdaDeps {
  clock: Clock
  runtime: LambdaRuntimeApi
  sqs: SqsPort
  /** Kinesis streams as event sources (reached only when a mapping names one). */
  kinesis?: KinesisPort
  /** DynamoDB streams as event sources (reached only when a mapping names one). */
  dynamodb?: DynamoDbPort
  /** Async invocations, their retries, DLQs and destinations go through it. */
  fabric: Fabric
  s3Code?: S3CodeReader
  /**
   * Where deployment packages are extracted: a temporary folder in memory, `<data-dir>/lambda`
   * with a data dir (the zips are kept there too, and the extractions outlive a restart).
   */
  workDir: string
  log: (line: string) => void
  /** With a data dir, the control plane is durable (read back here at creation); else in memory. */
  persistence?: Persistence
  /** A function's AWS/Lambda metrics gained a minute (CloudWatch's alarms re-plan). */
  metricsChanged?: (account: string, region: string) => void
}

export function createLambda(deps: LambdaDeps): { definition: ServiceDefinition; state: LambdaState; port: LambdaPort } {
  const workDir = deps.workDir
  const rows = deps.persistence?.durable === true ? new LambdaRows(deps.persistence) : undefined
  const ctx: LambdaContext = {
    state: new LambdaState(), model: new ServiceModel(model),
    codes: new CodeStore(join(workDir, 'code'), rows === undefined ? undefined : join(workDir, 'packages')),
    runtime: deps.runtime, clock: deps.clock, sqs: deps.sqs, kinesis: deps.kinesis, dynamodb: deps.dynamodb, s3Code: deps.s3Code, rows,
    metrics: new LambdaMetricLog(deps.clock, (account, region) => deps.metricsChanged?.(account, region)),
  }
  const restored = rows?.load(ctx.codes, deps.log)
  for (const fn of restored?.functions ?? []) ctx.state.region(fn.account, fn.region).functions.set(fn.name, fn)
  for (const layer of restored?.layers ?? []) {
    const [, , , region, account] = layer.arn.split(':')
    ctx.state.region(account!, region!).layers.set(layer.name, layer)
  }
  const asyncInvoker = new AsyncInvoker(ctx, deps.fabric, deps.log)
  const mappings = eventSourceMappingOperations(ctx, deps.log, restored?.mappings, deps.fabric.trace, deps.fabric)
  const operations = {
    ...mappings.operations,
    ...functionOperations(ctx),
    ...updateOperations(ctx),
    ...aliasOperations(ctx),
    ...invokeOperations(ctx, asyncInvoker),
    ...eventInvokeConfigOperations(ctx),
    ...settingOperations(ctx),
    ...layerOperations(ctx),
  } satisfies OperationTable<LambdaOperations>

  const stopAll = async () => {
    mappings.clear()
    asyncInvoker.clear()
    await ctx.runtime.stop()
  }
  const definition = defineService({
    name: lambdaDescriptor.name,
    signingName: lambdaDescriptor.signingName,
    model: ctx.model,
    protocols: lambdaDescriptor.protocols,
    pathPrefixes: lambdaDescriptor.pathPrefixes,
    operations,
    errors: { missingParameter: lambdaErrors.missingParameter },
    reset: () => {
      void stopAll()
      ctx.state.clear()
      rows?.clear()
    },
    // Without a data dir the packages go with Nimbus; with one they stay for the next start.
    stop: () => stopAll().finally(() => {
      if (!ctx.codes.durable) ctx.codes.clear()
    }),
    health: () => ({ status: 'running', functions: ctx.state.allFunctions().length, streamPolls: mappings.streamPolls() }),
    console: lambdaConsole(ctx, operations as never),
  })
  return { definition, state: ctx.state, port: createLambdaPort(ctx.state, asyncInvoker, ctx) }
}
