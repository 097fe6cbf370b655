// GetPredictiveScalingForecast: a predictive policy's load and capacity forecast between StartTime
// and EndTime (hourly, from the metric's last 14 days; empty under 24 hours of history).
import type { CloudWatchAlarms } from '../../cloudwatch/port.ts'
import type { OperationTable } from '../../service.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations } from '../generated/types.ts'
import type { PolicyState } from '../policies/policy-state.ts'
import type { GroupControl } from '../policies/runner.ts'
import { policyForecast } from '../predictive/predictive.ts'

type Ops = Pick<AutoScalingOperations, 'GetPredictiveScalingForecast'>

export function forecastOperations(state: PolicyState, control: GroupControl, cw: CloudWatchAlarms | undefined, now: () => number): OperationTable<Ops> {
  return {
    GetPredictiveScalingForecast: (input, ctx) => {
      const { account, region } = ctx.caller
      const group = control.find(account, region, input.AutoScalingGroupName)
      if (group === undefined) throw autoScalingErrors.groupNotFound(input.AutoScalingGroupName)
      const policy = state.policy(account, region, group.name, input.PolicyName)
      if (policy === undefined || policy.type !== 'PredictiveScaling') {
        throw autoScalingErrors.validation(`No predictive scaling policy named ${input.PolicyName} found for AutoScalingGroup ${group.name}`)
      }
      const from = input.StartTime.getTime()
      const to = input.EndTime.getTime()
      if (to <= from) throw autoScalingErrors.validation('EndTime must be after StartTime.')
      const t = now()
      const f = policyForecast(cw, policy, group, t)
      const keep = (f?.timestamps ?? []).map((ts, i) => [ts, i] as const).filter(([ts]) => ts >= from && ts < to)
      return {
        LoadForecast: [{ Timestamps: keep.map(([ts]) => new Date(ts)), Values: keep.map(([, i]) => f!.load[i]!),
          MetricSpecification: policy.predictive!.MetricSpecifications[0]! }],
        CapacityForecast: { Timestamps: keep.map(([ts]) => new Date(ts)), Values: keep.map(([, i]) => f!.capacity[i]!) },
        UpdateTime: new Date(Math.floor(t / 3_600_000) * 3_600_000),
      }
    },
  }
}
