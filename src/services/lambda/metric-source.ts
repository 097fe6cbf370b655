// The AWS/Lambda metrics functions publish, as a metric source CloudWatch reads through its port:
// per FunctionName, and per FunctionName + Resource for qualified invocations (alias or version),
// 1-minute datapoints from the in-memory buckets (metric-log.ts).
import type { MetricSource, SourcedPoint, SourcedSeries } from '../cloudwatch/port.ts'
import { type InvocationBucket, LambdaMetricLog } from './metric-log.ts'

type Definition = { unit: string; point: (b: InvocationBucket) => SourcedPoint | undefined }

const count = (pick: (b: InvocationBucket) => number) => (b: InvocationBucket): SourcedPoint => {
  const v = pick(b)
  return { t: b.t, n: 1, sum: v, min: v, max: v }
}

const definitions: Record<string, Definition> = {
  Invocations: { unit: 'Count', point: count((b) => b.invocations) },
  Errors: { unit: 'Count', point: count((b) => b.errors) },
  Throttles: { unit: 'Count', point: count((b) => b.throttles) },
  ConcurrentExecutions: { unit: 'Count', point: count((b) => b.concurrent) },
  // One datapoint per invocation measured: Average, Min, Max, SampleCount and percentiles over them.
  Duration: { unit: 'Milliseconds', point: (b) => b.durations.length === 0 ? undefined : {
    t: b.t, n: b.durations.length, sum: b.durations.reduce((a, x) => a + x, 0),
    min: Math.min(...b.durations), max: Math.max(...b.durations), values: [...b.durations],
  } },
}

export const lambdaMetricNames = Object.keys(definitions)

function seriesOf(name: string, resource: string, buckets: readonly InvocationBucket[], metricName: string): SourcedSeries {
  const def = definitions[metricName]!
  const dimensions = [{ Name: 'FunctionName', Value: name }]
  if (resource !== name) dimensions.push({ Name: 'Resource', Value: resource })
  const points: SourcedPoint[] = []
  for (const b of buckets) {
    const p = def.point(b)
    if (p !== undefined) points.push(p)
  }
  return { metricName, dimensions, unit: def.unit, combine: 'average', steps: [], points }
}

export function lambdaMetricSource(log: LambdaMetricLog): MetricSource {
  return {
    namespace: 'AWS/Lambda',
    find: (account, region, metricName, dimensions) => {
      if (definitions[metricName] === undefined) return undefined
      const name = dimensions.find((d) => d.Name === 'FunctionName')?.Value
      const resource = dimensions.find((d) => d.Name === 'Resource')?.Value
      if (name === undefined || dimensions.length !== (resource === undefined ? 1 : 2)) return undefined
      // AWS names the unqualified function's Resource by its name too.
      const buckets = log.functions.get(LambdaMetricLog.key(account, region, name))?.resources.get(resource ?? name)
      return buckets === undefined ? undefined : seriesOf(name, resource ?? name, buckets, metricName)
    },
    list: (account, region) => {
      const out: SourcedSeries[] = []
      const prefix = `${account}\u0000${region}\u0000`
      for (const [key, fn] of log.functions) {
        if (!key.startsWith(prefix)) continue
        const name = key.slice(prefix.length)
        for (const [resource, buckets] of fn.resources) for (const m of lambdaMetricNames) out.push(seriesOf(name, resource, buckets, m))
      }
      return out
    },
  }
}
