// UpdateFunctionCode, UpdateFunctionConfiguration, PublishVersion, ListVersionsByFunction.
import type { Operation } from '../../service.ts'
import { applyConfig, resolveLayers, validateConfig } from '../configuration.ts'
import type { LambdaContext } from '../context.ts'
import { lambdaErrors } from '../errors.ts'
import { type LambdaFunction, toConfiguration } from '../function.ts'
import type * as T from '../generated/types.ts'
import { storeCode } from './code.ts'
import { page } from './pages.ts'
import { poolKey } from '../invoker.ts'

function checkRevision(fn: LambdaFunction, revisionId: string | undefined): void {
  if (revisionId !== undefined && revisionId !== fn.latest.revisionId) {
    throw lambdaErrors.preconditionFailed('The Revision Id provided does not match the latest Revision Id. ' +
      'Call the GetFunction/GetAlias API to retrieve the latest Revision Id')
  }
}

export function updateOperations(ctx: LambdaContext) {
  /** Replaces $LATEST; its warm environments run the old code, so they go. */
  const replaceLatest = (fn: LambdaFunction, next: LambdaFunction['latest']) => {
    const old = fn.latest
    fn.latest = next
    void ctx.runtime.dispose(poolKey(fn, old))
  }

  const updateFunctionCode: Operation<T.UpdateFunctionCodeRequest, T.FunctionConfiguration> = (input, op) => {
    const { fn } = ctx.state.resolve(input.FunctionName, undefined, op.caller.account, op.caller.region)
    checkRevision(fn, input.RevisionId)
    const code = storeCode(ctx, input)
    const now = ctx.clock.now()
    const next = { ...applyConfig(fn.latest, {}, undefined, now), code }
    if (input.DryRun === true) return toConfiguration(fn, next)
    replaceLatest(fn, next)
    const version = input.Publish === true ? fn.publish(undefined, now) : fn.latest
    if (version === fn.latest) ctx.rows?.fn(fn)
    else ctx.rows?.version(fn, version)
    // AWS answers an update as InProgress; Nimbus applies it at once, so reads after this say Successful.
    return toConfiguration(fn, version, { lastUpdateStatus: 'InProgress' })
  }

  const updateFunctionConfiguration: Operation<T.UpdateFunctionConfigurationRequest, T.FunctionConfiguration> = (input, op) => {
    const { fn } = ctx.state.resolve(input.FunctionName, undefined, op.caller.account, op.caller.region)
    checkRevision(fn, input.RevisionId)
    validateConfig(input, ctx.model)
    const layers = input.Layers === undefined ? undefined : resolveLayers(input.Layers, ctx.state)
    replaceLatest(fn, applyConfig(fn.latest, input, layers, ctx.clock.now()))
    ctx.rows?.fn(fn)
    return toConfiguration(fn, fn.latest, { lastUpdateStatus: 'InProgress' })
  }

  const publishVersion: Operation<T.PublishVersionRequest, T.FunctionConfiguration> = (input, op) => {
    const { fn } = ctx.state.resolve(input.FunctionName, undefined, op.caller.account, op.caller.region)
    checkRevision(fn, input.RevisionId)
    if (input.CodeSha256 !== undefined && input.CodeSha256 !== fn.latest.code.sha256) {
      throw lambdaErrors.invalidParameter(`CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST ` +
        `(${fn.latest.code.sha256}). Please try again with the CodeSHA256 in $LATEST.`)
    }
    const version = fn.publish(input.Description, ctx.clock.now())
    ctx.rows?.version(fn, version)
    return toConfiguration(fn, version)
  }

  const listVersionsByFunction: Operation<T.ListVersionsByFunctionRequest, T.ListVersionsByFunctionResponse> = (input, op) => {
    const { fn } = ctx.state.resolve(input.FunctionName, undefined, op.caller.account, op.caller.region)
    const all = [fn.latest, ...fn.versions.values()].map((v) => toConfiguration(fn, v))
    const { items, next } = page(all, input.Marker, input.MaxItems)
    return { Versions: items, NextMarker: next }
  }

  return {
    UpdateFunctionCode: updateFunctionCode, UpdateFunctionConfiguration: updateFunctionConfiguration,
    PublishVersion: publishVersion, ListVersionsByFunction: listVersionsByFunction,
  }
}
