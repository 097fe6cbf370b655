// Put/Get/Update/Delete/ListFunctionEventInvokeConfig: retries, event age and destinations for async invokes.
import type { Operation } from '../../service.ts'
import type { LambdaContext } from '../context.ts'
import { lambdaErrors } from '../errors.ts'
import type { LambdaFunction } from '../function.ts'
import type * as T from '../generated/types.ts'

type ConfigInput = Pick<T.PutFunctionEventInvokeConfigRequest, 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' | 'DestinationConfig'>

function validate(fn: LambdaFunction, input: ConfigInput): void {
  if (input.MaximumRetryAttempts === undefined && input.MaximumEventAgeInSeconds === undefined && input.DestinationConfig === undefined) {
    throw lambdaErrors.invalidParameter('You must specify at least one of error handling or destination setting.')
  }
  const problems: string[] = []
  const retries = input.MaximumRetryAttempts
  if (retries !== undefined && (retries < 0 || retries > 2)) {
    problems.push(`Value '${retries}' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value ${retries < 0 ? 'greater than or equal to 0' : 'less than or equal to 2'}`)
  }
  const age = input.MaximumEventAgeInSeconds
  if (age !== undefined && (age < 60 || age > 21_600)) {
    problems.push(`Value '${age}' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value ${age < 60 ? 'greater than or equal to 60' : 'less than or equal to 21600'}`)
  }
  if (problems.length > 0) throw lambdaErrors.validation(problems)
  for (const destination of [input.DestinationConfig?.OnSuccess?.Destination, input.DestinationConfig?.OnFailure?.Destination]) {
    if (destination === undefined) continue
    if (!/^arn:aws[a-zA-Z-]*:(sqs|sns|lambda|events|s3):/.test(destination)) {
      throw lambdaErrors.invalidParameter(`The destination ARN ${destination} is invalid.`)
    }
    if (destination === fn.arn || destination.startsWith(`${fn.arn}:`)) {
      throw lambdaErrors.invalidParameter("You can't specify the function as a destination for itself.")
    }
  }
}

export function eventInvokeConfigOperations(ctx: LambdaContext) {
  const target = (name: string, qualifier: string | undefined, op: { caller: { account: string; region: string } }) => {
    const { fn, qualifier: q } = ctx.state.resolve(name, qualifier, op.caller.account, op.caller.region)
    const scope = q ?? '$LATEST'
    if (fn.version(scope) === undefined) throw lambdaErrors.functionNotFound(fn.qualifiedArn(scope))
    return { fn, scope }
  }
  const output = (fn: LambdaFunction, scope: string, config: T.FunctionEventInvokeConfig): T.FunctionEventInvokeConfig => ({
    ...config, FunctionArn: fn.qualifiedArn(scope),
    DestinationConfig: { OnSuccess: config.DestinationConfig?.OnSuccess ?? {}, OnFailure: config.DestinationConfig?.OnFailure ?? {} },
  })
  const existing = (fn: LambdaFunction, scope: string) => {
    const config = fn.eventInvokeConfigs.get(scope)
    if (config === undefined) throw lambdaErrors.resourceNotFound(`The function ${fn.qualifiedArn(scope)} doesn't have an EventInvokeConfig`)
    return config
  }

  const put: Operation<T.PutFunctionEventInvokeConfigRequest, T.FunctionEventInvokeConfig> = (input, op) => {
    const { fn, scope } = target(input.FunctionName, input.Qualifier, op)
    validate(fn, input)
    // Put replaces the whole configuration.
    const config = { LastModified: new Date(ctx.clock.now()), MaximumRetryAttempts: input.MaximumRetryAttempts,
      MaximumEventAgeInSeconds: input.MaximumEventAgeInSeconds, DestinationConfig: input.DestinationConfig }
    fn.eventInvokeConfigs.set(scope, config)
    ctx.rows?.fn(fn)
    return output(fn, scope, config)
  }
  const update: Operation<T.UpdateFunctionEventInvokeConfigRequest, T.FunctionEventInvokeConfig> = (input, op) => {
    const { fn, scope } = target(input.FunctionName, input.Qualifier, op)
    validate(fn, input)
    const current = fn.eventInvokeConfigs.get(scope) ?? {}
    // Update merges into what is there.
    const config = {
      ...current, LastModified: new Date(ctx.clock.now()),
      MaximumRetryAttempts: input.MaximumRetryAttempts ?? current.MaximumRetryAttempts,
      MaximumEventAgeInSeconds: input.MaximumEventAgeInSeconds ?? current.MaximumEventAgeInSeconds,
      DestinationConfig: input.DestinationConfig === undefined ? current.DestinationConfig : {
        OnSuccess: input.DestinationConfig.OnSuccess ?? current.DestinationConfig?.OnSuccess,
        OnFailure: input.DestinationConfig.OnFailure ?? current.DestinationConfig?.OnFailure,
      },
    }
    fn.eventInvokeConfigs.set(scope, config)
    ctx.rows?.fn(fn)
    return output(fn, scope, config)
  }
  const get: Operation<T.GetFunctionEventInvokeConfigRequest, T.FunctionEventInvokeConfig> = (input, op) => {
    const { fn, scope } = target(input.FunctionName, input.Qualifier, op)
    return output(fn, scope, existing(fn, scope))
  }
  const remove: Operation<T.DeleteFunctionEventInvokeConfigRequest, void> = (input, op) => {
    const { fn, scope } = target(input.FunctionName, input.Qualifier, op)
    existing(fn, scope)
    fn.eventInvokeConfigs.delete(scope)
    ctx.rows?.fn(fn)
  }
  const list: Operation<T.ListFunctionEventInvokeConfigsRequest, T.ListFunctionEventInvokeConfigsResponse> = (input, op) => {
    const { fn } = ctx.state.resolve(input.FunctionName, undefined, op.caller.account, op.caller.region)
    return { FunctionEventInvokeConfigs: [...fn.eventInvokeConfigs].map(([scope, config]) => output(fn, scope, config)) }
  }

  return {
    PutFunctionEventInvokeConfig: put, UpdateFunctionEventInvokeConfig: update, GetFunctionEventInvokeConfig: get,
    DeleteFunctionEventInvokeConfig: remove, ListFunctionEventInvokeConfigs: list,
  }
}
