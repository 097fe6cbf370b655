// UpdateStage: a stage's description, variables, deployment, cache and tracing flags, access log settings, and its
// method settings — `/*/*/…` for every method, `/{resource path with / as ~1}/{METHOD}/…` for one
// (e.g. `/~1pets/GET/throttling/rateLimit`) — and its canary (canary/canary-patch.ts). Throttling settings are enforced at request time.
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { ApiGatewayState, StageData } from '../store.ts'
import { invalidPatch as invalidPatchFor, type PatchKind, readPatchValue } from './patch.ts'
import { stageView } from './views.ts'
import { checkedCacheSize, resizeCache } from './cache-operations.ts'
import { applyCanaryPatch } from '../canary/canary-patch.ts'
import { accessLogDestinationProblem, firehosePrefixMessage } from '../../api-gateway-access-log-sink.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/**
 * [R] The members a method setting shows once it exists: AWS's defaults (the account's throttle, a 300 s cache TTL).
 * `loggingLevel` only once set: the CLI reference's update-stage examples (AWS's output) show a new setting without it.
 */
const defaults: T.MethodSetting = {
  metricsEnabled: false, dataTraceEnabled: false, throttlingBurstLimit: 5000, throttlingRateLimit: 10000,
  cachingEnabled: false, cacheTtlInSeconds: 300, cacheDataEncrypted: false, requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
}

type Kind = PatchKind
/** The setting paths after `/{resource}/{METHOD}/`, the member each sets and how its value reads. */
const settingPaths: Record<string, [keyof T.MethodSetting, Kind]> = {
  'metrics/enabled': ['metricsEnabled', 'boolean'],
  'logging/loglevel': ['loggingLevel', 'string'],
  'logging/dataTrace': ['dataTraceEnabled', 'boolean'],
  'throttling/burstLimit': ['throttlingBurstLimit', 'number'],
  'throttling/rateLimit': ['throttlingRateLimit', 'number'],
  'caching/enabled': ['cachingEnabled', 'boolean'],
  'caching/ttlInSeconds': ['cacheTtlInSeconds', 'number'],
  'caching/dataEncrypted': ['cacheDataEncrypted', 'boolean'],
  'caching/requireAuthorizationForCacheControl': ['requireAuthorizationForCacheControl', 'boolean'],
  'caching/unauthorizedCacheControlHeaderStrategy': ['unauthorizedCacheControlHeaderStrategy', 'string'],
}

function read(value: string | undefined, kind: Kind, path: string): boolean | number | string {
  const read = readPatchValue(value, kind, path)
  // AWS's cache TTL is at most 3,600 seconds [R: the message].
  if (path.endsWith('/caching/ttlInSeconds') && (read as number) > 3600) throw apiGatewayErrors.badRequest('TTL must be between 0 and 3600 seconds')
  return read
}

/** What a patch may name besides the stage: a deployment, a client certificate, a documentation version. */
interface Known {
  deployment: (id: string) => boolean
  certificate: (id: string) => boolean
  documentationVersion: (version: string) => boolean
}

