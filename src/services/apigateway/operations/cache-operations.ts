// The stage cache's control plane: the cluster settings CreateStage and UpdateStage take
// (`cacheClusterEnabled`, `cacheClusterSize`), FlushStageCache and FlushStageAuthorizersCache.
import type { OperationContext } from '../../service.ts'
import { stageCacheId } from '../cache/stage-cache.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { ApiGatewayState, StageData } from '../store.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** The sizes (GB) AWS offers; 0.5 when caching is enabled without one [R]. */
const sizes = new Set<string>(['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'])

/** [R] AWS's refusal of a size it doesn't offer. */
export function checkedCacheSize(size: string | undefined): string | undefined {
  if (size !== undefined && !sizes.has(size)) throw apiGatewayErrors.badRequest(`Invalid cache cluster size specified: ${size}`)
  return size
}

/** A new stage's cache members: an enabled cluster starts provisioning now. */
export function cacheCluster(enabled: boolean, size: string | undefined, now: number): Pick<StageData, 'cacheClusterEnabled' | 'cacheClusterSize' | 'cacheClusterSince'> {
  checkedCacheSize(size)
  return enabled ? { cacheClusterEnabled: true, cacheClusterSize: size ?? '0.5', cacheClusterSince: now } : { cacheClusterEnabled: false, cacheClusterSize: size }
}

/**
 * After UpdateStage: enabling the cluster provisions it; a new size replaces the instance (AWS deletes
 * it and creates one of the new size, so its data is gone); disabling it drops the data.
 */
export function resizeCache(state: ApiGatewayState, apiId: string, before: StageData, after: StageData): void {
  checkedCacheSize(after.cacheClusterSize)
  if (after.cacheClusterEnabled) after.cacheClusterSize ??= '0.5'
  const changed = before.cacheClusterEnabled !== after.cacheClusterEnabled || before.cacheClusterSize !== after.cacheClusterSize
  if (!changed) return
  state.stageCache.flush(stageCacheId(apiId, after.stageName))
  if (after.cacheClusterEnabled) after.cacheClusterSince = state.clock.now()
  else delete after.cacheClusterSince
}

export function cacheOperations(state: ApiGatewayState) {
  const stage = (restApiId: string, stageName: string, ctx: OperationContext) =>
    state.stage(state.api(ctx.caller.account, ctx.caller.region, restApiId), stageName)

  /** DELETE /restapis/{id}/stages/{stage}/cache/data → 202: every entry of the stage's cache goes. */
  const flushStageCache: Op<T.FlushStageCacheRequest, void> = (input, ctx) => {
    stage(input.restApiId, input.stageName, ctx)
    state.stageCache.flush(stageCacheId(input.restApiId, input.stageName))
  }

  /** DELETE /restapis/{id}/stages/{stage}/cache/authorizers → 202: the stage's cached Lambda authorizer results go. */
  const flushStageAuthorizersCache: Op<T.FlushStageAuthorizersCacheRequest, void> = (input, ctx) => {
    stage(input.restApiId, input.stageName, ctx)
    const prefix = `${input.restApiId}\u0000${input.stageName}\u0000`
    for (const key of [...state.authorizerCache.keys()]) if (key.startsWith(prefix)) state.authorizerCache.delete(key)
  }

  return { FlushStageCache: flushStageCache, FlushStageAuthorizersCache: flushStageAuthorizersCache }
}
