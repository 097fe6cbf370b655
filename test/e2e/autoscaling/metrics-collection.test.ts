// Group metrics end to end on the manual clock: Enable/DisableMetricsCollection and
// DescribeMetricCollectionTypes, the AWS/AutoScaling datapoints CloudWatch serves from the group's
// history (one sample per minute, taken at the minute's start), and an alarm on
// GroupInServiceInstances that goes to ALARM when an instance leaves and back to OK once its
// replacement is InService.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeMetricCollectionTypesCommand, DisableMetricsCollectionCommand, EnableMetricsCollectionCommand,
  TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling'
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch'
import { asgClient, describeGroup, group } from '../../helpers/autoscaling.ts'
import { cloudWatchClient } from '../../helpers/cloudwatch.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const start = Date.parse('2026-12-07T00:00:00Z')
const nimbus = useNimbus({ clockStart: start })
const min = 60_000

const stats = async (name: string, metric: string, from: number, to: number) => {
  const { Datapoints } = await cloudWatchClient(nimbus.current).send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/AutoScaling', MetricName: metric, Dimensions: [{ Name: 'AutoScalingGroupName', Value: name }],
    StartTime: new Date(from), EndTime: new Date(to), Period: 60, Statistics: ['Average'],
  }))
  return Datapoints!.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime()).map((d) => [(d.Timestamp!.getTime() - start) / min, d.Average])
}

describe('group metrics collection', () => {
  it('enables and disables metrics, lists the types, and rejects what AWS rejects', async () => {
    const asg = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 2, desired: 0 })
    const types = await asg.send(new DescribeMetricCollectionTypesCommand({}))
    assert.deepEqual(types.Granularities, [{ Granularity: '1Minute' }])
    assert.equal(types.Metrics!.length, 20)
    assert.deepEqual(types.Metrics!.slice(0, 3).map((m) => m.Metric), ['GroupMinSize', 'GroupMaxSize', 'GroupDesiredCapacity'])
    assert.ok(types.Metrics!.some((m) => m.Metric === 'GroupInServiceCapacity'))

    await asg.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: name, Granularity: '1Minute', Metrics: ['GroupTotalInstances', 'GroupMinSize'] }))
    assert.deepEqual((await describeGroup(nimbus.current, name)).EnabledMetrics,
      [{ Metric: 'GroupMinSize', Granularity: '1Minute' }, { Metric: 'GroupTotalInstances', Granularity: '1Minute' }])
    await asg.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: name, Granularity: '1Minute' }))
    assert.equal((await describeGroup(nimbus.current, name)).EnabledMetrics!.length, 20, 'no metrics named: all of them')
    await asg.send(new DisableMetricsCollectionCommand({ AutoScalingGroupName: name, Metrics: ['GroupMinSize'] }))
    assert.equal((await describeGroup(nimbus.current, name)).EnabledMetrics!.length, 19)
    await asg.send(new DisableMetricsCollectionCommand({ AutoScalingGroupName: name }))
    assert.deepEqual((await describeGroup(nimbus.current, name)).EnabledMetrics, [])

    const reject = async (send: Promise<unknown>, message: RegExp) => {
      await assert.rejects(send, (e: Error & { Code?: string }) => {
        assert.equal(e.name, 'ValidationError')
        assert.match(e.message, message)
        return true
      })
    }
    await reject(asg.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: name, Granularity: '5Minute' })), /granularit/i)
    await reject(asg.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: name, Granularity: '1Minute', Metrics: ['GroupBogus'] })), /GroupBogus/)
    await reject(asg.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: 'nope', Granularity: '1Minute' })), /AutoScalingGroup nope not found/)
  })

  it('publishes sampled datapoints each minute, and an alarm on GroupInServiceInstances follows a replacement', async () => {
    const asg = asgClient(nimbus.current)
    const cw = cloudWatchClient(nimbus.current)
    const t0 = nimbus.current.clock.now() - start
    assert.equal(t0, 0)
    const name = await group(nimbus.current, { min: 1, max: 4, desired: 2, name: 'metrics' })
    await asg.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: name, Granularity: '1Minute' }))
    // Pending from 0, InService at +10 s: the sample at +1 min sees them.
    await advance(nimbus.current, 3 * min)
    assert.deepEqual(await stats(name, 'GroupPendingInstances', start, start + 3 * min), [[0, 2], [1, 0], [2, 0]])
    assert.deepEqual(await stats(name, 'GroupInServiceInstances', start, start + 3 * min), [[0, 0], [1, 2], [2, 2]])
    assert.deepEqual(await stats(name, 'GroupTotalInstances', start, start + 3 * min), [[0, 2], [1, 2], [2, 2]])
    assert.deepEqual(await stats(name, 'GroupDesiredCapacity', start, start + 3 * min), [[0, 2], [1, 2], [2, 2]])
    assert.deepEqual(await stats(name, 'GroupMaxSize', start, start + 3 * min), [[0, 4], [1, 4], [2, 4]])
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/AutoScaling', Dimensions: [{ Name: 'AutoScalingGroupName', Value: name }] }))
    assert.equal(listed.Metrics!.length, 20)

    await cw.send(new PutMetricAlarmCommand({
      AlarmName: 'in-service-low', Namespace: 'AWS/AutoScaling', MetricName: 'GroupInServiceInstances', Dimensions: [{ Name: 'AutoScalingGroupName', Value: name }],
      Statistic: 'Minimum', Period: 60, EvaluationPeriods: 1, Threshold: 2, ComparisonOperator: 'LessThanThreshold',
    }))
    // Created at +3 min, first evaluated at the next minute.
    await advance(nimbus.current, 2 * min)
    const state = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['in-service-low'] }))).MetricAlarms![0]!.StateValue
    assert.equal(await state(), 'OK')

    // At +5 min one instance leaves (desired stays 2): Terminating at once, its replacement Pending,
    // InService 10 s later. The sample at +5 min sees 1 in service, the one at +6 min 2 again.
    const victim = (await describeGroup(nimbus.current, name)).Instances![0]!.InstanceId!
    await asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: victim, ShouldDecrementDesiredCapacity: false }))
    await advance(nimbus.current, min - 1)
    assert.equal(await state(), 'OK', 'the minute from +5 min has not ended yet')
    await advance(nimbus.current, 1)
    assert.equal(await state(), 'ALARM')
    await advance(nimbus.current, min)
    assert.equal(await state(), 'OK')
    assert.deepEqual(await stats(name, 'GroupInServiceInstances', start + 4 * min, start + 7 * min), [[4, 2], [5, 1], [6, 2]])
    assert.deepEqual(await stats(name, 'GroupTerminatingInstances', start + 4 * min, start + 7 * min), [[4, 0], [5, 1], [6, 0]])
    const { AlarmHistoryItems } = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'in-service-low', HistoryItemType: 'StateUpdate' }))
    assert.deepEqual(AlarmHistoryItems!.map((h) => [(h.Timestamp!.getTime() - start) / min, h.HistorySummary]).reverse(), [
      [4, 'Alarm updated from INSUFFICIENT_DATA to OK'], [6, 'Alarm updated from OK to ALARM'], [7, 'Alarm updated from ALARM to OK'],
    ])

    // Disabled: no datapoints after the next sample.
    await asg.send(new DisableMetricsCollectionCommand({ AutoScalingGroupName: name }))
    await advance(nimbus.current, 3 * min)
    assert.deepEqual(await stats(name, 'GroupDesiredCapacity', start + 6 * min, start + 10 * min), [[6, 2]])
  })
})
