// Lookups and checks every SQS operation shares.
import type { OperationContext } from '../../service.ts'
import { sqsErrors } from '../errors.ts'
import type { Queue } from '../queue.ts'
import type { SqsState } from '../store.ts'

export function requireQueue(state: SqsState, url: string, ctx: OperationContext): Queue {
  return state.requireByUrl(url, ctx.caller.region)
}

/** "Value <v> for parameter <name> is invalid. Reason: Must be between <min> and <max>, if provided." */
export function checkRange(name: string, value: number | undefined, min: number, max: number, reason?: string): void {
  if (value === undefined) return
  if (!Number.isInteger(value) || value < min || value > max) {
    throw sqsErrors.invalidParameter(name, value, reason ?? `Must be between ${min} and ${max}, if provided.`)
  }
}

/** Opaque pagination tokens: the last name returned, base64. */
export function encodeToken(last: string): string {
  return Buffer.from(JSON.stringify({ last }), 'utf8').toString('base64')
}

export function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { last?: unknown }
    if (typeof parsed.last === 'string') return parsed.last
  } catch {
    // fall through
  }
  throw sqsErrors.invalidParameterValue('Invalid NextToken value.')
}

/** Sorted names after `token`, at most `max`, with the token for the next page when more remain. */
export function paginate<T>(items: T[], nameOf: (item: T) => string, max: number | undefined, token: string | undefined,
  limit: number): { page: T[]; next: string | undefined } {
  const after = decodeToken(token)
  const sorted = items.slice().sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1))
  const start = after === undefined ? sorted : sorted.filter((item) => nameOf(item) > after)
  const size = max ?? limit
  const page = start.slice(0, size)
  const next = max !== undefined && start.length > size ? encodeToken(nameOf(page[page.length - 1]!)) : undefined
  return { page, next }
}
