// Maps a Lambda proxy function's result onto the HTTP answer: statusCode, headers,
// multiValueHeaders (merged, multi-value winning), body, isBase64Encoded. Anything else — a
// non-object, a missing or non-numeric statusCode, a non-string body, an unknown key — is AWS's
// "Malformed Lambda proxy response" (undefined here; the caller answers 502).
import type { HttpResponse } from '../../../protocol/http.ts'
import { binaryType } from './binary.ts'

const allowedKeys = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded'])

type HeaderValues = Map<string, string[]>

export function proxyResponse(payload: Buffer, binaryMediaTypes: readonly string[], accept: string | undefined): HttpResponse | undefined {
  let result: unknown
  try {
    result = JSON.parse(payload.toString('utf8'))
  } catch {
    return undefined
  }
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined
  const fields = result as Record<string, unknown>
  if (Object.keys(fields).some((k) => !allowedKeys.has(k))) return undefined
  const status = typeof fields.statusCode === 'string' && /^\d+$/.test(fields.statusCode) ? Number(fields.statusCode) : fields.statusCode
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined
  const { body, isBase64Encoded } = fields
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean') return undefined
  const values: HeaderValues = new Map()
  if (!addMulti(values, fields.multiValueHeaders) || !addSingle(values, fields.headers)) return undefined
  const headers: Record<string, string> = {}
  for (const [name, list] of values) {
    // Several values go out as repeated header lines (Node writes an array so).
    headers[name] = (list.length === 1 ? list[0]! : list) as string
  }
  headers['content-type'] ??= 'application/json'
  const text = (body ?? '') as string
  // A base64 body is decoded when the client accepts, or the function answers, a binary media type.
  const decode = isBase64Encoded === true &&
    (binaryType(binaryMediaTypes, accept?.split(',')[0]) || binaryType(binaryMediaTypes, headers['content-type']))
  return { status, headers, body: decode ? Buffer.from(text, 'base64') : text }
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

function addMulti(values: HeaderValues, multi: unknown): boolean {
  if (multi === undefined || multi === null) return true
  if (typeof multi !== 'object' || Array.isArray(multi)) return false
  for (const [name, list] of Object.entries(multi as Record<string, unknown>)) {
    if (!Array.isArray(list)) return false
    const strings = list.map(scalar)
    if (strings.some((s) => s === undefined)) return false
    values.set(name.toLowerCase(), strings as string[])
  }
  return true
}

/** Merged into one list per header; a name-value pair in both appears once (AWS: "only the values from multiValueHeaders"). */
function addSingle(values: HeaderValues, single: unknown): boolean {
  if (single === undefined || single === null) return true
  if (typeof single !== 'object' || Array.isArray(single)) return false
  for (const [name, value] of Object.entries(single as Record<string, unknown>)) {
    const text = scalar(value)
    if (text === undefined) return false
    const list = values.get(name.toLowerCase())
    if (list === undefined) values.set(name.toLowerCase(), [text])
    else if (!list.includes(text)) list.push(text)
  }
  return true
}
