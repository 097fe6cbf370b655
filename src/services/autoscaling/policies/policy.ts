// A scaling policy as plain data (its own persistence row): what PutScalingPolicy gave it, the
// alarms a target tracking policy owns, and the output shape DescribePolicies lists it in.
import type { PredictiveScalingConfiguration, ScalingPolicy, StepAdjustment } from '../generated/types.ts'
import type { AdjustmentType } from './adjustment.ts'
import type { TargetTrackingConfiguration } from './target-tracking.ts'

export type PolicyType = 'SimpleScaling' | 'StepScaling' | 'TargetTrackingScaling' | 'PredictiveScaling'

export const policyTypes: readonly string[] = ['SimpleScaling', 'StepScaling', 'TargetTrackingScaling', 'PredictiveScaling']

export interface PolicyRecord {
  account: string
  region: string
  group: string
  name: string
  /** The uuid inside its ARN. */
  id: string
  arn: string
  type: PolicyType
  enabled: boolean
  adjustmentType?: AdjustmentType
  scalingAdjustment?: number
  minAdjustmentMagnitude?: number
  cooldown?: number
  metricAggregationType?: string
  stepAdjustments?: StepAdjustment[]
  estimatedInstanceWarmup?: number
  targetTracking?: TargetTrackingConfiguration
  predictive?: PredictiveScalingConfiguration
  /** Target tracking's own alarms (created and deleted with it). */
  alarms: { AlarmName: string; AlarmARN: string }[]
}

/** arn:aws:autoscaling:<region>:<account>:scalingPolicy:<uuid>:autoScalingGroupName/<group>:policyName/<name>, as AWS forms it. */
export function policyArn(account: string, region: string, id: string, group: string, name: string): string {
  return `arn:aws:autoscaling:${region}:${account}:scalingPolicy:${id}:autoScalingGroupName/${group}:policyName/${name}`
}

/** The group and policy names an ARN names, or undefined when it is not a scaling policy ARN. */
export function parsePolicyArn(arn: string): { account: string; region: string; id: string; group: string; name: string } | undefined {
  const m = /^arn:aws[\w-]*:autoscaling:([^:]+):(\d{12}):scalingPolicy:([^:]+):autoScalingGroupName\/(.+):policyName\/(.+)$/.exec(arn)
  return m === null ? undefined : { region: m[1]!, account: m[2]!, id: m[3]!, group: m[4]!, name: m[5]! }
}

export function policyOutput(p: PolicyRecord): ScalingPolicy {
  return {
    AutoScalingGroupName: p.group, PolicyName: p.name, PolicyARN: p.arn, PolicyType: p.type,
    ...(p.adjustmentType !== undefined && { AdjustmentType: p.adjustmentType }),
    ...(p.minAdjustmentMagnitude !== undefined && { MinAdjustmentStep: p.minAdjustmentMagnitude, MinAdjustmentMagnitude: p.minAdjustmentMagnitude }),
    ...(p.scalingAdjustment !== undefined && { ScalingAdjustment: p.scalingAdjustment }),
    ...(p.cooldown !== undefined && { Cooldown: p.cooldown }),
    ...(p.stepAdjustments !== undefined && { StepAdjustments: p.stepAdjustments }),
    ...(p.type === 'StepScaling' && { MetricAggregationType: p.metricAggregationType ?? 'Average' }),
    ...(p.estimatedInstanceWarmup !== undefined && { EstimatedInstanceWarmup: p.estimatedInstanceWarmup }),
    Alarms: p.alarms,
    ...(p.targetTracking !== undefined && { TargetTrackingConfiguration: { ...p.targetTracking, DisableScaleIn: p.targetTracking.DisableScaleIn ?? false } as ScalingPolicy['TargetTrackingConfiguration'] }),
    Enabled: p.enabled,
    ...(p.predictive !== undefined && { PredictiveScalingConfiguration: p.predictive }),
  }
}
