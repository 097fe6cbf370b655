// PutScalingPolicy, DescribePolicies, DeletePolicy, ExecutePolicy and DescribeAdjustmentTypes.
import type { OperationTable } from '../../service.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations } from '../generated/types.ts'
import { adjustmentTypes } from '../policies/adjustment.ts'
import type { Policies } from '../policies/policies.ts'
import { parsePolicyArn, policyOutput, type PolicyRecord } from '../policies/policy.ts'
import { type GroupControl, runPolicy } from '../policies/runner.ts'
import { checkName, page } from './common.ts'

type Ops = Pick<AutoScalingOperations, 'PutScalingPolicy' | 'DescribePolicies' | 'DeletePolicy' | 'ExecutePolicy' | 'DescribeAdjustmentTypes'>

export function policyOperations(policies: Policies, control: GroupControl, now: () => number): OperationTable<Ops> {
  const state = policies.state
  /** A policy by name (within the group) or by ARN. */
  const find = (account: string, region: string, group: string | undefined, nameOrArn: string): PolicyRecord | undefined => {
    const parsed = parsePolicyArn(nameOrArn)
    if (parsed !== undefined) {
      const p = state.policy(account, region, parsed.group, parsed.name)
      return p?.arn === nameOrArn ? p : undefined
    }
    if (group !== undefined) return state.policy(account, region, control.find(account, region, group)?.name ?? group, nameOrArn)
    return state.listPolicies(account, region).find((p) => p.name === nameOrArn)
  }
  const notFound = (name: string) => autoScalingErrors.validation(`Policy ${name} not found`)

  return {
    PutScalingPolicy: (input, ctx) => {
      checkName(input.PolicyName, 'policyName')
      const group = control.find(ctx.caller.account, ctx.caller.region, input.AutoScalingGroupName)
      if (group === undefined) throw autoScalingErrors.groupNotFound(input.AutoScalingGroupName)
      const p = policies.put(group, input)
      return { PolicyARN: p.arn, ...(p.alarms.length > 0 && { Alarms: p.alarms }) }
    },
    DescribePolicies: (input, ctx) => {
      const { account, region } = ctx.caller
      const group = input.AutoScalingGroupName === undefined ? undefined
        : control.find(account, region, input.AutoScalingGroupName)?.name ?? input.AutoScalingGroupName
      let list = state.listPolicies(account, region, group)
      const names = input.PolicyNames ?? []
      if (names.length > 0) list = list.filter((p) => names.includes(p.name) || names.includes(p.arn))
      const types = input.PolicyTypes ?? []
      if (types.length > 0) list = list.filter((p) => types.includes(p.type))
      const { items, nextToken } = page('DescribePolicies', list, input.NextToken, input.MaxRecords)
      return { ScalingPolicies: items.map(policyOutput), ...(nextToken !== undefined && { NextToken: nextToken }) }
    },
    DeletePolicy: (input, ctx) => {
      const p = find(ctx.caller.account, ctx.caller.region, input.AutoScalingGroupName, input.PolicyName)
      if (p === undefined) throw notFound(input.PolicyName)
      policies.delete(p)
      return undefined
    },
    ExecutePolicy: (input, ctx) => {
      const { account, region } = ctx.caller
      const p = find(account, region, input.AutoScalingGroupName, input.PolicyName)
      if (p === undefined) throw notFound(input.PolicyName)
      if (p.type === 'TargetTrackingScaling' || p.type === 'PredictiveScaling') {
        throw autoScalingErrors.validation(`ExecutePolicy is not supported for policy type ${p.type}.`)
      }
      if (p.type === 'StepScaling' && (input.MetricValue === undefined || input.BreachThreshold === undefined)) {
        throw autoScalingErrors.validation(`${input.MetricValue === undefined ? 'MetricValue' : 'BreachThreshold'} is required for policy type StepScaling.`)
      }
      if (p.type === 'SimpleScaling' && (input.MetricValue !== undefined || input.BreachThreshold !== undefined)) {
        throw autoScalingErrors.validation(`${input.MetricValue !== undefined ? 'MetricValue' : 'BreachThreshold'} is not supported for policy type SimpleScaling.`)
      }
      const group = control.find(account, region, p.group)
      if (group === undefined) throw autoScalingErrors.groupNotFound(p.group)
      const at = now()
      // HonorCooldown (simple scaling): refused while the group's cooldown runs.
      if (p.type === 'SimpleScaling' && input.HonorCooldown === true && at < group.cooldownUntil) {
        throw autoScalingErrors.scalingActivityInProgress('Scaling activity is in progress and blocks this action')
      }
      const outcome = runPolicy(p, group, { kind: 'user', at, metricValue: input.MetricValue, breachThreshold: input.BreachThreshold }, control)
      if (!outcome.ok) throw autoScalingErrors.validation(outcome.error)
      return undefined
    },
    DescribeAdjustmentTypes: () => ({ AdjustmentTypes: adjustmentTypes.map((t) => ({ AdjustmentType: t })) }),
  }
}
