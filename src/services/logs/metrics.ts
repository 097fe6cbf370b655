// The AWS/Logs metrics, counted per minute in memory (core/minute-log.ts) and read by CloudWatch
// through its port as a metric source: IncomingBytes and IncomingLogEvents per LogGroupName and for
// the account (no dimension), and each subscription filter's ForwardedBytes (gzip-compressed, as
// sent), ForwardedLogEvents, DeliveryErrors and DeliveryThrottling per LogGroupName, DestinationType
// and FilterName. A minute without activity has no datapoint.
import type { MinuteLog } from '../../core/minute-log.ts'
import type { MetricSource } from '../cloudwatch/port.ts'
import { type MinuteMetric, minuteMetricSource } from '../minute-metrics.ts'
import type { DestinationKind } from './subscription-filter.ts'

const definitions: Record<string, MinuteMetric> = {
  IncomingBytes: { unit: 'Bytes', counter: 'incomingBytes' },
  IncomingLogEvents: { unit: 'None', counter: 'incomingLogEvents' },
  ForwardedBytes: { unit: 'Bytes', counter: 'forwardedBytes' },
  ForwardedLogEvents: { unit: 'None', counter: 'forwardedLogEvents' },
  DeliveryErrors: { unit: 'None', counter: 'deliveryErrors' },
  DeliveryThrottling: { unit: 'None', counter: 'deliveryThrottling' },
}

/** DestinationType as AWS names it [R]. */
const destinationTypes: Record<DestinationKind, string> = { kinesis: 'Kinesis', firehose: 'Firehose', lambda: 'Lambda' }

/** A subscription filter's series: its group, destination type and name. */
export interface FilterSeries {
  account: string
  region: string
  group: string
  kind: DestinationKind
  filter: string
}

// Series keys: '' the account, `g\0<group>` a log group, `s\0<group>\0<type>\0<filter>` a subscription filter.
const sep = '\u0000'
const filterKey = (s: FilterSeries) => `s${sep}${s.group}${sep}${destinationTypes[s.kind]}${sep}${s.filter}`

function dimensionsOf(key: string): { Name: string; Value: string }[] {
  if (key === '') return []
  const [kind, group, type, filter] = key.split(sep)
  if (kind === 'g') return [{ Name: 'LogGroupName', Value: group! }]
  return [{ Name: 'LogGroupName', Value: group! }, { Name: 'DestinationType', Value: type! }, { Name: 'FilterName', Value: filter! }]
}

function keyOf(dimensions: readonly { Name: string; Value: string }[]): string | undefined {
  if (dimensions.length === 0) return ''
  const value = (name: string) => dimensions.find((d) => d.Name === name)?.Value
  const group = value('LogGroupName')
  if (group === undefined) return undefined
  if (dimensions.length === 1) return `g${sep}${group}`
  const type = value('DestinationType')
  const filter = value('FilterName')
  return dimensions.length === 3 && type !== undefined && filter !== undefined ? `s${sep}${group}${sep}${type}${sep}${filter}` : undefined
}

/** Adds an upload's events and bytes to one series' counts of the minute. */
function add(counts: Record<string, number>, events: number, bytes: number): void {
  counts.incomingLogEvents = (counts.incomingLogEvents ?? 0) + events
  counts.incomingBytes = (counts.incomingBytes ?? 0) + bytes
}

/** What uploads and subscription deliveries tell the metrics. */
export class LogsMetrics {
  private readonly log: MinuteLog
  private lastGroup = ''
  private lastGroupKey = ''

  constructor(log: MinuteLog) {
    this.log = log
  }

  /** An upload's stored events and their uncompressed message bytes, for the group and the account. */
  incoming(account: string, region: string, group: string, events: number, bytes: number): void {
    // The last group's series key is kept: a busy function's group is written per invocation.
    if (group !== this.lastGroup) {
      this.lastGroup = group
      this.lastGroupKey = `g${sep}${group}`
    }
    add(this.log.current(account, region, this.lastGroupKey).counts, events, bytes)
    add(this.log.current(account, region, '').counts, events, bytes)
  }

  /** A subscription message handed to its destination: its events and compressed bytes. */
  forwarded(s: FilterSeries, events: number, bytes: number): void {
    this.log.count(s.account, s.region, filterKey(s), 'forwardedLogEvents', events)
    this.log.count(s.account, s.region, filterKey(s), 'forwardedBytes', bytes)
  }

  /** A subscription message's attempt failed (its events count), throttled or not. */
  deliveryFailed(s: FilterSeries, events: number, throttled: boolean): void {
    this.log.count(s.account, s.region, filterKey(s), throttled ? 'deliveryThrottling' : 'deliveryErrors', events)
  }
}

export function logsMetricSource(log: MinuteLog): MetricSource {
  return minuteMetricSource({ namespace: 'AWS/Logs', log, metrics: definitions, dimensionsOf, keyOf })
}
