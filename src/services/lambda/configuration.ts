// Validating what CreateFunction / UpdateFunctionConfiguration ask for, with AWS's messages, and
// turning it into a FunctionVersion.
import { randomUUID } from 'node:crypto'
import type { ServiceModel } from '../../protocol/model.ts'
import { reservedVariables } from '../../runtime/types.ts'
import { lambdaErrors } from './errors.ts'
import type { FunctionVersion, LayerRef } from './function.ts'
import type * as T from './generated/types.ts'
import { deprecatedRuntimes, limits } from './limits.ts'
import type { LambdaState } from './store.ts'


const rolePattern = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/

export type ConfigInput = Partial<Pick<T.CreateFunctionRequest, 'Runtime' | 'Role' | 'Handler' | 'Description' | 'Timeout' |
  'MemorySize' | 'Environment' | 'DeadLetterConfig' | 'TracingConfig' | 'Layers' | 'Architectures' | 'EphemeralStorage' |
  'KMSKeyArn' | 'LoggingConfig'>>

export function validateConfig(input: ConfigInput, model: ServiceModel): void {
  const problems: string[] = []
  const runtimes = model.shape('Runtime').enum ?? []
  if (input.Runtime !== undefined && !runtimes.includes(input.Runtime)) {
    problems.push(`Value '${input.Runtime}' at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${runtimes.join(', ')}]`)
  }
  if (input.Timeout !== undefined && (input.Timeout < 1 || input.Timeout > limits.maxTimeout)) {
    problems.push(`Value '${input.Timeout}' at 'timeout' failed to satisfy constraint: Member must have value ` +
      (input.Timeout < 1 ? 'greater than or equal to 1' : `less than or equal to ${limits.maxTimeout}`))
  }
  if (input.MemorySize !== undefined && (input.MemorySize < limits.minMemory || input.MemorySize > limits.maxMemory)) {
    problems.push(`Value '${input.MemorySize}' at 'memorySize' failed to satisfy constraint: Member must have value ` +
      (input.MemorySize < limits.minMemory ? `greater than or equal to ${limits.minMemory}` : `less than or equal to ${limits.maxMemory}`))
  }
  if (input.Role !== undefined && !rolePattern.test(input.Role)) {
    problems.push(`Value '${input.Role}' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: ` +
      'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+')
  }
  if (input.Handler !== undefined && (input.Handler.length > 128 || !/^[^\s]+$/.test(input.Handler))) {
    problems.push(`Value '${input.Handler}' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+`)
  }
  if (problems.length > 0) throw lambdaErrors.validation(problems)
  if (input.Runtime !== undefined && deprecatedRuntimes.has(input.Runtime)) {
    throw lambdaErrors.invalidParameter(`The runtime parameter of ${input.Runtime} is no longer supported for creating or ` +
      'updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.')
  }
  validateEnvironment(input.Environment?.Variables)
  const dlq = input.DeadLetterConfig?.TargetArn
  if (dlq !== undefined && dlq !== '' && !/^arn:aws[a-zA-Z-]*:(sqs|sns):/.test(dlq)) {
    throw lambdaErrors.invalidParameter(`The provided target arn ${dlq} is invalid. Lambda supports sqs and sns arns as dead letter target arns.`)
  }
}

function validateEnvironment(variables: Record<string, string> | undefined): void {
  if (variables === undefined) return
  const reserved = Object.keys(variables).filter((k) => reservedVariables.has(k))
  if (reserved.length > 0) {
    throw lambdaErrors.invalidParameter('Lambda was unable to configure your environment variables because the environment ' +
      'variables you have provided contains reserved keys that are currently not supported for modification. ' +
      `Reserved keys used in this request: ${reserved.join(', ')}`)
  }
  const size = Buffer.byteLength(JSON.stringify(variables))
  if (size > limits.environmentBytes) {
    throw lambdaErrors.invalidParameter('Lambda was unable to configure your environment variables because the environment ' +
      `variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(variables)}`)
  }
}

/** Resolves layer version ARNs to their extracted code, in the function's order. */
export function resolveLayers(arns: string[] | undefined, state: LambdaState): LayerRef[] {
  if (arns === undefined) return []
  if (arns.length > limits.layersPerFunction) {
    throw lambdaErrors.invalidParameter(`Cannot reference more than ${limits.layersPerFunction} layers.`)
  }
  return arns.map((arn) => {
    const m = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)$/.exec(arn)
    const version = m === null ? undefined : state.regions.peek(m[2]!, m[1]!)?.layers.get(m[3]!)?.versions.get(Number(m[4]))
    if (version === undefined) throw lambdaErrors.invalidParameter(`Layer version ${arn} does not exist.`)
    return { arn, codeSize: version.code.size, dir: version.code.dir }
  })
}

/** Applies configuration changes onto a version (a fresh one for CreateFunction). */
export function applyConfig(base: FunctionVersion, input: ConfigInput, layers: LayerRef[] | undefined, now: number): FunctionVersion {
  return {
    ...base,
    runtime: input.Runtime ?? base.runtime,
    handler: input.Handler ?? base.handler,
    role: input.Role ?? base.role,
    description: input.Description ?? base.description,
    timeout: input.Timeout ?? base.timeout,
    memorySize: input.MemorySize ?? base.memorySize,
    environment: input.Environment === undefined ? base.environment : { ...(input.Environment.Variables ?? {}) },
    layers: layers ?? base.layers,
    deadLetterTargetArn: input.DeadLetterConfig === undefined ? base.deadLetterTargetArn : input.DeadLetterConfig.TargetArn || undefined,
    tracingMode: input.TracingConfig?.Mode ?? base.tracingMode,
    ephemeralStorage: input.EphemeralStorage?.Size ?? base.ephemeralStorage,
    architectures: input.Architectures ?? base.architectures,
    kmsKeyArn: input.KMSKeyArn ?? base.kmsKeyArn,
    logFormat: input.LoggingConfig?.LogFormat ?? base.logFormat,
    logGroup: input.LoggingConfig?.LogGroup ?? base.logGroup,
    lastModified: now,
    revisionId: randomUUID(),
  }
}
