// Lambda: functions, versions, aliases, layers, invoke (sync, async with retries, DLQ, destinations).
import { join } from 'node:path'
import type { Clock } from '../../core/clock.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { LambdaRuntimeApi } from '../../runtime/types.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import type { EventBridgePort } from '../eventbridge/port.ts'
import type { SnsPort } from '../sns/port.ts'
import type { SqsPort } from '../sqs/port.ts'
import { AsyncInvoker } from './async-invoker.ts'
import { CodeStore } from './code-store.ts'
import type { LambdaContext, S3CodeReader } from './context.ts'
import { createDestinations } from './destinations.ts'
import { lambdaErrors } from './errors.ts'
import { lambdaDescriptor } from './descriptor.ts'
import { createLambdaPort } from './internal.ts'
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

export interface LambdaDeps {
  clock: Clock
  runtime: LambdaRuntimeApi
  sqs: SqsPort
  /** SNS topics as DLQs and destinations, EventBridge buses as destinations. */
  sns: SnsPort
  eventbridge: EventBridgePort
  s3Code?: S3CodeReader
  /** Where deployment packages are extracted. */
  workDir: string
  log: (line: string) => void
}

export function createLambda(deps: LambdaDeps): { definition: ServiceDefinition; state: LambdaState; port: LambdaPort } {
  const workDir = deps.workDir
  const ctx: LambdaContext = {
    state: new LambdaState(), codes: new CodeStore(join(workDir, 'code')), model: new ServiceModel(model),
    runtime: deps.runtime, clock: deps.clock, sqs: deps.sqs, sns: deps.sns,
    eventbridge: deps.eventbridge, s3Code: deps.s3Code,
  }
  let asyncInvoker: AsyncInvoker | undefined
  const destinations = createDestinations(ctx, () => asyncInvoker!, deps.log)
  asyncInvoker = new AsyncInvoker(ctx, destinations, deps.log)
  const mappings = eventSourceMappingOperations(ctx, deps.log)
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
    asyncInvoker?.clear()
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
    },
    stop: () => stopAll().finally(() => ctx.codes.clear()),
    health: () => ({ status: 'running', functions: ctx.state.allFunctions().length }),
  })
  return { definition, state: ctx.state, port: createLambdaPort(ctx.state, asyncInvoker) }
}
