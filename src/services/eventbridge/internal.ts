// EventBridge's port (port.ts) implemented: the same path as PutEvents (matching, archives, delivery
// on the clock), but AWS services may use `aws.*` sources and skip the size check.
import type { MetricSource } from '../cloudwatch/port.ts'
import type * as T from './generated/types.ts'
import type { Router } from './router.ts'
import type { EventBridgeState } from './store.ts'
import type { EventBridgePort } from './port.ts'

export function createEventBridgePort(state: EventBridgeState, router: Router, metrics: MetricSource): EventBridgePort {
  return {
    metrics,
    putEvents: (account, region, entries) => entries.map((entry) => {
      const input = {
        Source: entry.source, DetailType: entry.detailType, Resources: entry.resources, EventBusName: entry.eventBusName,
        Detail: typeof entry.detail === 'string' ? entry.detail : JSON.stringify(entry.detail),
        Time: entry.time === undefined ? undefined : new Date(entry.time), TraceHeader: entry.traceHeader,
      }
      const out: T.PutEventsResultEntry = router.putEntry(input, { account, region }, true)
      return { eventId: out.EventId, errorCode: out.ErrorCode, errorMessage: out.ErrorMessage }
    }),
    busExists: (account, region, name) => state.findBus(name, { account, region }) !== undefined,
    // peek: asking must not create the account's region state.
    defaultBusHasRules: (account, region) => (state.regions.peek(account, region)?.buses.get('default')?.rules.size ?? 0) > 0,
  }
}
