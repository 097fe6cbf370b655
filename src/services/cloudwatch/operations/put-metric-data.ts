// PutMetricData: validates each datum as AWS does (one bad datum fails the call) and stores it.
import type { OperationTable } from '../../service.ts'
import { AwsError } from '../../../protocol/errors.ts'
import { cloudWatchErrors } from '../errors.ts'
import type { CloudWatchOperations, MetricDatum } from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { Dimension, Point } from '../metric.ts'
import type { CloudWatchState } from '../store.ts'
import { checkDimensions, checkEnum, checkLength, checkNamespace, ms, units } from './common.ts'

type Ops = Pick<CloudWatchOperations, 'PutMetricData'>

export function putMetricDataOperations(state: CloudWatchState): OperationTable<Ops> {
  return {
    PutMetricData: (input, ctx) => {
      checkNamespace(input.Namespace)
      // AWS/ namespaces are reserved for AWS services' own metrics.
      if (input.Namespace.startsWith('AWS/')) throw cloudWatchErrors.invalidValue(`The value ${input.Namespace} for parameter Namespace is invalid.`)
      if (input.EntityMetricData !== undefined && input.EntityMetricData.length > 0) {
        throw cloudWatchErrors.invalidValue('EntityMetricData is not supported by Nimbus yet.')
      }
      const data = input.MetricData ?? []
      if (data.length === 0) throw cloudWatchErrors.missingParameter('MetricData')
      if (data.length > limits.maxMetricsPerPut) {
        throw cloudWatchErrors.invalidValue(`The collection MetricData must not have a size greater than ${limits.maxMetricsPerPut}.`)
      }
      const now = ctx.clock.now()
      const points = data.map((d, i) => ({ name: d.MetricName, dimensions: dims(d.Dimensions), point: toPoint(d, `MetricData.member.${i + 1}`, now) }))
      state.putData(state.region(ctx.caller.account, ctx.caller.region), input.Namespace, points)
      return undefined
    },
  }
}

function dims(dimensions: readonly Dimension[] | undefined): Dimension[] {
  return (dimensions ?? []).map((d) => ({ Name: d.Name, Value: d.Value }))
}

function checkValue(value: number, path: string): void {
  if (!Number.isFinite(value) || Math.abs(value) > limits.maxMagnitude) {
    throw cloudWatchErrors.invalidValue(`The value ${String(value)} for parameter ${path} is invalid.`)
  }
}

/** One datum → one stored point; the paths in messages are the query names AWS uses on every protocol. */
function toPoint(d: MetricDatum, path: string, now: number): Point {
  checkLength(d.MetricName, `metricData.${path.split('.').pop()}.member.metricName`, 1, 255)
  checkDimensions(d.Dimensions, `metricData.${path.split('.').pop()}.member.dimensions`)
  checkEnum(d.Unit, `metricData.${path.split('.').pop()}.member.unit`, units)
  const t = d.Timestamp === undefined ? now : ms(d.Timestamp)
  // One message for both bounds (two weeks back, two hours ahead), as AWS words it.
  if (t < now - limits.maxPastMs || t > now + limits.maxFutureMs) {
    throw cloudWatchErrors.invalidValue(`The parameter ${path}.Timestamp must specify a time within the past two weeks.`)
  }
  const resolution = d.StorageResolution ?? 60
  if (resolution !== 1 && resolution !== 60) throw cloudWatchErrors.invalidValue(`The value ${resolution} for parameter ${path}.StorageResolution is invalid.`)
  // Value excludes StatisticValues and Values; AWS accepts Values with StatisticValues (the values win here) [R].
  for (const other of ['Values', 'StatisticValues'] as const) {
    if (d.Value !== undefined && d[other] !== undefined) {
      throw cloudWatchErrors.combination(`The parameters ${path}.Value and ${path}.${other} are mutually exclusive and you have specified both.`)
    }
  }
  const unit = d.Unit ?? 'None'
  const hr = resolution === 1
  if (d.Values !== undefined) return valuesAndCounts(d.Values, d.Counts, path, t, unit, hr)
  if (d.StatisticValues !== undefined) return statisticSet(d.StatisticValues, path, t, unit, hr)
  if (d.Value === undefined) {
    throw new AwsError('MissingRequiredParameterException', `At least one of the parameters ${path}.Value or ${path}.StatisticValues must be specified.`)
  }
  checkValue(d.Value, `${path}.Value`)
  return { t, n: 1, sum: d.Value, min: d.Value, max: d.Value, values: [d.Value], unit, hr }
}

function statisticSet(s: NonNullable<MetricDatum['StatisticValues']>, path: string, t: number, unit: string, hr: boolean): Point {
  const p = `${path}.StatisticValues`
  for (const k of ['SampleCount', 'Sum', 'Minimum', 'Maximum'] as const) checkValue(s[k], `${p}.${k}`)
  if (s.SampleCount < 0) throw cloudWatchErrors.invalidValue(`The parameter ${p}.SampleCount must be greater than 0.`)
  if (s.SampleCount === 0) throw cloudWatchErrors.invalidValue(`The parameter ${p}.SampleCount must not equal 0.`)
  if (s.Minimum > s.Maximum) throw cloudWatchErrors.invalidValue(`The parameter ${p}.Maximum must be greater than ${p}.Minimum.`)
  // Percentiles need raw values: a set of one sample, or one whose samples all equal its minimum.
  const exact = s.SampleCount === 1 || s.Minimum === s.Maximum
  return { t, n: s.SampleCount, sum: s.Sum, min: s.Minimum, max: s.Maximum, ...(exact && { values: [s.Minimum], counts: [s.SampleCount] }), unit, hr }
}

function valuesAndCounts(values: number[], counts: number[] | undefined, path: string, t: number, unit: string, hr: boolean): Point {
  if (values.length > limits.maxValuesPerDatum) {
    throw cloudWatchErrors.invalidValue(`The collection ${path}.Values must not have a size greater than ${limits.maxValuesPerDatum}.`)
  }
  if (counts !== undefined && counts.length !== values.length) {
    throw cloudWatchErrors.invalidValue(`The parameters ${path}.Values and ${path}.Counts must be of the same size.`)
  }
  if (values.length === 0) throw cloudWatchErrors.missingParameter(`${path}.Values`)
  values.forEach((v, i) => checkValue(v, `${path}.Values.member.${i + 1}`))
  counts?.forEach((c, i) => {
    if (!Number.isFinite(c) || c < 0) throw cloudWatchErrors.invalidValue(`The value ${c} for parameter ${path}.Counts.member.${i + 1} is invalid.`)
  })
  let n = 0
  let sum = 0
  let min = Infinity
  let max = -Infinity
  values.forEach((v, i) => {
    const c = counts?.[i] ?? 1
    n += c
    sum += v * c
    if (v < min) min = v
    if (v > max) max = v
  })
  return { t, n, sum, min, max, values: [...values], ...(counts !== undefined && { counts: [...counts] }), unit, hr }
}
