// REST HTTP bindings: members carried in URI labels, the query string, headers, header maps
// (`x-amz-meta-*`) and the status code, read into and written from model values.
import type { AwsError } from './errors.ts'
import type { HttpRequest } from './http.ts'
import type { MemberRef, OperationModel, ServiceModel, ShapeModel, TimestampFormat } from './model.ts'
import { formatTimestamp, parseTimestamp } from './timestamps.ts'

/** Builds the protocol's error for a value that doesn't fit its member's type. */
export type InvalidValue = (detail: string) => AwsError

/** Reads every bound member of an input shape; body members are the protocol's business. */
export function readHttpBindings(model: ServiceModel, operation: OperationModel, request: HttpRequest,
  labels: Record<string, string>, invalid: InvalidValue): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (operation.input === undefined) return out
  const members = Object.entries(model.shape(operation.input).members ?? {})
  const claimed = claimedQueryKeys(operation, members)
  for (const [name, member] of members) {
    const key = member.locationName ?? name
    const shape = model.shape(member.shape)
    const read = (raw: string, defaultFormat: TimestampFormat) => fromString(shape, member, raw, defaultFormat, name, invalid)
    const readItem = (raw: string, defaultFormat: TimestampFormat) =>
      fromString(model.shape(shape.member!.shape), shape.member!, raw, defaultFormat, name, invalid)
    let value: unknown
    switch (member.location) {
      case 'uri': {
        const raw = labels[key]
        if (raw !== undefined) value = read(decodeLabel(raw, name, invalid), 'iso8601')
        break
      }
      case 'querystring':
        value = readQuery(model, shape, key, request.query, claimed, shape.type === 'list' ? readItem : read)
        break
      case 'header': {
        const raw = request.headers[key.toLowerCase()]
        if (raw === undefined) break
        value = shape.type === 'list'
          ? splitHeader(raw).map((item) => readItem(item, 'rfc822'))
          : read(raw, 'rfc822')
        break
      }
      case 'headers':
        value = readHeaderMap(request.headers, key.toLowerCase())
        break
    }
    if (value !== undefined) out[name] = value
  }
  return out
}

/** Query keys a querystring map must not swallow: other members' keys and the template's literals. */
function claimedQueryKeys(operation: OperationModel, members: Array<[string, MemberRef]>): Set<string> {
  const keys = new Set<string>()
  for (const [name, member] of members) {
    if (member.location === 'querystring') keys.add(member.locationName ?? name)
  }
  const q = operation.http.requestUri.indexOf('?')
  if (q !== -1) for (const key of new URLSearchParams(operation.http.requestUri.slice(q + 1)).keys()) keys.add(key)
  return keys
}

function readQuery(model: ServiceModel, shape: ShapeModel, key: string, query: URLSearchParams, claimed: Set<string>,
  read: (raw: string, format: TimestampFormat) => unknown): unknown {
  if (shape.type === 'list') {
    // Lists go as repeated keys: `?id=a&id=b`.
    const items = query.getAll(key)
    return items.length === 0 ? undefined : items.map((item) => read(item, 'iso8601'))
  }
  if (shape.type === 'map') {
    // A querystring map takes every parameter no other member binds (API Gateway-style services).
    const out: Record<string, unknown> = {}
    const listValues = model.shape(shape.value!.shape).type === 'list'
    for (const name of new Set(query.keys())) {
      if (!claimed.has(name)) out[name] = listValues ? query.getAll(name) : query.get(name)
    }
    return Object.keys(out).length === 0 ? undefined : out
  }
  const raw = query.get(key)
  return raw === null ? undefined : read(raw, 'iso8601')
}

function readHeaderMap(headers: Readonly<Record<string, string>>, prefix: string): Record<string, string> | undefined {
  const out: Record<string, string> = {}
  let found = false
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(prefix)) continue
    out[name.slice(prefix.length)] = value
    found = true
  }
  return found ? out : undefined
}

function decodeLabel(raw: string, name: string, invalid: InvalidValue): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    throw invalid(`The URI label ${name} is not valid percent-encoding.`)
  }
}

/** Splits a list header on commas outside double quotes, unquoting quoted items (as SDKs send them). */
export function splitHeader(raw: string): string[] {
  const items: string[] = []
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*?))\s*(?:,|$)/gy
  let match: RegExpExecArray | null
  while (pattern.lastIndex < raw.length && (match = pattern.exec(raw)) !== null) {
    items.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!)
  }
  return items
}

/** A model value from its string form in a label, query parameter or header. */
function fromString(shape: ShapeModel, ref: MemberRef, raw: string, defaultFormat: TimestampFormat, path: string,
  invalid: InvalidValue): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long':
      if (!/^[+-]?\d+$/.test(raw.trim())) throw invalid(`Value '${raw}' at '${path}' must be an integer.`)
      return Number(raw)
    case 'double':
    case 'float': {
      const n = Number(raw)
      if (raw.trim() === '' || Number.isNaN(n) && raw !== 'NaN') throw invalid(`Value '${raw}' at '${path}' must be a number.`)
      return n
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw invalid(`Value '${raw}' at '${path}' must be true or false.`)
      return raw === 'true'
    case 'timestamp': {
      // Every format is accepted on read; the member's format only matters when writing.
      const date = parseTimestamp(raw)
      if (date === undefined) throw invalid(`Value '${raw}' at '${path}' must be a timestamp (${ref.timestampFormat ?? shape.timestampFormat ?? defaultFormat}).`)
      return date
    }
    case 'blob':
      return Buffer.from(raw, 'base64')
    case 'string':
      if (ref.jsonvalue !== true) return raw
      // A jsonvalue header is base64-encoded JSON (botocore decodes it to a value).
      try {
        return JSON.parse(Buffer.from(raw, 'base64').toString('utf8'))
      } catch {
        throw invalid(`Value at '${path}' must be base64-encoded JSON.`)
      }
    default:
      return raw
  }
}

/** The status code and headers an output's bound members ask for. */
export function writeHttpBindings(model: ServiceModel, shapeName: string | undefined, output: Record<string, unknown>):
  { status: number | undefined; headers: Record<string, string> } {
  const headers: Record<string, string> = {}
  let status: number | undefined
  if (shapeName === undefined) return { status, headers }
  for (const [name, member] of Object.entries(model.shape(shapeName).members ?? {})) {
    const value = output[name]
    if (value === undefined || value === null) continue
    const key = (member.locationName ?? name).toLowerCase()
    const shape = model.shape(member.shape)
    if (member.location === 'statusCode') status = Number(value)
    else if (member.location === 'headers') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) headers[key + k] = String(v)
    } else if (member.location === 'header') {
      headers[key] = shape.type === 'list'
        ? (value as unknown[]).map((item) => quoteHeaderItem(toString(model.shape(shape.member!.shape), shape.member!, item))).join(', ')
        : toString(shape, member, value)
    }
  }
  return { status, headers }
}

function quoteHeaderItem(item: string): string {
  return /[,"]/.test(item) ? `"${item.replace(/["\\]/g, '\\$&')}"` : item
}

/** The string form of a header value: timestamps RFC 822 unless the model says otherwise. */
function toString(shape: ShapeModel, ref: MemberRef, value: unknown): string {
  if (shape.type === 'timestamp' && value instanceof Date) {
    return String(formatTimestamp(value, ref.timestampFormat ?? shape.timestampFormat ?? 'rfc822'))
  }
  if (shape.type === 'blob') return Buffer.from(value as Uint8Array).toString('base64')
  if (ref.jsonvalue === true) return Buffer.from(JSON.stringify(value)).toString('base64')
  return String(value)
}
