// Runs a scaling policy when its alarm fires (or ExecutePolicy asks): the new desired capacity as
// AWS computes it for each policy type — simple scaling with its cooldown, step scaling by the
// breach size with instances still warming up left out of the current capacity, target tracking
// proportional to the metric (scale-in waits for warm-up) — within the group's min and max.
import { causeTime } from '../group-input.ts'
import { countsTowardCapacity, type Group, isSuspended } from '../group.ts'
import { adjustedCapacity, aggregateValues, clamp, pickStep } from './adjustment.ts'
import type { PolicyRecord } from './policy.ts'
import { trackingCapacity } from './target-tracking.ts'

/** How policies change a group (implemented over the group store and the control loop). */
export interface GroupControl {
  find(account: string, region: string, nameOrArn: string): Group | undefined
  /** New sizes; `cause` is the activity's first sentence ("At … a monitor alarm … changing the desired capacity from 1 to 2."). */
  resize(group: Group, sizes: { min?: number; max?: number; desired: number }, cause: string): void
}

export type Trigger =
  | { kind: 'alarm'; alarmName: string; at: number; threshold: number | undefined; values: () => number[] }
  | { kind: 'user'; at: number; metricValue?: number; breachThreshold?: number }

export type RunOutcome = { ok: true; from: number; to: number } | { ok: false; error: string }

/** Seconds a new instance warms up: the policy's EstimatedInstanceWarmup, the group's DefaultInstanceWarmup, else its DefaultCooldown. */
function warmupMs(policy: PolicyRecord, group: Group): number {
  return (policy.estimatedInstanceWarmup ?? group.defaultInstanceWarmup ?? group.defaultCooldown) * 1000
}

/** Instances counting toward capacity, split into warmed-up ones (reporting the metric) and those still warming up. */
export function capacityOf(group: Group, warmup: number, now: number): { ready: number; warming: number } {
  let ready = 0
  let warming = 0
  for (const i of group.instances) {
    if (!countsTowardCapacity(i)) continue
    if (i.state === 'InService' && (i.inServiceAt ?? i.launchTime) + warmup <= now) ready++
    else warming++
  }
  return { ready, warming }
}

function latest(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values[values.length - 1]
}

/** The desired capacity the policy asks for now, undefined when it asks for nothing. */
function wanted(policy: PolicyRecord, group: Group, trigger: Trigger, now: number): number | undefined {
  const desired = group.desired
  if (policy.type === 'SimpleScaling') {
    return adjustedCapacity(policy.adjustmentType ?? 'ChangeInCapacity', policy.scalingAdjustment ?? 0, desired, policy.minAdjustmentMagnitude)
  }
  const { ready, warming } = capacityOf(group, warmupMs(policy, group), now)
  if (policy.type === 'StepScaling') {
    const value = trigger.kind === 'user' ? trigger.metricValue : aggregateValues(trigger.values(), policy.metricAggregationType)
    const threshold = trigger.kind === 'user' ? trigger.breachThreshold : trigger.threshold
    if (value === undefined || threshold === undefined) return undefined
    const step = pickStep(policy.stepAdjustments ?? [], value, threshold)
    if (step === undefined) return undefined
    const type = policy.adjustmentType ?? 'ChangeInCapacity'
    if (type === 'ExactCapacity') return step.ScalingAdjustment
    // Scaling out, instances still warming up don't count as current capacity and what they add is
    // not added again (AWS's example: 10 ready + 30 % while one of an earlier +10 % warms up → 13).
    if (step.ScalingAdjustment > 0) return Math.max(desired, adjustedCapacity(type, step.ScalingAdjustment, ready, policy.minAdjustmentMagnitude))
    return adjustedCapacity(type, step.ScalingAdjustment, desired, policy.minAdjustmentMagnitude)
  }
  if (policy.type === 'TargetTrackingScaling' && trigger.kind === 'alarm') {
    const config = policy.targetTracking!
    const high = trigger.alarmName.includes('-AlarmHigh-')
    if (!high && (config.DisableScaleIn === true || warming > 0)) return undefined
    // Never against the alarm's direction: at max (scaling out) or min (in) nothing can change, and
    // the alarm's datapoints (read again on each once-a-minute repeat) need not be read.
    if (desired === (high ? group.max : group.min)) return desired
    const value = latest(trigger.values())
    if (value === undefined) return undefined
    return trackingCapacity(ready, value, config.TargetValue, desired, high ? 'out' : 'in')
  }
  return undefined
}

/** Runs it: the capacity change made (from = to when none was needed), or why it could not run. */
export function runPolicy(policy: PolicyRecord, group: Group, trigger: Trigger, control: GroupControl): RunOutcome {
  const from = group.desired
  if (!policy.enabled || (trigger.kind === 'alarm' && isSuspended(group, 'AlarmNotification'))) return { ok: true, from, to: from }
  // Simple scaling waits out the cooldown after its last activity (AWS rejects alarm invocations meanwhile).
  if (policy.type === 'SimpleScaling' && trigger.kind === 'alarm' && trigger.at < group.cooldownUntil) return { ok: true, from, to: from }
  const asked = wanted(policy, group, trigger, trigger.at)
  if (asked === undefined) return { ok: true, from, to: from }
  const to = clamp(asked, group.min, group.max)
  if (policy.type === 'SimpleScaling') group.cooldownUntil = trigger.at + (policy.cooldown ?? group.defaultCooldown) * 1000
  if (to === from) return { ok: true, from, to }
  const who = trigger.kind === 'alarm' ? `a monitor alarm ${trigger.alarmName} in state ALARM triggered` : 'a user request executed'
  control.resize(group, { desired: to }, `At ${causeTime(trigger.at)} ${who} policy ${policy.name} changing the desired capacity from ${from} to ${to}.`)
  return { ok: true, from, to }
}
