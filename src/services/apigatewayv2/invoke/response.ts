// A Lambda proxy response → the HTTP answer, by the payload format's rules. 2.0: an object with
// `statusCode` is read as statusCode/headers/cookies/body/isBase64Encoded; anything else (a string,
// an object without statusCode) is the body of a 200 `application/json` answer. 1.0: statusCode is
// required, headers and multiValueHeaders are merged. Undefined when malformed (→ 500).
import type { InvokeResponse } from '../port.ts'

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

function statusOf(value: unknown): number | undefined {
  const status = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined
}

function structured(fields: Record<string, unknown>, multi: boolean): InvokeResponse | undefined {
  const status = statusOf(fields.statusCode)
  if (status === undefined) return undefined
  const { body, isBase64Encoded } = fields
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined
  const values = new Map<string, string[]>()
  const add = (name: string, value: unknown) => {
    const text = scalar(value)
    if (text === undefined) return false
    const key = name.toLowerCase()
    values.set(key, [...(values.get(key) ?? []), text])
    return true
  }
  const maps = [fields.headers, multi ? fields.multiValueHeaders : undefined]
  for (const [index, map] of maps.entries()) {
    if (map === undefined || map === null) continue
    if (typeof map !== 'object' || Array.isArray(map)) return undefined
    for (const [name, value] of Object.entries(map as Record<string, unknown>)) {
      const list = index === 1 && Array.isArray(value) ? value : [value]
      if (!list.every((v) => add(name, v))) return undefined
    }
  }
  if (!multi && fields.cookies !== undefined && fields.cookies !== null) {
    if (!Array.isArray(fields.cookies) || !fields.cookies.every((c) => add('set-cookie', c))) return undefined
  }
  const headers: Record<string, string> = {}
  // Several values go out as repeated header lines (Node writes an array so).
  for (const [name, list] of values) headers[name] = (list.length === 1 && name !== 'set-cookie' ? list[0]! : list) as string
  headers['content-type'] ??= 'application/json'
  const text = body ?? ''
  return { status, headers, body: isBase64Encoded === true ? Buffer.from(text, 'base64') : text }
}

export function responseV2(payload: string): InvokeResponse | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  } catch {
    return undefined
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && 'statusCode' in parsed) {
    return structured(parsed as Record<string, unknown>, false)
  }
  // The simple form: API Gateway assumes 200, application/json, and the function's answer as the body.
  return { status: 200, headers: { 'content-type': 'application/json' }, body: typeof parsed === 'string' ? parsed : payload }
}

export function responseV1(payload: string): InvokeResponse | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  } catch {
    return undefined
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined
  return structured(parsed as Record<string, unknown>, true)
}
