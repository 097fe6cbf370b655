// Event history: LookupEvents over the last 90 days of management events, newest first, by one
// lookup attribute and a time range, 50 at most per page.
import type { OperationTable } from '../../service.ts'
import { cloudTrailErrors } from '../errors.ts'
import type { CloudTrailOperations, Event, LookupAttribute } from '../generated/types.ts'
import type { HistoryEntry } from '../history.ts'
import { limits } from '../limits.ts'
import { lookupResources } from '../lookup-resources.ts'
import type { CloudTrailState } from '../store.ts'

const keys = new Set(['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'])

function username(entry: HistoryEntry): string {
  const identity = entry.record.userIdentity
  return identity['type'] === 'Root' ? 'root' : String(identity['userName'] ?? identity['principalId'] ?? '')
}

function matches(entry: HistoryEntry, attribute: LookupAttribute | undefined): boolean {
  if (attribute === undefined) return true
  const { record } = entry
  const value = attribute.AttributeValue
  switch (attribute.AttributeKey) {
    case 'EventId': return record.eventID === value
    case 'EventName': return record.eventName === value
    case 'ReadOnly': return String(record.readOnly) === value
    case 'Username': return username(entry) === value
    case 'EventSource': return record.eventSource === value
    case 'AccessKeyId': return record.userIdentity['accessKeyId'] === value
    case 'ResourceType': return lookupResources(record).some((r) => r.ResourceType === value)
    case 'ResourceName': return lookupResources(record).some((r) => r.ResourceName === value)
    default: return false
  }
}

function toEvent(entry: HistoryEntry): Event {
  const { record } = entry
  const accessKeyId = record.userIdentity['accessKeyId']
  return {
    EventId: record.eventID, EventName: record.eventName, ReadOnly: String(record.readOnly),
    ...(typeof accessKeyId === 'string' && { AccessKeyId: accessKeyId }),
    EventTime: new Date(Math.floor(entry.time / 1000) * 1000), EventSource: record.eventSource, Username: username(entry),
    Resources: lookupResources(record), CloudTrailEvent: (entry.json ??= JSON.stringify(record)),
  }
}

function decodeToken(token: string): number {
  const match = /^ct1-(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'))
  if (match === null) throw cloudTrailErrors.nextToken()
  return Number(match[1])
}

export function lookupOperations(state: CloudTrailState) {
  return {
    LookupEvents: (input, ctx) => {
      const attributes = input.LookupAttributes ?? []
      if (attributes.length > 1) throw cloudTrailErrors.lookupAttributes('You cannot specify more than one lookup attribute.')
      const attribute = attributes[0]
      if (attribute !== undefined && !keys.has(attribute.AttributeKey)) {
        throw cloudTrailErrors.lookupAttributes(`Invalid attribute key: ${String(attribute.AttributeKey)}`)
      }
      if (input.EventCategory !== undefined) throw cloudTrailErrors.eventCategory()
      const max = input.MaxResults ?? limits.maxLookupResults
      if (!Number.isInteger(max) || max < 1 || max > limits.maxLookupResults) throw cloudTrailErrors.maxResults()
      const start = input.StartTime?.getTime()
      const end = input.EndTime?.getTime()
      if (start !== undefined && end !== undefined && start > end) throw cloudTrailErrors.timeRange()
      const before = input.NextToken === undefined ? Infinity : decodeToken(input.NextToken)
      const entries = state.history.entries(ctx.caller.account, ctx.caller.region)
      const page: HistoryEntry[] = []
      let more = false
      for (let i = entries.length - 1; i >= 0; i--) {
        const entry = entries[i]!
        if (entry.seq >= before || (start !== undefined && entry.time < start) || (end !== undefined && entry.time > end)) continue
        if (!matches(entry, attribute)) continue
        if (page.length === max) {
          more = true
          break
        }
        page.push(entry)
      }
      const last = page[page.length - 1]
      return {
        Events: page.map(toEvent),
        ...(more && last !== undefined && { NextToken: Buffer.from(`ct1-${last.seq}`).toString('base64') }),
      }
    },
  } satisfies OperationTable<CloudTrailOperations>
}
