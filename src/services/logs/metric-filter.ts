// A log group's metric filters (PutMetricFilter) and the metric values they turn events into: each
// event of an upload that matches a filter's pattern publishes its transformation's value (a number,
// or a `$.json.field` / `$delimitedField` of the event) into the custom namespace at the event's
// timestamp, with dimensions read from the event's fields; `defaultValue` is published when an
// upload has events but none match (at most once a minute per filter), so the metric reads 0 rather
// than missing while logs arrive. CloudWatch stores the values as PutMetricData would.
import { compileFieldExtractor, type FieldLookup } from './filter-pattern.ts'
import type { LogEvent } from './log-event.ts'

export interface MetricTransformationData {
  metricName: string
  metricNamespace: string
  metricValue: string
  defaultValue?: number
  /** Dimension name → the event field (`$.a` or `$name`) its value comes from. */
  dimensions?: Record<string, string>
  unit?: string
}

export interface MetricFilterData {
  filterName: string
  filterPattern: string
  /** Exactly one (the model's list of 1). */
  metricTransformations: MetricTransformationData[]
  creationTime: number
}

/** A datum for CloudWatch's port (its PublishedDatum). */
export interface MetricFilterDatum {
  metricName: string
  dimensions: { Name: string; Value: string }[]
  value: number
  unit?: string
  timestamp: number
}

/** Publishes a namespace's data into CloudWatch (the registry hands Logs CloudWatch's port.publish). */
export type PublishMetrics = (account: string, region: string, namespace: string, data: readonly MetricFilterDatum[]) => void

const minuteMs = 60_000

/** Whether a metric value or dimension names an event field rather than a literal. */
export const isFieldReference = (text: string) => /^\$(\.|\[|[A-Za-z0-9_@-])/.test(text)

/** The number a field or literal gives for one event; undefined when the event has no number there (nothing published). */
function numberOf(text: string, fields: FieldLookup): number | undefined {
  if (!isFieldReference(text)) return Number(text)
  const { found, value } = fields(text)
  if (!found || value === null || typeof value === 'object' || typeof value === 'boolean') return undefined
  const n = typeof value === 'number' ? value : Number(String(value).trim())
  return String(value).trim() === '' || !Number.isFinite(n) ? undefined : n
}

/** Per filter (by identity): the minute its defaultValue was last published. */
const defaultPublished = new WeakMap<MetricFilterData, number>()

/** The data one upload's events give a filter (none when nothing matches and it has no defaultValue). */
export function metricFilterData(filter: MetricFilterData, events: readonly LogEvent[], now: number): MetricFilterDatum[] {
  const t = filter.metricTransformations[0]
  if (t === undefined) return []
  const extract = compileFieldExtractor(filter.filterPattern)
  const out: MetricFilterDatum[] = []
  let matched = 0
  for (const e of events) {
    const fields = extract(e.message)
    if (fields === undefined) continue
    matched++
    const value = numberOf(t.metricValue, fields)
    if (value === undefined) continue
    const dimensions: { Name: string; Value: string }[] = []
    let complete = true
    for (const [name, field] of Object.entries(t.dimensions ?? {})) {
      const v = fields(field)
      // [R] An event without a dimension's field (or with a non-scalar there) publishes nothing.
      if (!v.found || v.value === null || typeof v.value === 'object' || String(v.value) === '') { complete = false; break }
      dimensions.push({ Name: name, Value: String(v.value) })
    }
    if (!complete) continue
    out.push({ metricName: t.metricName, dimensions, value, ...(t.unit !== undefined && { unit: t.unit }), timestamp: e.timestamp })
  }
  if (matched === 0 && events.length > 0 && t.defaultValue !== undefined) {
    const minute = now - (now % minuteMs)
    if (defaultPublished.get(filter) !== minute) {
      defaultPublished.set(filter, minute)
      out.push({ metricName: t.metricName, dimensions: [], value: t.defaultValue, ...(t.unit !== undefined && { unit: t.unit }), timestamp: now })
    }
  }
  return out
}

/** TestMetricFilter's view of one message: undefined when it doesn't match, else the fields it extracted (`$1`… or `$name` / `$.a`). */
export function extractedValues(pattern: string, message: string): Record<string, string> | undefined {
  const fields = compileFieldExtractor(pattern)(message)
  if (fields === undefined) return undefined
  const out: Record<string, string> = {}
  const source = pattern.trim()
  // The selectors the pattern names: `$.x` in a JSON pattern, each named field of a delimited one.
  const names = source.startsWith('{') ? [...new Set(source.match(/\$(\.[A-Za-z0-9_@-]+|\[\d+\])+/g) ?? [])]
    : source.startsWith('[') ? source.slice(1, -1).split(',').map((s) => /^\s*([A-Za-z0-9_$@.-]+)/.exec(s)?.[1]).filter((n): n is string => n !== undefined && n !== '...')
      : []
  for (const name of names) {
    const key = name.startsWith('$') ? name : `$${name}`
    const { found, value } = fields(key)
    if (found && value !== undefined) out[key] = typeof value === 'string' ? value : JSON.stringify(value)
  }
  return out
}
