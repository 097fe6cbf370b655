// PutEvents: 1–10 entries, the request size as AWS counts it, per-entry errors in request order.
import type { Operation } from '../../service.ts'
import type { EbContext } from '../context.ts'
import { ebErrors } from '../errors.ts'
import { entrySize } from '../event.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'

export function eventOperations(ctx: EbContext) {
  const putEvents: Operation<T.PutEventsRequest, T.PutEventsResponse> = (input, { caller }) => {
    const entries = input.Entries
    if (entries.length < 1) throw ebErrors.constraint('[]', 'Entries', 'Member must have length greater than or equal to 1')
    if (entries.length > limits.maxPutEventsEntries) {
      throw ebErrors.constraint(null, 'Entries', `Member must have length less than or equal to ${limits.maxPutEventsEntries}`)
    }
    if (entries.reduce((n, e) => n + entrySize(e), 0) > limits.maxRequestBytes) {
      throw ebErrors.validation('Total size of the entries in the request is over the limit.')
    }
    const results = entries.map((entry) => ctx.router.putEntry(entry, caller))
    return { FailedEntryCount: results.filter((r) => r.ErrorCode !== undefined).length, Entries: results }
  }
  return { PutEvents: putEvents }
}
