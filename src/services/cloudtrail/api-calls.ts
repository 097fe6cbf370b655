// What happens to every successful API call, as CloudTrail sees it: a management event goes into
// event history and to the logging trails whose selectors take it, and — when it changes something —
// to the caller's default EventBridge bus as an "AWS API Call via CloudTrail" event (AWS sends those
// without any trail). A data event (an item, object, message or invoke call) is recorded only when
// a logging trail's data-event selectors match its resource, and only then reaches EventBridge.
// Read-only management events are not sent to EventBridge (see the EventBridge README).
import type { EventBridgePort } from '../eventbridge/port.ts'
import type { ApiCall } from '../service.ts'
import { dataResources, isDataEvent, isReadOnly } from './event-classes.ts'
import { buildRecord, type EventRecord } from './event-record.ts'
import type { EventHistory } from './history.ts'
import type { CloudTrailPort, EventFacts } from './port.ts'

export interface ApiCallDeps {
  history: EventHistory
  /** CloudTrail's port once loaded (it has no trails before), else undefined. */
  cloudtrail: () => CloudTrailPort | undefined
  /** EventBridge's port once loaded (no rules before), else undefined. */
  eventbridge: () => EventBridgePort | undefined
  now: () => number
}

/** The hook the gateway calls after each successful call; must be cheap and never throw. */
export function cloudTrailApiCalls(deps: ApiCallDeps): (call: ApiCall) => void {
  return (call) => {
    const { account, region } = call.caller
    if (isDataEvent(call.signingName, call.operation)) {
      // Hot path (PutItem, SendMessage…): nothing is built unless a trail records data events here.
      const trails = deps.cloudtrail()
      if (trails === undefined || !trails.recordsData(account, region)) return
      const eventSource = `${call.signingName}.amazonaws.com`
      const readOnly = isReadOnly(call.operation)
      const resources = dataResources(call)
      const facts: EventFacts = { category: 'Data', eventSource, eventName: call.operation, readOnly, resources }
      const time = deps.now()
      const record = buildRecord(call, time, readOnly, resources)
      if (trails.capture(account, region, record, facts) > 0) toEventBridge(deps.eventbridge(), call, record, time)
      return
    }
    const eventSource = `${call.signingName}.amazonaws.com`
    const readOnly = isReadOnly(call.operation)
    const time = deps.now()
    const record = buildRecord(call, time, readOnly, undefined)
    deps.history.record(time, record)
    deps.cloudtrail()?.capture(account, region, record, { category: 'Management', eventSource, eventName: call.operation, readOnly, resources: [] })
    if (!readOnly) toEventBridge(deps.eventbridge(), call, record, time)
  }
}

function toEventBridge(port: EventBridgePort | undefined, call: ApiCall, record: EventRecord, time: number): void {
  const { account, region } = call.caller
  if (port === undefined || !port.defaultBusHasRules(account, region)) return
  port.putEvents(account, region, [{
    source: `aws.${call.signingName}`, detailType: 'AWS API Call via CloudTrail', time, detail: { ...record },
  }])
}
