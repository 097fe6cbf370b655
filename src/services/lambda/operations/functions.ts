// CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, DeleteFunction.
import type { Operation } from '../../service.ts'
import { applyConfig, resolveLayers, validateConfig } from '../configuration.ts'
import type { LambdaContext } from '../context.ts'
import { lambdaErrors } from '../errors.ts'
import { type FunctionVersion, LambdaFunction, toConfiguration } from '../function.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import { storeCode } from './code.ts'
import { page } from './pages.ts'
import { poolKey } from '../invoker.ts'

export function functionOperations(ctx: LambdaContext) {
  const createFunction: Operation<T.CreateFunctionRequest, T.FunctionConfiguration> = (input, op) => {
    const { account, region } = op.caller
    if (!/^[a-zA-Z0-9-_]{1,64}$/.test(input.FunctionName)) {
      throw lambdaErrors.validation([`Value '${input.FunctionName}' at 'functionName' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+'])
    }
    if (input.PackageType === 'Image' || input.Code.ImageUri !== undefined) {
      throw lambdaErrors.invalidParameter('Nimbus runs Zip packages only; container image functions are not supported.')
    }
    if (input.Runtime === undefined) throw lambdaErrors.invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.')
    if (input.Handler === undefined && !input.Runtime.startsWith('provided')) {
      throw lambdaErrors.invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.')
    }
    validateConfig(input, ctx.model)
    const store = ctx.state.region(account, region)
    if (store.functions.has(input.FunctionName)) throw lambdaErrors.functionExists(input.FunctionName)
    const code = storeCode(ctx, input.Code)
    const layers = resolveLayers(input.Layers, ctx.state)
    const now = ctx.clock.now()
    const base: FunctionVersion = {
      version: '$LATEST', runtime: undefined, handler: undefined, role: input.Role, description: '',
      timeout: limits.defaultTimeout, memorySize: limits.defaultMemory, environment: {}, layers: [],
      deadLetterTargetArn: undefined, tracingMode: 'PassThrough', ephemeralStorage: 512, architectures: ['x86_64'],
      kmsKeyArn: undefined, logFormat: 'Text', logGroup: `/aws/lambda/${input.FunctionName}`, code, lastModified: now,
      revisionId: '',
    }
    const fn = new LambdaFunction(input.FunctionName, account, region, applyConfig(base, input, layers, now))
    Object.assign(fn.tags, input.Tags ?? {})
    store.functions.set(fn.name, fn)
    const version = input.Publish === true ? fn.publish(undefined, now) : fn.latest
    if (version === fn.latest) ctx.rows?.fn(fn)
    else ctx.rows?.version(fn, version)
    // AWS reports a new function as Pending; Nimbus's is ready at once, so every later read says Active.
    return toConfiguration(fn, version, {
      state: 'Pending', stateReason: 'The function is being created.', stateReasonCode: 'Creating',
    })
  }

  const getFunction: Operation<T.GetFunctionRequest, T.GetFunctionResponse> = (input, op) => {
    const { fn, qualifier } = ctx.state.resolve(input.FunctionName, input.Qualifier, op.caller.account, op.caller.region)
    const version = requireVersion(fn, qualifier)
    return {
      Configuration: toConfiguration(fn, version),
      Code: { RepositoryType: 'S3', Location: `file://${version.code.dir}` },
      Tags: Object.keys(fn.tags).length > 0 ? { ...fn.tags } : undefined,
      Concurrency: fn.reservedConcurrency === undefined ? undefined : { ReservedConcurrentExecutions: fn.reservedConcurrency },
    }
  }

  const getFunctionConfiguration: Operation<T.GetFunctionConfigurationRequest, T.FunctionConfiguration> = (input, op) => {
    const { fn, qualifier } = ctx.state.resolve(input.FunctionName, input.Qualifier, op.caller.account, op.caller.region)
    return toConfiguration(fn, requireVersion(fn, qualifier))
  }

  const listFunctions: Operation<T.ListFunctionsRequest, T.ListFunctionsResponse> = (input, op) => {
    const max = input.MaxItems ?? 50
    if (max < 1 || max > 10_000) {
      throw lambdaErrors.validation([`Value '${max}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000`])
    }
    const fns = [...(ctx.state.regions.peek(op.caller.account, op.caller.region)?.functions.values() ?? [])]
      .sort((a, b) => a.name.localeCompare(b.name))
    const all = fns.flatMap((fn) => input.FunctionVersion === 'ALL'
      ? [toConfiguration(fn, fn.latest), ...[...fn.versions.values()].map((v) => toConfiguration(fn, v))]
      : [toConfiguration(fn, fn.latest)])
    const { items, next } = page(all, input.Marker, max)
    return { Functions: items, NextMarker: next }
  }

  const deleteFunction: Operation<T.DeleteFunctionRequest, T.DeleteFunctionResponse> = async (input, op) => {
    const { fn, qualifier } = ctx.state.resolve(input.FunctionName, input.Qualifier, op.caller.account, op.caller.region)
    if (qualifier === undefined) {
      ctx.state.region(fn.account, fn.region).functions.delete(fn.name)
      ctx.rows?.fnGone(fn)
      await Promise.all([fn.latest, ...fn.versions.values()].map((v) => ctx.runtime.dispose(poolKey(fn, v))))
      return { StatusCode: 204 }
    }
    if (qualifier === '$LATEST') {
      throw lambdaErrors.invalidParameter('$LATEST version cannot be deleted without deleting the function.')
    }
    const version = fn.versions.get(qualifier)
    if (version === undefined) throw lambdaErrors.functionNotFound(fn.qualifiedArn(qualifier))
    const alias = [...fn.aliases.values()].find((a) => a.functionVersion === qualifier ||
      Object.hasOwn(a.additionalVersionWeights ?? {}, qualifier))
    if (alias !== undefined) {
      throw lambdaErrors.conflict(`Unable to delete version because the following aliases reference it: [${alias.name}]`)
    }
    fn.versions.delete(qualifier)
    ctx.rows?.versionGone(fn, qualifier)
    await ctx.runtime.dispose(poolKey(fn, version))
    return { StatusCode: 204 }
  }

  return {
    CreateFunction: createFunction, GetFunction: getFunction, GetFunctionConfiguration: getFunctionConfiguration,
    ListFunctions: listFunctions, DeleteFunction: deleteFunction,
  }
}

export function requireVersion(fn: LambdaFunction, qualifier: string | undefined): FunctionVersion {
  const version = fn.version(qualifier)
  if (version === undefined) throw lambdaErrors.functionNotFound(qualifier === undefined ? fn.arn : fn.qualifiedArn(qualifier))
  return version
}
