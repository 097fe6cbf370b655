// Target tracking end to end on the manual clock: the policy's CloudWatch alarms (AWS's names and
// shape), scaling out under the EC2 CPU hook 3 minutes after the breach and back in after 15, with
// the exact activity causes; DescribePolicies; deleting the policy deletes its alarms.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DeletePolicyCommand, DescribePoliciesCommand, PutScalingPolicyCommand } from '@aws-sdk/client-auto-scaling'
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch'
import { activities, asgClient, describeGroup, group } from '../../helpers/autoscaling.ts'
import { cloudWatchClient } from '../../helpers/cloudwatch.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const start = Date.parse('2026-12-07T00:00:00Z')
const nimbus = useNimbus({ clockStart: start })
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`

const cpu = async (ids: string[], percent: number) => {
  for (const id of ids) {
    const r = await rawRequest(nimbus.current.endpoint, { path: `/_nimbus/ec2/instances/${id}/cpu`, headers: jsonHeaders, body: JSON.stringify({ percent }) })
    assert.equal(r.status, 200)
  }
}
const ids = async (name: string) => (await describeGroup(nimbus.current, name)).Instances!.map((i) => i.InstanceId!)

describe('target tracking', () => {
  it('scales out 3 minutes above the target and back in after 15 minutes below 90 % of it', async () => {
    const name = await group(nimbus.current, { min: 1, max: 6, desired: 2, name: 'web' })
    // Between the alarms' thresholds (45 and 50): neither fires.
    await cpu(await ids(name), 47)
    const put = await asgClient(nimbus.current).send(new PutScalingPolicyCommand({
      AutoScalingGroupName: name, PolicyName: 'cpu50', PolicyType: 'TargetTrackingScaling', EstimatedInstanceWarmup: 60,
      TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50 },
    }))
    assert.match(put.PolicyARN!, /^arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName\/web:policyName\/cpu50$/)
    const [high, low] = put.Alarms!
    assert.match(high!.AlarmName!, /^TargetTracking-web-AlarmHigh-[0-9a-f-]{36}$/)
    assert.match(low!.AlarmName!, /^TargetTracking-web-AlarmLow-[0-9a-f-]{36}$/)
    const { MetricAlarms } = await cloudWatchClient(nimbus.current).send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'TargetTracking-web-' }))
    const shape = (a: NonNullable<typeof MetricAlarms>[number]) => [a.Namespace, a.MetricName, a.Dimensions, a.Statistic, a.Period,
      a.EvaluationPeriods, a.DatapointsToAlarm, a.Threshold, a.ComparisonOperator, a.AlarmActions, a.AlarmDescription]
    assert.deepEqual(MetricAlarms!.map(shape), [
      ['AWS/EC2', 'CPUUtilization', [{ Name: 'AutoScalingGroupName', Value: 'web' }], 'Average', 60, 3, 3, 50, 'GreaterThanThreshold', [put.PolicyARN],
        `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${put.PolicyARN}.`],
      ['AWS/EC2', 'CPUUtilization', [{ Name: 'AutoScalingGroupName', Value: 'web' }], 'Average', 60, 15, 15, 45, 'LessThanThreshold', [put.PolicyARN],
        `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${put.PolicyARN}.`],
    ])

    // From +5 min, 90 %: the minutes ending at +6, +7, +8 min breach, AlarmHigh fires at +8 min; 2 × 90 / 50 = 3.6 → 4.
    await advance(nimbus.current, 300_000)
    await cpu(await ids(name), 90)
    await advance(nimbus.current, 179_000)
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 2)
    await advance(nimbus.current, 1_000)
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 4)
    // The load spreads over 4 instances (46 % each): no further scaling; from +10 min it drops to 10 %.
    await advance(nimbus.current, 20_000)
    await cpu(await ids(name), 46)
    await advance(nimbus.current, 100_000)
    await cpu(await ids(name), 10)
    // AlarmLow needs 15 one-minute datapoints under 45: the minutes from +10 min on, complete at +25 min; 4 × 10 / 50 = 0.8 → 1.
    await advance(nimbus.current, 15 * 60_000 - 1_000)
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 4)
    await advance(nimbus.current, 1_000)
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 1)
    await advance(nimbus.current, 120_000)
    const g = await describeGroup(nimbus.current, name)
    assert.equal(g.Instances!.length, 1)

    const history = (await activities(nimbus.current, name)).map((a) => [a.Description!.replace(/i-[0-9a-f]+/, 'i-x'), a.Cause!.split('  ')[0], a.StatusCode])
    const alarmCause = (alarm: string, t: number, from: number, to: number) =>
      `At ${iso(start + t)} a monitor alarm ${alarm} in state ALARM triggered policy cpu50 changing the desired capacity from ${from} to ${to}.`
    assert.deepEqual(history.filter(([, cause]) => cause!.includes('monitor alarm')).map(([d, c]) => [d!.split(':')[0], c]), [
      ['Launching a new EC2 instance', alarmCause(high!.AlarmName!, 480_000, 2, 4)],
      ['Launching a new EC2 instance', alarmCause(high!.AlarmName!, 480_000, 2, 4)],
      ['Terminating EC2 instance', alarmCause(low!.AlarmName!, 1_500_000, 4, 1)],
      ['Terminating EC2 instance', alarmCause(low!.AlarmName!, 1_500_000, 4, 1)],
      ['Terminating EC2 instance', alarmCause(low!.AlarmName!, 1_500_000, 4, 1)],
    ])

    const { ScalingPolicies } = await asgClient(nimbus.current).send(new DescribePoliciesCommand({ AutoScalingGroupName: name }))
    assert.deepEqual(ScalingPolicies!.map((p) => [p.PolicyName, p.PolicyType, p.EstimatedInstanceWarmup, p.Enabled, p.Alarms!.length,
      p.TargetTrackingConfiguration?.TargetValue, p.TargetTrackingConfiguration?.DisableScaleIn]), [['cpu50', 'TargetTrackingScaling', 60, true, 2, 50, false]])
    await asgClient(nimbus.current).send(new DeletePolicyCommand({ AutoScalingGroupName: name, PolicyName: 'cpu50' }))
    const after = await cloudWatchClient(nimbus.current).send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'TargetTracking-web-' }))
    assert.deepEqual(after.MetricAlarms, [])
  })
})
