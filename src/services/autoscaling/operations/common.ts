// Paging and name checks every Auto Scaling operation shares.
import { autoScalingErrors } from '../errors.ts'

/** Opaque page tokens: the position after the last item returned, tied to the request's kind. */
export function page<T>(kind: string, items: readonly T[], token: string | undefined, maxRecords: number | undefined, max = 100):
  { items: T[]; nextToken: string | undefined } {
  const size = maxRecords ?? 50
  if (size < 1 || size > max) throw autoScalingErrors.constraint('maxRecords', size, `Member must have value ${size < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`)
  const start = readToken(kind, token)
  const slice = items.slice(start, start + size)
  const next = start + size < items.length ? Buffer.from(JSON.stringify({ k: kind, o: start + size })).toString('base64') : undefined
  return { items: slice, nextToken: next }
}

function readToken(kind: string, token: string | undefined): number {
  if (token === undefined || token === '') return 0
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { k?: unknown; o?: unknown }
    if (parsed.k === kind && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o
  } catch {
    // fall through
  }
  throw autoScalingErrors.invalidNextToken()
}

/** Names are 1–255 characters (XmlStringMaxLen255); AWS's front end words a breach as a constraint. */
export function checkName(value: string, member: string, max = 255): void {
  if (value.length < 1) throw autoScalingErrors.constraint(member, value, 'Member must have length greater than or equal to 1')
  if (value.length > max) throw autoScalingErrors.constraint(member, value, `Member must have length less than or equal to ${max}`)
}
