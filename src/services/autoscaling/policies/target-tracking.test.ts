// Target tracking: the alarms a policy owns (names, metric, thresholds, datapoints) and the proportional capacity.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { alarmSpecs, trackedMetric, trackingCapacity } from './target-tracking.ts'

const arn = 'arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:p:autoScalingGroupName/web:policyName/cpu'

describe('target tracking alarms', () => {
  it('AlarmHigh: 3 of 3 one-minute datapoints above the target; AlarmLow: 15 of 15 below 90 % of it', () => {
    const [high, low] = alarmSpecs({ PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 70 },
      'web', arn, { high: 'h-1', low: 'l-1' })
    assert.deepEqual({ ...high, metric: undefined }, { name: 'TargetTracking-web-AlarmHigh-h-1', metric: undefined,
      description: `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${arn}.`, period: 60, evaluationPeriods: 3, datapointsToAlarm: 3,
      threshold: 70, comparison: 'GreaterThanThreshold', alarmActions: [arn] })
    assert.equal(low!.name, 'TargetTracking-web-AlarmLow-l-1')
    assert.equal(low!.threshold, 63)
    assert.equal(low!.comparison, 'LessThanThreshold')
    assert.equal(low!.evaluationPeriods, 15)
    assert.deepEqual(high!.metric, { namespace: 'AWS/EC2', metricName: 'CPUUtilization', statistic: 'Average',
      dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web' }] })
  })
  it('DisableScaleIn: no AlarmLow', () => {
    const specs = alarmSpecs({ PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageNetworkIn' }, TargetValue: 1000, DisableScaleIn: true },
      'web', arn, { high: 'h', low: 'l' })
    assert.deepEqual(specs.map((s) => s.name), ['TargetTracking-web-AlarmHigh-h'])
    assert.equal(specs[0]!.metric.metricName, 'NetworkIn')
  })
  it('customized metrics, plain and metric math; ALB request count per target', () => {
    assert.deepEqual(trackedMetric({ CustomizedMetricSpecification: { Namespace: 'App', MetricName: 'Backlog',
      Dimensions: [{ Name: 'Queue', Value: 'q' }], Statistic: 'Maximum' }, TargetValue: 10 }, 'web'),
    { namespace: 'App', metricName: 'Backlog', dimensions: [{ Name: 'Queue', Value: 'q' }], statistic: 'Maximum', unit: undefined })
    const math = trackedMetric({ CustomizedMetricSpecification: { Metrics: [{ Id: 'e1', Expression: 'm1 / 2', ReturnData: true },
      { Id: 'm1', ReturnData: false, MetricStat: { Metric: { Namespace: 'App', MetricName: 'Jobs' }, Stat: 'Sum' } }] }, TargetValue: 10 }, 'web')
    assert.equal(math.metrics?.length, 2)
    assert.deepEqual(trackedMetric({ PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget',
      ResourceLabel: 'app/my-alb/778d41231b141a0f/targetgroup/my-tg/943f017f100becff' }, TargetValue: 1000 }, 'web').dimensions,
    [{ Name: 'TargetGroup', Value: 'targetgroup/my-tg/943f017f100becff' }])
  })
})

describe('target tracking capacity', () => {
  it('proportional to the metric, never against the direction', () => {
    assert.equal(trackingCapacity(2, 90, 50, 2, 'out'), 4) // 3.6 → 4
    assert.equal(trackingCapacity(4, 20, 50, 4, 'in'), 2) // 1.6 → 2
    assert.equal(trackingCapacity(4, 49, 50, 4, 'in'), 4)
    assert.equal(trackingCapacity(2, 60, 50, 5, 'out'), 5) // already more desired than needed
  })
})
