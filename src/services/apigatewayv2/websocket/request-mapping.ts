// WebSocket APIs' integration request parameters, as AWS's "Set up data mapping for WebSocket APIs"
// describes them: `integration.request.{header,querystring,path}.X` from `route.request.header.Y`,
// `.querystring.Y`, `.multivalueheader.Y`, `.multivaluequerystring.Y` (the handshake's: `$connect` only),
// `route.request.body.{JSONPath}`, `context.Y`, `stageVariables.Y` or a static `'value'`; and the
// route's required request parameters, checked on `$connect`.
import { apiGatewayV2Errors } from '../errors.ts'
import { rawHeaderValues } from '../invoke/request-header.ts'

/** The handshake a `$connect` route request carries (later messages carry none). */
export interface Handshake {
  /** Header names as sent, each value on its own, alternating. */
  rawHeaders: readonly string[]
  query: URLSearchParams
}

/** What a mapping expression reads from. */
export interface MappingSource {
  body: string
  context: Record<string, unknown>
  stageVariables: Record<string, string>
  handshake?: Handshake
}

export interface MappedParameters {
  header: Record<string, string>
  querystring: Record<string, string>
  path: Record<string, string>
}

const targetPattern = /^integration\.request\.(header|querystring|path)\.([a-zA-Z0-9._$-]+)$/
const sourcePattern = /^(?:route\.request\.(?:header|querystring|multivalueheader|multivaluequerystring)\.[a-zA-Z0-9._$-]+|route\.request\.body\..+|context\.[\w.]+|stageVariables\.[\w.-]+|'.*')$/s

/** CreateIntegration/UpdateIntegration on a WebSocket API: each key and expression of AWS's table [R: the messages]. */
export function checkWebSocketRequestParameters(parameters: Record<string, string> | undefined): void {
  for (const [target, source] of Object.entries(parameters ?? {})) {
    if (!targetPattern.test(target)) throw apiGatewayV2Errors.badRequest(`Invalid mapping expression specified: ${target}`)
    if (!sourcePattern.test(source)) throw apiGatewayV2Errors.badRequest(`Invalid mapping expression specified: ${source}`)
  }
}

function handshakeValues(handshake: Handshake | undefined, kind: string, name: string): string[] {
  if (handshake === undefined) return []
  if (kind.endsWith('querystring')) return handshake.query.getAll(name)
  return rawHeaderValues(handshake.rawHeaders, name)
}

/** The body as JSON (undefined: it isn't), parsed once however many parameters read it. */
function parsedBody(body: string): () => unknown {
  let parsed: { value: unknown } | undefined
  return () => {
    if (parsed === undefined) {
      try {
        parsed = { value: JSON.parse(body) }
      } catch {
        parsed = { value: undefined }
      }
    }
    return parsed.value
  }
}

/** `route.request.body.a.b` (or `.$.a.b`): a string as it is, anything else as JSON; undefined when the body isn't JSON or lacks it. */
function bodyValue(json: () => unknown, path: string): string | undefined {
  let current = json()
  if (current === undefined) return undefined
  const parts = path.replace(/^\$\.?/, '').split('.').filter((p) => p !== '')
  for (const part of parts) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[part]
  }
  if (current === undefined) return undefined
  return typeof current === 'string' ? current : JSON.stringify(current)
}

function pathValue(root: Record<string, unknown>, path: string): string | undefined {
  let current: unknown = root
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current === undefined || current === null ? undefined : typeof current === 'object' ? JSON.stringify(current) : String(current)
}

/** One expression's value; undefined when its source has none (the parameter is then not sent, as on AWS [R]). */
function mappingValue(expression: string, source: MappingSource, json: () => unknown): string | undefined {
  const literal = /^'(.*)'$/s.exec(expression)?.[1]
  if (literal !== undefined) return literal
  const route = /^route\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.(.+)$/.exec(expression)
  if (route !== null) {
    const values = handshakeValues(source.handshake, route[1]!, route[2]!)
    if (values.length === 0) return undefined
    // A single-value source takes the last value [R: as REST APIs' method.request.querystring], a multi-value one all, comma-joined.
    return route[1]!.startsWith('multivalue') ? values.join(',') : values.at(-1)
  }
  const body = /^route\.request\.body\.(.+)$/s.exec(expression)?.[1]
  if (body !== undefined) return bodyValue(json, body)
  const context = /^context\.(.+)$/.exec(expression)?.[1]
  if (context !== undefined) return pathValue(source.context, context)
  const variable = /^stageVariables\.(.+)$/.exec(expression)?.[1]
  if (variable !== undefined) return source.stageVariables[variable]
  return undefined
}

/** The integration's request parameters evaluated against the route request. */
export function mapRequestParameters(parameters: Record<string, string> | undefined, source: MappingSource): MappedParameters {
  const mapped: MappedParameters = { header: {}, querystring: {}, path: {} }
  const json = parsedBody(source.body)
  for (const [target, expression] of Object.entries(parameters ?? {})) {
    const m = targetPattern.exec(target)
    if (m === null) continue
    const value = mappingValue(expression, source, json)
    if (value !== undefined) mapped[m[1] as keyof MappedParameters][m[2]!] = value
  }
  return mapped
}

/**
 * The route's required request parameters (`route.request.header.X` / `.querystring.X`, `Required: true`)
 * missing or empty in the handshake, by name, in the route's order.
 */
export function missingRouteParameters(parameters: Record<string, { required: boolean }> | undefined, handshake: Handshake): string[] {
  const missing: string[] = []
  for (const [key, { required }] of Object.entries(parameters ?? {})) {
    if (!required) continue
    const m = /^route\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.(.+)$/.exec(key)
    if (m === null) continue
    if (!handshakeValues(handshake, m[1]!, m[2]!).some((v) => v.trim() !== '')) missing.push(m[2]!)
  }
  return missing
}

/** The URI with `{name}` path parameters filled (percent-encoded), and the mapped query string appended. */
export function withMappedUrl(uri: string, mapped: MappedParameters): string {
  let url = uri.replace(/\{([^}]+)\}/g, (whole, name: string) => (mapped.path[name] === undefined ? whole : encodeURIComponent(mapped.path[name])))
  const query = new URLSearchParams(mapped.querystring).toString()
  if (query !== '') url += (url.includes('?') ? '&' : '?') + query
  return url
}
