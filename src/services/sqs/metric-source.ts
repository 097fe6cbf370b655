// The AWS/SQS metrics queues publish (QueueName dimension), as a metric source CloudWatch reads
// through its port: counters as per-minute sums from each queue's count buckets, gauges as steps
// from its samples (metric-log.ts). 1-minute datapoints, as AWS publishes SQS metrics.
import type { MetricSource, SourcedPoint, SourcedSeries } from '../cloudwatch/port.ts'
import type { CountBucket, GaugeSample } from './metric-log.ts'
import type { Queue } from './queue.ts'
import type { SqsState } from './store.ts'

type Definition =
  | { unit: string; count: (b: CountBucket) => number }
  | { unit: string; size: true }
  | { unit: string; gauge: (g: GaugeSample) => number }

const definitions: Record<string, Definition> = {
  NumberOfMessagesSent: { unit: 'Count', count: (b) => b.sent },
  NumberOfMessagesReceived: { unit: 'Count', count: (b) => b.received },
  NumberOfMessagesDeleted: { unit: 'Count', count: (b) => b.deleted },
  NumberOfEmptyReceives: { unit: 'Count', count: (b) => b.emptyReceives },
  SentMessageSize: { unit: 'Bytes', size: true },
  ApproximateNumberOfMessagesVisible: { unit: 'Count', gauge: (g) => g.visible },
  ApproximateNumberOfMessagesNotVisible: { unit: 'Count', gauge: (g) => g.notVisible },
  ApproximateNumberOfMessagesDelayed: { unit: 'Count', gauge: (g) => g.delayed },
  ApproximateAgeOfOldestMessage: { unit: 'Seconds', gauge: (g) => g.oldestAge },
}

export const sqsMetricNames = Object.keys(definitions)

/** AWS keeps publishing an SQS queue's metrics for six hours after any activity, and while it holds messages. */
const activeAfterMs = 6 * 3_600_000

/**
 * The spans in which the queue is active, so a counter without activity in a minute is a 0 datapoint
 * (AWS: "a queue is considered active for up to six hours if it contains any messages or if any
 * action accesses it" — the actions counted here are sends, receives and deletes).
 */
function activeSpans(q: Queue): [number, number][] {
  const spans: [number, number][] = []
  for (const b of q.metrics.buckets) spans.push([b.t, b.t + activeAfterMs])
  const gauges = q.metrics.gauges
  for (let k = 0; k < gauges.length; k++) {
    const g = gauges[k]!
    if (g.visible + g.notVisible + g.delayed > 0) spans.push([g.t, k + 1 < gauges.length ? gauges[k + 1]!.t + activeAfterMs : Infinity])
  }
  spans.sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const s of spans) {
    const last = merged[merged.length - 1]
    if (last !== undefined && s[0] <= last[1]) last[1] = Math.max(last[1], s[1])
    else merged.push([s[0], s[1]])
  }
  return merged
}

function seriesOf(q: Queue, name: string): SourcedSeries {
  const def = definitions[name]!
  const base = { metricName: name, dimensions: [{ Name: 'QueueName', Value: q.identity.name }], unit: def.unit }
  if ('gauge' in def) {
    if (name === 'ApproximateAgeOfOldestMessage') {
      // The oldest message ages with the clock between samples: a ramp from when it was sent (or
      // from the sample's minute, for an older one); before that, the previous step holds.
      const steps = q.metrics.gauges.map((g) => {
        if (g.oldestSentAt === undefined) return { t: g.t, value: 0, resolution: 60 }
        const t = Math.max(g.t, g.oldestSentAt)
        return { t, value: (t - g.oldestSentAt) / 1000, resolution: 60, slope: 1 }
      })
      return { ...base, combine: 'maximum', steps }
    }
    const steps = q.metrics.gauges.map((g) => ({ t: g.t, value: def.gauge(g), resolution: 60 }))
    return { ...base, combine: 'maximum', steps }
  }
  const points: SourcedPoint[] = []
  for (const b of q.metrics.buckets) {
    if ('size' in def) {
      // One datapoint per message sent: n messages, their total, smallest and largest size.
      if (b.sent > 0) points.push({ t: b.t, n: b.sent, sum: b.sizeSum, min: b.sizeMin, max: b.sizeMax })
    } else {
      const v = def.count(b)
      points.push({ t: b.t, n: 1, sum: v, min: v, max: v })
    }
  }
  return { ...base, combine: 'average', steps: [], points, zeroSpans: 'size' in def ? undefined : activeSpans(q) }
}

export function sqsMetricSource(state: SqsState): MetricSource {
  return {
    namespace: 'AWS/SQS',
    find: (account, region, metricName, dimensions) => {
      if (definitions[metricName] === undefined || dimensions.length !== 1 || dimensions[0]!.Name !== 'QueueName') return undefined
      const queue = state.regions.peek(account, region)?.queues.get(dimensions[0]!.Value)
      return queue === undefined ? undefined : seriesOf(queue, metricName)
    },
    list: (account, region) => [...(state.regions.peek(account, region)?.queues.values() ?? [])]
      .filter((q) => q.metrics.buckets.length > 0 || q.metrics.gauges.length > 0)
      .flatMap((q) => sqsMetricNames.map((name) => seriesOf(q, name))),
  }
}
