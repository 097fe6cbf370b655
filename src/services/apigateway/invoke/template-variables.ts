// What a mapping template sees: `$input` (a payload and the method request's parameters), `$util`,
// `$context` (the request context, with requestOverride/responseOverride a template may set) and
// `$stageVariables`.
import { inputVariable, plainMap, type RequestParams, utilVariable, type Value, VtlError, type VtlMap } from '../vtl/index.ts'
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
  const context = plainMap(withoutNulls(requestContext(ctx)) as Record<string, unknown>)
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

function withoutNulls(v: unknown): unknown {
  if (v === null) return ''
  if (typeof v !== 'object' || Array.isArray(v)) return v
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, withoutNulls(x)]))
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
export function overrides(context: VtlMap, name: 'requestOverride' | 'responseOverride', kind: string): Record<string, string> {
  const group = context.get(name)
  const map = group instanceof Map ? group.get(kind) : undefined
  if (!(map instanceof Map)) return {}
  const out: Record<string, string> = {}
  for (const [k, v] of map) if (v !== null && typeof k === 'string') out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v)
  return out
}

/** `$context.responseOverride.status`, when a template set one. */
export function statusOverride(context: VtlMap): number | undefined {
  const group = context.get('responseOverride')
  const status = group instanceof Map ? group.get('status') : undefined
  const n = typeof status === 'number' ? status : typeof status === 'string' && /^\d{3}$/.test(status) ? Number(status) : undefined
  return n !== undefined && n >= 100 && n <= 599 ? n : undefined
}
