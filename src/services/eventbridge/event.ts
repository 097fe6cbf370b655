// The event as rules and targets see it: AWS's envelope, its key order, and PutEvents' entry checks.
import { randomUUID } from 'node:crypto'
import { nestsDeeperThan } from '../../core/json-depth.ts'
import { limits } from './limits.ts'

/** The envelope AWS delivers. Replayed events carry `replay-name` right after `region` [S]. */
export interface BusEvent {
  version: '0'
  id: string
  'detail-type': string
  source: string
  account: string
  time: string
  region: string
  'replay-name'?: string
  resources: string[]
  detail: Record<string, unknown>
}

/** An event on its way through a bus: the envelope, its text (serialised once), and when it arrived. */
export interface Ingested {
  readonly event: BusEvent
  readonly json: string
  readonly ingestedAt: number
  /** X-Ray header from PutEvents, passed on to SQS targets as AWSTraceHeader. */
  readonly traceHeader: string | undefined
}

/** `time` is second precision with a `Z` suffix. */
export function eventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

export interface EventFields {
  id?: string
  source: string
  detailType: string
  detail: Record<string, unknown>
  account: string
  region: string
  timeMs: number
  resources: readonly string[]
  replayName?: string
}

export function buildEvent(f: EventFields): BusEvent {
  const event: BusEvent = {
    version: '0', id: f.id ?? randomUUID(), 'detail-type': f.detailType, source: f.source, account: f.account,
    time: eventTime(f.timeMs), region: f.region,
  } as BusEvent
  if (f.replayName !== undefined) event['replay-name'] = f.replayName
  event.resources = [...f.resources]
  event.detail = f.detail
  return event
}

/** A replayed copy: the same event with `replay-name` inserted after `region`. */
export function withReplayName(event: BusEvent, replayName: string): BusEvent {
  const { resources, detail, ...head } = event
  return { ...head, 'replay-name': replayName, resources, detail }
}

export function ingested(event: BusEvent, ingestedAt: number, traceHeader?: string): Ingested {
  return { event, json: JSON.stringify(event), ingestedAt, traceHeader }
}

export interface EntryInput {
  Time?: Date
  Source?: string
  Resources?: string[]
  DetailType?: string
  Detail?: string
}

const utf8 = (text: string | undefined) => text === undefined ? 0 : Buffer.byteLength(text, 'utf8')

/** AWS's documented entry size: 14 bytes for a Time, plus the UTF-8 bytes of Source, DetailType, Detail and each resource. */
export function entrySize(entry: EntryInput): number {
  let size = entry.Time !== undefined ? limits.timeFieldBytes : 0
  size += utf8(entry.Source) + utf8(entry.DetailType) + utf8(entry.Detail)
  for (const resource of entry.Resources ?? []) size += utf8(resource)
  return size
}

export interface EntryError {
  code: string
  message: string
}

const required = (name: string): EntryError =>
  ({ code: 'InvalidArgument', message: `Parameter ${name} is not valid. Reason: ${name} is a required argument.` })

/** Checks one entry; returns its parsed detail or AWS's per-entry error. */
export function checkEntry(entry: EntryInput): { detail: Record<string, unknown> } | { error: EntryError } {
  if (entry.Source === undefined || entry.Source === '') return { error: required('Source') }
  if (entry.DetailType === undefined || entry.DetailType === '') return { error: required('DetailType') }
  if (entry.Detail === undefined || entry.Detail === '') return { error: required('Detail') }
  const detail = parseDetail(entry.Detail)
  if (detail === undefined) return { error: { code: 'MalformedDetail', message: 'Detail is malformed.' } }
  return { detail }
}

/**
 * Detail must be a JSON object: strings, arrays, numbers and JSON-encoded strings are malformed [S].
 * "PutEvents will only process nested JSON up to 1100 levels deep" (API reference): deeper is
 * malformed too [R: the code], and never reaches the walks that match, transform or serialise it.
 */
function parseDetail(text: string): Record<string, unknown> | undefined {
  if (nestsDeeperThan(text, limits.maxDetailDepth)) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}
