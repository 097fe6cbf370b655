// What a mapping template sees: `$input` (a payload and the method request's parameters), `$util`,
// `$context` (the request context, with requestOverride/responseOverride a template may set) and
// `$stageVariables`.
import { inputVariable, plainMap, plainValue, type RequestParams, utilVariable, type Value, VtlError, type VtlMap } from '../vtl/index.ts'
import { type InvokeContext, requestContext } from './request-context.ts'

/** The request's parameters: path parameters, the query string (a repeated key's last value), headers as sent. */
export function methodParams(ctx: InvokeContext): RequestParams {
  const querystring: Record<string, string> = {}
  for (const [k, v] of ctx.request.query) querystring[k] = v
  const header: Record<string, string> = {}
  const raw = ctx.request.rawHeaders
  if (raw !== undefined) for (let i = 0; i + 1 < raw.length; i += 2) header[raw[i]!] = raw[i + 1]!
  else Object.assign(header, ctx.request.headers)
  return { path: { ...ctx.route.pathParameters }, querystring, header }
}

/** `$context` for one request: shared by its request and response templates, so overrides carry over. */
export function contextVariable(ctx: InvokeContext): VtlMap {
  // [R] A context member without a value (identity.caller without IAM) is written as an empty string.
  const context = contextMap(requestContext(ctx))
  const requestOverride = new FinalMap()
  for (const kind of ['header', 'querystring', 'path']) requestOverride.set(kind, new FinalMap())
  const responseOverride = new FinalMap()
  responseOverride.set('header', new FinalMap())
  context.set('requestOverride', requestOverride)
  context.set('responseOverride', responseOverride)
  return context
}

/**
 * An override map: "Overrides are final. An override may only be applied to each parameter once.
 * Trying to override the same parameter multiple times will result in 5XX responses" (AWS's override
 * guide) — a second `#set` of one fails the template (500).
 */
class FinalMap extends Map<string, Value> {
  override set(key: string, value: Value): this {
    if (this.has(key)) throw new VtlError(`$context override ${key} set more than once (overrides are final)`)
    return super.set(key, value)
  }
}

/** The request context as template values in one walk, null members as empty strings (plainValue otherwise). */
function contextMap(record: Record<string, unknown>): VtlMap {
  const map: VtlMap = new Map()
  for (const key in record) {
    const v = record[key]
    map.set(key, v === null ? '' : typeof v === 'object' && !Array.isArray(v) ? contextMap(v as Record<string, unknown>) : plainValue(v))
  }
  return map
}

/**
 * What a request's templates share, each part built on first use: a template that is all text reads
 * none, and a request whose templates set no override builds no `$context` at all.
 */
export class TemplateScope {
  private readonly ctx: InvokeContext
  private contextMap: VtlMap | undefined
  private paramsMap: RequestParams | undefined

  constructor(ctx: InvokeContext) {
    this.ctx = ctx
  }

  get context(): VtlMap {
    return this.contextMap ??= contextVariable(this.ctx)
  }

  /** `$context` when a template has read it (its overrides are then to be applied), else undefined. */
  get contextIfBuilt(): VtlMap | undefined {
    return this.contextMap
  }

  get params(): RequestParams {
    return this.paramsMap ??= methodParams(this.ctx)
  }

  /** The variables of a template given `payload` as `$input`. */
  variables(payload: string): () => Map<string, Value> {
    return () => templateVariables(this.ctx, this.context, payload, this.params)
  }
}

export function templateVariables(ctx: InvokeContext, context: VtlMap, payload: string, params: RequestParams): Map<string, Value> {
  return new Map<string, Value>([
    ['input', inputVariable(payload, params)],
    ['util', utilVariable],
    ['context', context],
    ['stageVariables', plainMap(ctx.stage.variables)],
  ])
}

/** A string-valued override map the templates filled (`$context.requestOverride.header.X`). */
export function overrides(context: VtlMap | undefined, name: 'requestOverride' | 'responseOverride', kind: string): Record<string, string> {
  const group = context?.get(name)
  const map = group instanceof Map ? group.get(kind) : undefined
  if (!(map instanceof Map)) return {}
  const out: Record<string, string> = {}
  for (const [k, v] of map) if (v !== null && typeof k === 'string') out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v)
  return out
}

/** `$context.responseOverride.status`, when a template set one. */
export function statusOverride(context: VtlMap | undefined): number | undefined {
  const group = context?.get('responseOverride')
  const status = group instanceof Map ? group.get('status') : undefined
  const n = typeof status === 'number' ? status : typeof status === 'string' && /^\d{3}$/.test(status) ? Number(status) : undefined
  return n !== undefined && n >= 100 && n <= 599 ? n : undefined
}
