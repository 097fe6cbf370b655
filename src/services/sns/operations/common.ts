// Lookups and pagination the SNS operations share.
import { snsErrors } from '../errors.ts'
import { limits } from '../limits.ts'

/** Pages of 100 in a stable order; the token is the next index, opaque to clients. */
export function paginate<T>(items: T[], token: string | undefined): { page: T[]; next: string | undefined } {
  let start = 0
  if (token !== undefined) {
    start = Number(Buffer.from(token, 'base64').toString('utf8').replace(/^nimbus:/, ''))
    if (!Number.isInteger(start) || start < 0) throw snsErrors.invalidParameter('NextToken')
  }
  const page = items.slice(start, start + limits.pageSize)
  const end = start + page.length
  return { page, next: end < items.length ? Buffer.from(`nimbus:${end}`).toString('base64') : undefined }
}

export const sameRecord = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v)
