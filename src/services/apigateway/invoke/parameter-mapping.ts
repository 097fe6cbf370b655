// Request and response parameter mappings: `integration.request.{header|querystring|path}.X` from
// `method.request.*`, and `method.response.header.X` from `integration.response.*` — or a static
// `'value'`, `context.*`, `stageVariables.*`, a body or a JSONPath into it. A source without a value maps nothing.
import { jsonPathOf } from '../vtl/index.ts'
import type { RequestParams } from '../vtl/index.ts'
import type { InvokeContext } from './request-context.ts'
import { requestContext } from './request-context.ts'

export interface MappedParams {
  header: Record<string, string>
  querystring: Record<string, string>
  path: Record<string, string>
}

function lookup(record: Record<string, string>, name: string, caseless: boolean): string | undefined {
  if (Object.hasOwn(record, name)) return record[name]
  if (!caseless) return undefined
  const lower = name.toLowerCase()
  return Object.entries(record).find(([k]) => k.toLowerCase() === lower)?.[1]
}

/** Sources both directions share: a static value, the request context, a stage variable. */
function common(source: string, ctx: InvokeContext): string | undefined {
  if (source.length >= 2 && source.startsWith("'") && source.endsWith("'")) return source.slice(1, -1)
  if (source.startsWith('stageVariables.')) return ctx.stage.variables[source.slice('stageVariables.'.length)]
  if (source.startsWith('context.')) {
    const value = source.slice('context.'.length).split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | null)?.[k], requestContext(ctx))
    return value === undefined || value === null || typeof value === 'object' ? undefined : String(value)
  }
  return undefined
}

function fromBody(body: string, expression: string | undefined): string | undefined {
  if (expression === undefined) return body
  try {
    const value = jsonPathOf(body, `$.${expression}`)
    return value === undefined ? undefined : value
  } catch {
    return undefined
  }
}

export function mapRequestParameters(mappings: Record<string, string> | undefined, ctx: InvokeContext, params: RequestParams): MappedParams {
  const out: MappedParams = { header: {}, querystring: {}, path: {} }
  for (const [target, source] of Object.entries(mappings ?? {})) {
    const m = /^integration\.request\.(header|querystring|path)\.(.+)$/.exec(target)
    if (m === null) continue
    const value = requestSource(source, ctx, params)
    if (value !== undefined) out[m[1] as keyof MappedParams][m[2]!] = value
  }
  return out
}

function requestSource(source: string, ctx: InvokeContext, params: RequestParams): string | undefined {
  const m = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(source)
  if (m !== null) {
    const [, kind, name] = m as unknown as [string, string, string]
    if (kind === 'multivaluequerystring') return ctx.request.query.has(name) ? ctx.request.query.getAll(name).join(',') : undefined
    if (kind === 'multivalueheader' || kind === 'header') return lookup(params.header, name, true)
    return lookup(kind === 'path' ? params.path : params.querystring, name, false)
  }
  const body = /^method\.request\.body(?:\.(.+))?$/.exec(source)
  if (body !== null) return fromBody(ctx.request.body.toString('utf8'), body[1])
  return common(source, ctx)
}

/** `method.response.header.X` → value, for the integration response's headers and body. */
export function mapResponseParameters(mappings: Record<string, string> | undefined, ctx: InvokeContext,
  integration: { headers: Record<string, string>; body: string }): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [target, source] of Object.entries(mappings ?? {})) {
    const m = /^method\.response\.header\.(.+)$/.exec(target)
    if (m === null) continue
    const header = /^integration\.response\.(?:multivalue)?header\.(.+)$/.exec(source)
    const body = /^integration\.response\.body(?:\.(.+))?$/.exec(source)
    const value = header !== null ? lookup(integration.headers, header[1]!, true)
      : body !== null ? fromBody(integration.body, body[1]) : common(source, ctx)
    if (value !== undefined) out[m[1]!] = value
  }
  return out
}
