// The variables API Gateway gives every mapping template: `$input` (the payload and the method
// request's parameters), `$util` (AWS's six functions) and plain data (`$context`, `$stageVariables`)
// turned into template values.
import { jsonPath } from './json-path.ts'
import { fromJson, type HostObject, JavaDouble, toJson, type Value, type VtlMap, VtlError } from './values.ts'

/** The method request's parameters, as `$input.params()` lists them. */
export interface RequestParams {
  path: Record<string, string>
  querystring: Record<string, string>
  header: Record<string, string>
}

/** `$input`: `body`, `json(path)`, `path(path)`, `params()`, `params(name)`. */
export function inputVariable(body: string, params: RequestParams): HostObject {
  let parsed: Value | undefined
  // [R] An empty payload reads as `{}`; one that isn't JSON is the root `$` as a string.
  const root = (): Value => {
    if (parsed === undefined) {
      try {
        parsed = body.trim() === '' ? new Map() : fromJson(body)
      } catch {
        parsed = body
      }
    }
    return parsed
  }
  const select = (path: string): Value => {
    const r = root()
    return typeof r === 'string' ? (path.trim() === '$' ? r : null) : clone(jsonPath(r, path))
  }
  const all = (): VtlMap => new Map<string, Value>([
    ['path', plainMap(params.path)], ['querystring', plainMap(params.querystring)], ['header', plainMap(params.header)],
  ])
  return {
    host: true,
    property: (name) => (name === 'body' ? body : name === 'params' ? all() : undefined),
    call: (name, args) => {
      const [a] = args
      if (name === 'getBody' && args.length === 0) return body
      if (name === 'params' && args.length === 0) return all()
      if (args.length !== 1 || typeof a !== 'string') return undefined
      if (name === 'path') return select(a)
      if (name === 'json') return toJson(select(a))
      if (name === 'params') return param(params, a)
      return undefined
    },
    toString: () => body,
  }
}

/** Path, then query string, then header (a header's name in any case [R]); "" when none has it. */
function param(params: RequestParams, name: string): string {
  const found = params.path[name] ?? params.querystring[name] ?? params.header[name]
  if (found !== undefined) return found
  const lower = name.toLowerCase()
  return Object.entries(params.header).find(([k]) => k.toLowerCase() === lower)?.[1] ?? ''
}

/** Each call answers a fresh copy, so a template changing one answer doesn't change the next. */
function clone(v: Value): Value {
  if (Array.isArray(v)) return v.map(clone)
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, clone(x)]))
  return v
}

export function plainMap(record: Record<string, unknown>): VtlMap {
  return new Map(Object.entries(record).map(([k, v]) => [k, plainValue(v)]))
}

/** Plain data (the request context) as template values. */
export function plainValue(v: unknown): Value {
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'number') return Number.isInteger(v) ? v : new JavaDouble(v)
  if (Array.isArray(v)) return v.map(plainValue)
  if (typeof v === 'object') return plainMap(v as Record<string, unknown>)
  return String(v)
}

/** `$util`: only these six exist on AWS; any other name renders as written. */
export const utilVariable: HostObject = {
  host: true,
  property: () => undefined,
  call: (name, args) => {
    const [a] = args
    if (args.length !== 1 || typeof a !== 'string') return undefined
    switch (name) {
      case 'escapeJavaScript': return escapeJavaScript(a)
      case 'parseJson':
        try {
          return fromJson(a)
        } catch {
          throw new VtlError('$util.parseJson: invalid JSON')
        }
      case 'urlEncode': return urlEncode(a)
      case 'urlDecode': return urlDecode(a)
      case 'base64Encode': return Buffer.from(a, 'utf8').toString('base64')
      case 'base64Decode': return Buffer.from(a, 'base64').toString('utf8')
      default: return undefined
    }
  },
  toString: () => '$util',
}

const escapes: Record<string, string> = { '\b': '\\b', '\n': '\\n', '\t': '\\t', '\f': '\\f', '\r': '\\r', "'": "\\'", '"': '\\"', '\\': '\\\\', '/': '\\/' }

/** JavaScript string rules as Java's StringEscapeUtils apply them: quotes, `\`, `/`, control and non-ASCII characters as `\uXXXX`. */
export function escapeJavaScript(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    const code = s.charCodeAt(i)
    const named = escapes[c]
    if (named !== undefined) out += named
    else if (code < 0x20 || code > 0x7f) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
    else out += c
  }
  return out
}

/** Java's URLEncoder (UTF-8): letters, digits and `.-*_` stay, a space is `+`, the rest `%XX`. */
export function urlEncode(s: string): string {
  let out = ''
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte)
    if (/[a-zA-Z0-9.\-*_]/.test(c)) out += c
    else if (c === ' ') out += '+'
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** Java's URLDecoder: `+` is a space; a broken `%` escape throws (the template fails). */
export function urlDecode(s: string): string {
  const bytes: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (c === '+') bytes.push(0x20)
    else if (c === '%') {
      const hex = s.slice(i + 1, i + 3)
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new VtlError('URLDecoder: Illegal hex characters in escape (%) pattern')
      bytes.push(parseInt(hex, 16))
      i += 2
    } else bytes.push(...Buffer.from(c, 'utf8'))
  }
  return Buffer.from(bytes).toString('utf8')
}
