// GetMetricStatistics and ListMetrics.
import type { OperationTable } from '../../service.ts'
import { cloudWatchErrors } from '../errors.ts'
import type { CloudWatchOperations, Datapoint } from '../generated/types.ts'
import { limits } from '../limits.ts'
import { bucketsOf, isValidPeriod, roundStart } from '../periods.ts'
import { aggregate, percentile, percentileOf } from '../statistics.ts'
import type { CloudWatchState } from '../store.ts'
import { checkDimensions, checkEnum, checkLength, checkNamespace, ms, pageToken, readPageToken, simpleStatistics, units } from './common.ts'

type Ops = Pick<CloudWatchOperations, 'GetMetricStatistics' | 'ListMetrics'>

export function readMetricOperations(state: CloudWatchState): OperationTable<Ops> {
  return {
    GetMetricStatistics: (input, ctx) => {
      checkNamespace(input.Namespace)
      checkLength(input.MetricName, 'metricName', 1, 255)
      checkDimensions(input.Dimensions, 'dimensions')
      checkEnum(input.Unit, 'unit', units)
      const statistics = input.Statistics ?? []
      const extended = input.ExtendedStatistics ?? []
      if (statistics.length === 0 && extended.length === 0) {
        throw cloudWatchErrors.combination('Must specify either Statistics or ExtendedStatistics, but not both.')
      }
      statistics.forEach((s, i) => checkEnum(s, `statistics.${i + 1}.member`, simpleStatistics))
      if (statistics.length > 5) throw cloudWatchErrors.validation(`[${statistics.join(', ')}]`, 'statistics', 'Member must have length less than or equal to 5')
      if (extended.length > 10) throw cloudWatchErrors.validation(`[${extended.join(', ')}]`, 'extendedStatistics', 'Member must have length less than or equal to 10')
      for (const e of extended) {
        if (percentileOf(e) === undefined) throw cloudWatchErrors.invalidValue(`The value ${e} for parameter ExtendedStatistics is not supported.`)
      }
      if (!isValidPeriod(input.Period)) {
        throw cloudWatchErrors.invalidValue('The parameter Period must be 1, 5, 10, 20, 30, or any multiple of 60.')
      }
      const now = ctx.clock.now()
      const end = ms(input.EndTime)
      const start = roundStart(ms(input.StartTime), input.Period, now)
      if (ms(input.StartTime) >= end) throw cloudWatchErrors.invalidValue('The parameter StartTime must be less than the parameter EndTime.')
      const requested = Math.ceil((end - start) / (input.Period * 1000))
      if (requested > limits.maxStatisticsDatapoints) {
        throw cloudWatchErrors.combination(`You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of ` +
          `${limits.maxStatisticsDatapoints.toLocaleString('en-US')}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`)
      }
      const metric = state.region(ctx.caller.account, ctx.caller.region).metrics.find(input.Namespace, input.MetricName, input.Dimensions ?? [])
      const datapoints: Datapoint[] = []
      if (metric !== undefined) {
        for (const bucket of bucketsOf(metric, input.Period, start, end, now, input.Unit)) {
          const agg = aggregate(bucket.points)!
          const point: Datapoint = { Timestamp: new Date(bucket.t) }
          for (const s of statistics) {
            point[s] = s === 'SampleCount' ? agg.n : s === 'Sum' ? agg.sum : s === 'Minimum' ? agg.min : s === 'Maximum' ? agg.max : agg.sum / agg.n
          }
          if (extended.length > 0) {
            const values: Record<string, number> = {}
            for (const e of extended) {
              const v = percentile(bucket.points, percentileOf(e)!)
              if (v !== undefined) values[e] = v
            }
            point.ExtendedStatistics = values
          }
          point.Unit = (input.Unit ?? bucket.points[0]!.unit) as Datapoint['Unit']
          datapoints.push(point)
        }
      }
      // "Data points are not returned in chronological order" (API reference): AWS's order is its
      // storage's; Nimbus answers newest first, so clients that sort are the ones that work.
      datapoints.reverse()
      return { Label: input.MetricName, Datapoints: datapoints }
    },

    ListMetrics: (input, ctx) => {
      checkNamespace(input.Namespace)
      checkLength(input.MetricName, 'metricName', 1, 255)
      if ((input.Dimensions?.length ?? 0) > 10) throw cloudWatchErrors.validation('[...]', 'dimensions', 'Member must have length less than or equal to 10')
      checkEnum(input.RecentlyActive, 'recentlyActive', ['PT3H'])
      const now = ctx.clock.now()
      const offset = readPageToken('ListMetrics', input.NextToken)
      const all = state.region(ctx.caller.account, ctx.caller.region).metrics.list(
        { namespace: input.Namespace, name: input.MetricName, dimensions: input.Dimensions },
        input.RecentlyActive === 'PT3H' ? now - limits.recentlyActiveMs : undefined, now)
      const page = all.slice(offset, offset + limits.listMetricsPage)
      const next = offset + page.length
      return {
        Metrics: page.map((m) => ({ Namespace: m.namespace, MetricName: m.name, Dimensions: m.dimensions.map((d) => ({ ...d })) })),
        ...(next < all.length && { NextToken: pageToken('ListMetrics', next) }),
      }
    },
  }
}
