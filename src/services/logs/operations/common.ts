// Lookups, validation and pagination every CloudWatch Logs operation shares.
import type { OperationContext } from '../../service.ts'
import { logsErrors } from '../errors.ts'
import type { LogGroup } from '../log-group.ts'
import type { LogStream } from '../log-stream.ts'
import type { LogsState } from '../store.ts'

const groupNamePattern = /^[.\-_/#A-Za-z0-9]+$/
const streamNamePattern = /^[^:*]*$/

export function checkGroupName(name: string, member = 'logGroupName'): void {
  checkLength(name, member, 1, 512)
  if (!groupNamePattern.test(name)) {
    throw logsErrors.validation(name, member, 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+')
  }
}

export function checkStreamName(name: string, member = 'logStreamName'): void {
  checkLength(name, member, 1, 512)
  if (!streamNamePattern.test(name)) throw logsErrors.validation(name, member, 'Member must satisfy regular expression pattern: [^:*]*')
}

function checkLength(value: string, member: string, min: number, max: number): void {
  if (value.length < min) throw logsErrors.validation(value, member, `Member must have length greater than or equal to ${min}`)
  if (value.length > max) throw logsErrors.validation(value, member, `Member must have length less than or equal to ${max}`)
}

export function checkRange(member: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return
  if (value < min) throw logsErrors.validation(value, member, `Member must have value greater than or equal to ${min}`)
  if (value > max) throw logsErrors.validation(value, member, `Member must have value less than or equal to ${max}`)
}

/** Operations that take `logGroupName` or `logGroupIdentifier` (name or ARN), exactly one of them. */
export function resolveGroup(state: LogsState, ctx: OperationContext, input: { logGroupName?: string; logGroupIdentifier?: string }): LogGroup {
  const { logGroupName: name, logGroupIdentifier: identifier } = input
  if (name !== undefined && identifier !== undefined) {
    throw logsErrors.invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.')
  }
  if (identifier !== undefined) return state.requireGroupByIdentifier(ctx.caller.account, ctx.caller.region, identifier)
  if (name === undefined) throw logsErrors.invalidParameter('Either logGroupName or logGroupIdentifier must be specified.')
  return state.requireGroup(ctx.caller.account, ctx.caller.region, name)
}

export function requireStream(group: LogGroup, name: string): LogStream {
  const stream = group.streams.get(name)
  if (stream === undefined) throw logsErrors.streamNotFound()
  return stream
}

/** A cursor is the sort key of the last item returned: a tuple of numbers and strings. */
export type Cursor = readonly (string | number)[]

function compareCursors(a: Cursor, b: Cursor): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i]
    const y = b[i]
    if (x === y) continue
    if (x === undefined) return -1
    if (y === undefined) return 1
    return x < y ? -1 : 1
  }
  return 0
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64')
}

export function decodeCursor(token: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as unknown
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string' || typeof p === 'number')) return parsed
  } catch {
    // fall through
  }
  throw logsErrors.invalidToken()
}

/**
 * One page of `items` ordered by `cursorOf` (ascending, or descending), resuming after the token's
 * cursor. Positions survive deletions and insertions between pages.
 */
export function paginate<T>(items: readonly T[], cursorOf: (item: T) => Cursor, options: { limit: number; token?: string; descending?: boolean }):
  { page: T[]; nextToken: string | undefined } {
  const direction = options.descending === true ? -1 : 1
  const sorted = items.slice().sort((a, b) => direction * compareCursors(cursorOf(a), cursorOf(b)))
  const after = options.token === undefined ? undefined : decodeCursor(options.token)
  const rest = after === undefined ? sorted : sorted.filter((item) => direction * compareCursors(cursorOf(item), after) > 0)
  const page = rest.slice(0, options.limit)
  const nextToken = rest.length > page.length ? encodeCursor(cursorOf(page[page.length - 1]!)) : undefined
  return { page, nextToken }
}
