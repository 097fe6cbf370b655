// EnableMetricsCollection, DisableMetricsCollection and DescribeMetricCollectionTypes: which
// AWS/AutoScaling group metrics a group publishes (group-metrics.ts), at AWS's only granularity.
import type { OperationTable } from '../../service.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations } from '../generated/types.ts'
import { granularities, groupMetricNames } from '../group-metrics.ts'
import type { Scaler } from '../scaler.ts'
import type { AutoScalingState } from '../store.ts'

function checkMetrics(names: readonly string[]): void {
  const bad = names.filter((n) => !(groupMetricNames as readonly string[]).includes(n))
  if (bad.length > 0) throw autoScalingErrors.validation(`Invalid metrics: [${bad.join(', ')}]`) // [R]
}

export function metricsCollectionOperations(state: AutoScalingState, scaler: Scaler): OperationTable<AutoScalingOperations> {
  return {
    EnableMetricsCollection: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      if (!granularities.includes(input.Granularity)) {
        throw autoScalingErrors.validation(`Invalid granularity: ${input.Granularity}. Valid granularities are: [${granularities.join(', ')}]`) // [R]
      }
      const names = input.Metrics ?? []
      checkMetrics(names)
      // No metrics named: all of them, as AWS does.
      const wanted = new Set([...group.enabledMetrics.map((m) => m.Metric), ...(names.length === 0 ? groupMetricNames : names)])
      group.enabledMetrics = groupMetricNames.filter((n) => wanted.has(n)).map((Metric) => ({ Metric, Granularity: input.Granularity }))
      scaler.metricsCollectionChanged(group)
    },

    DisableMetricsCollection: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      const names = input.Metrics ?? []
      checkMetrics(names)
      group.enabledMetrics = names.length === 0 ? [] : group.enabledMetrics.filter((m) => !names.includes(m.Metric))
      scaler.metricsCollectionChanged(group)
    },

    DescribeMetricCollectionTypes: () => ({
      Metrics: groupMetricNames.map((Metric) => ({ Metric })),
      Granularities: granularities.map((Granularity) => ({ Granularity })),
    }),
  }
}
