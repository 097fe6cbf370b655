// The narrow, typed port other services use to reach Auto Scaling (EC2 tells it that instances
// changed; CloudWatch's alarm actions run scaling policies through it; CloudWatch reads the groups'
// AWS/AutoScaling metrics from it). Types only.
import type { MetricSource } from '../cloudwatch/port.ts'

export interface AutoScalingGroupView {
  account: string
  region: string
  name: string
  arn: string
  minSize: number
  maxSize: number
  desiredCapacity: number
  instances: { instanceId: string; availabilityZone: string; lifecycleState: string; healthStatus: string }[]
}

/** What an alarm tells the policy it invokes. */
export interface AlarmTrigger {
  alarmName: string
  alarmArn: string
  /** The state whose actions run (AWS invokes an Auto Scaling action again each minute the alarm stays in it). */
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'
  /** The evaluation instant (epoch ms). */
  at: number
  threshold: number | undefined
  /** The alarm's datapoints in its evaluation window, oldest first, missing ones left out: computed only when asked. */
  values(): number[]
}

export type AlarmActionOutcome = { ok: true } | { ok: false; error: string }

export interface AutoScalingPort {
  /** A group by name or ARN, settled to now; undefined when unknown. */
  group(account: string, region: string, name: string): AutoScalingGroupView | undefined
  /**
   * EC2 says one of the account's instances in the region changed (state, status checks): health
   * checks look again — the groups holding that instance, or every group when none is named.
   */
  instancesChanged(account: string, region: string, instanceId?: string): void
  /** An alarm action on arn:aws:autoscaling:…:scalingPolicy:…: runs the policy, or says why it could not (the alarm history records it). */
  runAlarmAction(policyArn: string, trigger: AlarmTrigger): AlarmActionOutcome
  /**
   * What IMDS shows at autoscaling/target-lifecycle-state for an instance in a group: the state its
   * lifecycle is heading to (InService, Standby, Detached, Terminated, Warmed:*); undefined outside groups.
   */
  targetLifecycleState(account: string, region: string, instanceId: string): string | undefined
  /** The groups' AWS/AutoScaling metrics (EnableMetricsCollection), read by CloudWatch as a metric source. */
  metrics: MetricSource
}
