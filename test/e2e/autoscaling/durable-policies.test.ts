// Scaling policies and scheduled actions across a restart on one data dir (in process): the same
// descriptions, target tracking's alarms still there and still acting, a scheduled action still firing.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AutoScalingClient, CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand, DescribeAutoScalingGroupsCommand, DescribePoliciesCommand,
  DescribeScheduledActionsCommand, PutScalingPolicyCommand, PutScheduledUpdateGroupActionCommand,
} from '@aws-sdk/client-auto-scaling'
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch'
import type { Nimbus } from '../../../src/index.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance, testCredentials } from '../../helpers/nimbus.ts'

const start = Date.parse('2026-12-07T00:00:00Z')
const asg = (n: Nimbus) => new AutoScalingClient({ endpoint: n.endpoint, region: 'us-east-1', credentials: testCredentials })
const cw = (n: Nimbus) => new CloudWatchClient({ endpoint: n.endpoint, region: 'us-east-1', credentials: testCredentials })

async function snapshot(n: Nimbus) {
  const policies = await asg(n).send(new DescribePoliciesCommand({ AutoScalingGroupName: 'durable' }))
  const actions = await asg(n).send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'durable' }))
  const alarms = await cw(n).send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'TargetTracking-durable-' }))
  return { policies: policies.ScalingPolicies, actions: actions.ScheduledUpdateGroupActions, alarms: alarms.MetricAlarms!.map((a) => [a.AlarmName, a.Threshold, a.AlarmActions]) }
}

describe('Auto Scaling policies and scheduled actions are durable', () => {
  it('survive a restart and keep acting', async () => {
    const d = await durableNimbus('asg-policies', { clockStart: start })
    await asg(d.nimbus).send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'lc', ImageId: 'ami-0c02fb55956c7d316', InstanceType: 't3.micro' }))
    await asg(d.nimbus).send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'durable', LaunchConfigurationName: 'lc', MinSize: 0, MaxSize: 4,
      DesiredCapacity: 0, AvailabilityZones: ['us-east-1a'] }))
    await asg(d.nimbus).send(new PutScalingPolicyCommand({ AutoScalingGroupName: 'durable', PolicyName: 'cpu', PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 60 } }))
    await asg(d.nimbus).send(new PutScalingPolicyCommand({ AutoScalingGroupName: 'durable', PolicyName: 'plus2', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 2 }))
    await asg(d.nimbus).send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'durable', ScheduledActionName: 'hourly',
      Recurrence: '30 * * * *', DesiredCapacity: 2 }))
    const before = await snapshot(d.nimbus)
    assert.equal(before.policies!.length, 2)
    assert.equal(before.alarms.length, 2)
    await d.restart()
    assert.deepEqual(await snapshot(d.nimbus), before)
    await advance(d.nimbus, 30 * 60_000)
    const { AutoScalingGroups } = await asg(d.nimbus).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['durable'] }))
    assert.equal(AutoScalingGroups![0]!.DesiredCapacity, 2)
    await d.stop()
  })
})
