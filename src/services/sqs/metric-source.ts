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

function seriesOf(q: Queue, name: string): SourcedSeries {
  const def = definitions[name]!
  const base = { metricName: name, dimensions: [{ Name: 'QueueName', Value: q.identity.name }], unit: def.unit }
  if ('gauge' in def) {
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
  return { ...base, combine: 'average', steps: [], points }
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
