// UpdateUsagePlan's method-level throttling paths, as AWS's usage plan guide writes them:
// `/apiStages/{apiId}:{stage}/throttle/{resourcePath}/{httpMethod}/rateLimit|burstLimit` (replace),
// `…/throttle/{resourcePath}/{httpMethod}` and `…/throttle` (remove), and `…/throttle` replaced by a
// JSON map keyed `{resourcePath}/{httpMethod}` (the root's key is `//GET`).
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'

const stagePath = /^\/apiStages\/([^/:]+):([^/]+)\/throttle(\/.*)?$/

/** True when the patch named a method-level throttle path (and was applied to `apiStages`), false when it names another path. */
export function patchStageThrottle(apiStages: T.ApiStage[], patch: T.PatchOperation): boolean {
  const match = stagePath.exec((patch.path ?? '').trim())
  if (match === null) return false
  const [, apiId, stageName, rest = ''] = match
  const stage = apiStages.find((s) => s.apiId === apiId && s.stage === stageName)
  // [R] the wording: AWS refuses a stage the plan doesn't have.
  if (stage === undefined) throw apiGatewayErrors.badRequest(`Invalid API Stage {api: ${apiId}, stage: ${stageName}} specified for usageplan`)
  if (rest === '' || rest === '/') {
    if (patch.op === 'remove') stage.throttle = undefined
    else if (patch.op === 'replace' || patch.op === 'add') stage.throttle = throttleMap(patch.value)
    else throw invalidOp(patch)
    return true
  }
  const segments = rest.slice(1).split('/')
  const setting = segments.at(-1) === 'rateLimit' || segments.at(-1) === 'burstLimit' ? segments.pop() as 'rateLimit' | 'burstLimit' : undefined
  const method = segments.pop() ?? ''
  if (method === '') throw invalidOp(patch)
  const key = `${resourcePath(segments.join('/'))}/${method.toUpperCase()}`
  if (setting === undefined) {
    if (patch.op !== 'remove') throw invalidOp(patch)
    const { [key]: _removed, ...others } = stage.throttle ?? {}
    stage.throttle = Object.keys(others).length === 0 ? undefined : others
    return true
  }
  if (patch.op !== 'replace' && patch.op !== 'add') throw invalidOp(patch)
  const value = Number(patch.value)
  if (patch.value === undefined || patch.value.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw apiGatewayErrors.badRequest(`Invalid ${setting} value: ${patch.value ?? ''}`)
  }
  stage.throttle = { ...stage.throttle, [key]: { ...stage.throttle?.[key], [setting]: setting === 'burstLimit' ? Math.trunc(value) : value } }
  return true
}

/** The resource path as the path spells it (`~1pets` or `/pets`; empty or `~1` for the root) → the map key's `/pets` or `/`. */
function resourcePath(raw: string): string {
  const decoded = raw.replaceAll('~1', '/').replaceAll('~0', '~')
  return decoded.startsWith('/') ? decoded : `/${decoded}`
}

/** `…/throttle`'s value: the whole map as JSON (a JSON string holding it is read too, as the CLI's quoting may leave it). */
function throttleMap(value: string | undefined): Record<string, T.ThrottleSettings> | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(value ?? '')
    if (typeof parsed === 'string') parsed = JSON.parse(parsed)
  } catch {
    throw apiGatewayErrors.badRequest(`Invalid throttle value: ${value ?? ''}`)
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw apiGatewayErrors.badRequest(`Invalid throttle value: ${value ?? ''}`)
  const map: Record<string, T.ThrottleSettings> = {}
  for (const [key, settings] of Object.entries(parsed as Record<string, { rateLimit?: unknown; burstLimit?: unknown }>)) {
    map[key] = {
      ...(typeof settings?.rateLimit === 'number' && { rateLimit: settings.rateLimit }),
      ...(typeof settings?.burstLimit === 'number' && { burstLimit: Math.trunc(settings.burstLimit) }),
    }
  }
  return Object.keys(map).length === 0 ? undefined : map
}

function invalidOp(patch: T.PatchOperation): Error {
  return apiGatewayErrors.badRequest(`Invalid patch operation specified. Must be one of: [add, remove, replace] for path ${patch.path ?? ''}`)
}