function applyPatch(stage: StageData, patch: T.PatchOperation, known: Known): void {
  const hasDeployment = known.deployment
  const path = patch.path ?? ''
  const op = patch.op
  const invalidPatch = (p: string) => invalidPatchFor(p, op)
  const simple: Record<string, () => void> = {
    '/description': () => { stage.description = patch.value },
    '/deploymentId': () => {
      if (!hasDeployment(patch.value ?? '')) throw apiGatewayErrors.deploymentNotFound()
      stage.deploymentId = patch.value ?? ''
    },
    '/cacheClusterEnabled': () => { stage.cacheClusterEnabled = read(patch.value, 'boolean', path) as boolean },
    '/cacheClusterSize': () => { stage.cacheClusterSize = checkedCacheSize(patch.value) },
    '/tracingEnabled': () => { stage.tracingEnabled = read(patch.value, 'boolean', path) as boolean },
    // [R] AWS's answers for a certificate or documentation version the account doesn't have.
    '/clientCertificateId': () => {
      if (patch.value !== undefined && patch.value !== '' && !known.certificate(patch.value)) throw apiGatewayErrors.notFound('Invalid Client Certificate identifier specified')
      stage.clientCertificateId = patch.value === '' ? undefined : patch.value
    },
    '/documentationVersion': () => {
      if (patch.value !== undefined && patch.value !== '' && !known.documentationVersion(patch.value)) throw apiGatewayErrors.notFound('Invalid Documentation version identifier specified')
      stage.documentationVersion = patch.value === '' ? undefined : patch.value
    },
  }
  if (op === 'replace' && simple[path] !== undefined) return simple[path]()
  if (applyCanaryPatch(stage, patch, hasDeployment)) return
  if (path === '/accessLogSettings' && op === 'remove') {
    delete stage.accessLogSettings
    return
  }
  const access = /^\/accessLogSettings\/(destinationArn|format)$/.exec(path)?.[1] as 'destinationArn' | 'format' | undefined
  if (access !== undefined) {
    if (op !== 'replace' && op !== 'add') throw invalidPatch(path)
    // [R] AWS's wording for a destination that is no CloudWatch Logs group or Firehose stream ARN (whose name needs AWS's prefix).
    const problem = access === 'destinationArn' ? accessLogDestinationProblem(patch.value ?? '') : undefined
    if (problem !== undefined) throw apiGatewayErrors.badRequest(problem === 'prefix' ? firehosePrefixMessage : 'Invalid ARN specified in the request')
    // [R] AWS's rule and wording: the format must let a line be traced to its request.
    if (access === 'format' && !/\$\{?context\.(requestId|extendedRequestId)\b/.test(patch.value ?? '')) {
      throw apiGatewayErrors.badRequest('Access Log format must contain at least one of $context.requestId or $context.extendedRequestId')
    }
    ;(stage.accessLogSettings ??= {})[access] = patch.value
    return
  }
  const variable = /^\/variables\/(.+)$/.exec(path)?.[1]
  if (variable !== undefined) {
    if (op === 'remove') delete stage.variables[variable]
    else if (op === 'replace' || op === 'add') stage.variables[variable] = patch.value ?? ''
    else throw invalidPatch(path)
    return
  }
  // `/{resource}/{METHOD}` (remove the whole setting) or `/{resource}/{METHOD}/{group}/{name}`.
  const parts = /^\/([^/]+)\/([^/]+)(?:\/(.+))?$/.exec(path)
  if (parts === null) throw invalidPatch(path)
  const [, resource, method, setting] = parts as unknown as [string, string, string, string | undefined]
  // Some tools escape a path variable's braces (`~1pets~1\{id\}`): the key holds them plain.
  const key = `${resource.replace(/\\([{}])/g, '$1')}/${method}`
  const settings = (stage.methodSettings ??= {})
  if (setting === undefined) {
    if (op !== 'remove') throw invalidPatch(path)
    delete settings[key]
    return
  }
  const target = settingPaths[setting]
  if (target === undefined || (op !== 'replace' && op !== 'add')) throw invalidPatch(path)
  const [member, kind] = target
  // A method's own setting starts from the stage's `*/*` one [R].
  const entry = (settings[key] ??= { ...defaults, ...settings['*/*'] })
  ;(entry as Record<string, unknown>)[member] = read(patch.value, kind, path)
}

/** `certificate`: whether the caller has that client certificate (account-resources/). */
export function stageSettingsOperations(state: ApiGatewayState, certificate: (id: string, ctx: OperationContext) => boolean = () => false) {
  const updateStage: Op<T.UpdateStageRequest, T.Stage> = (input, ctx) => {
    const rest = state.api(ctx.caller.account, ctx.caller.region, input.restApiId)
    const current = state.stage(rest, input.stageName)
    // All or nothing: the patches apply to a copy that replaces the stage only if every one is valid.
    const stage = structuredClone(current)
    const known: Known = {
      deployment: (id) => rest.deployments[id] !== undefined, certificate: (id) => certificate(id, ctx),
      documentationVersion: (version) => rest.documentationVersions?.[version] !== undefined,
    }
    for (const patch of input.patchOperations ?? []) applyPatch(stage, patch, known)
    stage.lastUpdatedDate = state.clock.now()
    resizeCache(state, rest.id, current, stage)
    rest.stages[input.stageName] = stage
    state.save(rest)
    return stageView(stage, state.clock.now())
  }
  return { UpdateStage: updateStage }
}
