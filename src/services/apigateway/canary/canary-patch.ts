// UpdateStage's canary paths: `/canarySettings/{percentTraffic,deploymentId,useStageCache}`,
// `/canarySettings/stageVariableOverrides/{name}`, `remove /canarySettings` (the canary ends), and the
// promotion AWS documents — `copy` from `/canarySettings/deploymentId` to `/deploymentId` and from
// `/canarySettings/stageVariableOverrides` to `/variables`, then percentTraffic 0.0.
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { StageData } from '../api-data.ts'
import { invalidPatch, readPatchValue, unescapeKey } from '../operations/patch.ts'
import { checkedPercent } from './canary.ts'

/** True when the patch was a canary one (applied); false leaves it to the other stage paths. Throws AWS's refusals. */
export function applyCanaryPatch(stage: StageData, patch: T.PatchOperation, hasDeployment: (id: string) => boolean): boolean {
  const path = patch.path ?? ''
  const op = patch.op
  if (op === 'copy') return promote(stage, patch, hasDeployment)
  if (path !== '/canarySettings' && !path.startsWith('/canarySettings/')) return false
  if (path === '/canarySettings') {
    if (op !== 'remove') throw invalidPatch(path, op)
    delete stage.canarySettings
    return true
  }
  // A stage without a canary gets one on its first canary setting, on its own deployment until told otherwise [R].
  const canary = (stage.canarySettings ??= { percentTraffic: 0, deploymentId: stage.deploymentId, useStageCache: false })
  const override = /^\/canarySettings\/stageVariableOverrides\/(.+)$/.exec(path)?.[1]
  if (override !== undefined) {
    const name = unescapeKey(override)
    if (op === 'remove') {
      if (canary.stageVariableOverrides !== undefined) delete canary.stageVariableOverrides[name]
    } else if (op === 'add' || op === 'replace') (canary.stageVariableOverrides ??= {})[name] = patch.value ?? ''
    else throw invalidPatch(path, op)
    return true
  }
  if (op !== 'replace' && op !== 'add') throw invalidPatch(path, op)
  switch (path) {
    case '/canarySettings/percentTraffic': {
      const value = patch.value
      if (value === undefined || value === '' || !Number.isFinite(Number(value))) throw apiGatewayErrors.badRequest(`Invalid value for ${path}: ${value ?? 'null'}`)
      canary.percentTraffic = checkedPercent(Number(value))
      return true
    }
    case '/canarySettings/deploymentId':
      if (!hasDeployment(patch.value ?? '')) throw apiGatewayErrors.deploymentNotFound()
      canary.deploymentId = patch.value
      return true
    case '/canarySettings/useStageCache':
      canary.useStageCache = readPatchValue(patch.value, 'boolean', path) as boolean
      return true
    default:
      throw invalidPatch(path, op)
  }
}

/** The promotion's copies: the canary's deployment becomes the stage's, its overrides join the stage's variables. */
function promote(stage: StageData, patch: T.PatchOperation, hasDeployment: (id: string) => boolean): boolean {
  const from = patch.from ?? ''
  const path = patch.path ?? ''
  const canary = stage.canarySettings
  if (from === '/canarySettings/deploymentId' && path === '/deploymentId') {
    const id = canary?.deploymentId
    if (id === undefined || !hasDeployment(id)) throw invalidPatch(from, 'copy')
    stage.deploymentId = id
    return true
  }
  if (from === '/canarySettings/stageVariableOverrides' && path === '/variables') {
    if (canary === undefined) throw invalidPatch(from, 'copy')
    stage.variables = { ...stage.variables, ...canary.stageVariableOverrides }
    return true
  }
  throw invalidPatch(path, 'copy')
}
