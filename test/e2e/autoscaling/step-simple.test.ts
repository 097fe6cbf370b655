// Simple and step scaling end to end on the manual clock: alarms (re-invoking each minute they stay
// in ALARM) running a simple policy that waits out its cooldown, a step policy choosing its step by
// the breach size and leaving warming-up instances out, ExecutePolicy and its errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ExecutePolicyCommand, PutScalingPolicyCommand } from '@aws-sdk/client-auto-scaling'
import { PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch'
import { activities, asgClient, describeGroup, group } from '../../helpers/autoscaling.ts'
import { cloudWatchClient } from '../../helpers/cloudwatch.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const start = Date.parse('2026-12-07T00:00:00Z')
const nimbus = useNimbus({ clockStart: start })
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`
const minute = 60_000

/** Advances to the next whole minute. */
async function toMinute(): Promise<number> {
  const now = nimbus.current.clock.now()
  await advance(nimbus.current, Math.ceil((now + 1) / minute) * minute - now)
  return nimbus.current.clock.now()
}

const put = (metric: string, value: number) => cloudWatchClient(nimbus.current).send(new PutMetricDataCommand({
  Namespace: 'App', MetricData: [{ MetricName: metric, Value: value, Timestamp: new Date(nimbus.current.clock.now()) }],
}))
const alarm = (name: string, metric: string, threshold: number, policyArn: string) => cloudWatchClient(nimbus.current).send(new PutMetricAlarmCommand({
  AlarmName: name, Namespace: 'App', MetricName: metric, Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: threshold,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'ignore', AlarmActions: [policyArn],
}))
/** The causes' first sentences of the launches, by instant. */
const launchCauses = async (name: string) => [...new Set((await activities(nimbus.current, name))
  .filter((a) => a.Description!.startsWith('Launching')).map((a) => a.Cause!.split('  ')[0]!))]

describe('simple scaling', () => {
  it('scales each minute the alarm stays in ALARM, once its cooldown is over', async () => {
    const name = await group(nimbus.current, { min: 1, max: 5, desired: 1, name: 'simple' })
    const { PolicyARN } = await asgClient(nimbus.current).send(new PutScalingPolicyCommand({ AutoScalingGroupName: name, PolicyName: 'add-one',
      AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 1, Cooldown: 120 }))
    const t0 = await toMinute()
    await alarm('backlog-high', 'Backlog', 100, PolicyARN!)
    await put('Backlog', 150)
    // ALARM at +1 min (+1 → 2, cooldown 120 s); the alarm re-invokes each minute: +3 min → 3, +5 min → 4, +7 min → 5 (max).
    await advance(nimbus.current, 10 * minute)
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 5)
    const cause = (t: number, from: number) => `At ${iso(t0 + t * minute)} a monitor alarm backlog-high in state ALARM triggered policy add-one changing the desired capacity from ${from} to ${from + 1}.`
    assert.deepEqual((await launchCauses(name)).slice(1), [cause(1, 1), cause(3, 2), cause(5, 3), cause(7, 4)])

    // ExecutePolicy with HonorCooldown inside the cooldown is refused; without it, it runs (at max: nothing changes).
    await asgClient(nimbus.current).send(new PutScalingPolicyCommand({ AutoScalingGroupName: name, PolicyName: 'remove-one',
      AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: -1 }))
    const t1 = nimbus.current.clock.now()
    await asgClient(nimbus.current).send(new ExecutePolicyCommand({ AutoScalingGroupName: name, PolicyName: 'remove-one' }))
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 4)
    const busy = await sdkError(asgClient(nimbus.current).send(new ExecutePolicyCommand({ AutoScalingGroupName: name, PolicyName: 'remove-one', HonorCooldown: true })))
    assert.equal(busy.name, 'ScalingActivityInProgressFault')
    assert.equal(busy.status, 400)
    const last = (await activities(nimbus.current, name)).at(-1)!
    assert.equal(last.Cause!.split('  ')[0], `At ${iso(t1)} a user request executed policy remove-one changing the desired capacity from 5 to 4.`)
  })
})

describe('step scaling', () => {
  it('picks the step by the breach size; instances warming up are not counted again', async () => {
    const name = await group(nimbus.current, { min: 1, max: 10, desired: 2, name: 'step' })
    const { PolicyARN } = await asgClient(nimbus.current).send(new PutScalingPolicyCommand({ AutoScalingGroupName: name, PolicyName: 'steps',
      PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity', EstimatedInstanceWarmup: 300, MetricAggregationType: 'Maximum',
      StepAdjustments: [{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 20, ScalingAdjustment: 3 }] }))
    await advance(nimbus.current, 10 * minute) // both instances warmed up
    const t0 = await toMinute()
    await alarm('load-high', 'Load', 50, PolicyARN!)
    await put('Load', 55) // breach 5: +1 → 3 at +1 min
    await advance(nimbus.current, minute)
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 3)
    await put('Load', 56) // +1 again: 2 warmed up + 1 = 3, already desired
    await advance(nimbus.current, minute)
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 3)
    await put('Load', 75) // breach 25: +3 on the 2 warmed up = 5 (AWS adds only 2: one is still warming up)
    await advance(nimbus.current, minute)
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 5)
    const cause = (t: number, from: number, to: number) => `At ${iso(t0 + t * minute)} a monitor alarm load-high in state ALARM triggered policy steps changing the desired capacity from ${from} to ${to}.`
    assert.deepEqual((await launchCauses(name)).slice(1), [cause(1, 2, 3), cause(3, 3, 5)])

    // ExecutePolicy gives a step policy its metric value and threshold.
    await asgClient(nimbus.current).send(new ExecutePolicyCommand({ AutoScalingGroupName: name, PolicyName: 'steps', MetricValue: 100, BreachThreshold: 50 }))
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 5) // 2 warmed up + 3 = 5
    const missing = await sdkError(asgClient(nimbus.current).send(new ExecutePolicyCommand({ AutoScalingGroupName: name, PolicyName: 'steps' })))
    assert.deepEqual(missing, { name: 'ValidationError', code: 'ValidationError', message: 'MetricValue is required for policy type StepScaling.', status: 400 })
  })

  it('PercentChangeInCapacity with MinAdjustmentMagnitude; AWS errors for bad policies', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 1, max: 20, desired: 4, name: 'percent' })
    await client.send(new PutScalingPolicyCommand({ AutoScalingGroupName: name, PolicyName: 'pct', AdjustmentType: 'PercentChangeInCapacity',
      ScalingAdjustment: 10, MinAdjustmentMagnitude: 2 }))
    await client.send(new ExecutePolicyCommand({ AutoScalingGroupName: name, PolicyName: 'pct' }))
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 6) // 10 % of 4 = 0.4 → 1, raised to 2
    const bad = async (input: Record<string, unknown>) => (await sdkError(client.send(new PutScalingPolicyCommand({
      AutoScalingGroupName: name, PolicyName: 'bad', ...input })))).message
    assert.equal(await bad({ AdjustmentType: 'ChangeInCapacity' }), 'ScalingAdjustment is required for policy type SimpleScaling.')
    assert.equal(await bad({ PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity',
      StepAdjustments: [{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 5, ScalingAdjustment: 2 }] }),
    'Step adjustments must not overlap')
    assert.equal(await bad({ PolicyType: 'TargetTrackingScaling', TargetTrackingConfiguration: { TargetValue: 50 } }),
      'Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be specified.')
    assert.equal((await sdkError(client.send(new PutScalingPolicyCommand({ AutoScalingGroupName: 'nope', PolicyName: 'p',
      AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 1 })))).message, 'AutoScalingGroup name not found - AutoScalingGroup nope not found')
    await client.send(new PutScalingPolicyCommand({ AutoScalingGroupName: name, PolicyName: 'tt', PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 40, DisableScaleIn: true } }))
    assert.equal((await sdkError(client.send(new ExecutePolicyCommand({ AutoScalingGroupName: name, PolicyName: 'tt' })))).message,
      'ExecutePolicy is not supported for policy type TargetTrackingScaling.')
  })
})
