// Sourced metrics (port.ts MetricSource): steps → datapoints per aligned period, and the alarm
// schedule's change instants — checked against evaluating every minute over a long idle stretch.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Alarm, MetricAlarmConfig } from './alarm.ts'
import { decide, slotsAt } from './alarm-evaluation.ts'
import { nextTransition } from './alarm-schedule.ts'
import { Metrics } from './metrics.ts'
import type { SourcedSeries } from './port.ts'
import { SourcedMetric } from './sourced-metric.ts'

const min = 60_000
const series = (steps: SourcedSeries['steps'], combine: SourcedSeries['combine'] = 'average'): SourcedSeries =>
  ({ metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: 'i-1' }], unit: 'Percent', combine, steps })

describe('SourcedMetric', () => {
  it('ready-made 1-minute points: each once its minute has ended, statistics kept, change instants at their minutes', () => {
    const m = new SourcedMetric('AWS/SQS', { metricName: 'SentMessageSize', dimensions: [{ Name: 'QueueName', Value: 'q' }], unit: 'Bytes',
      combine: 'average', steps: [], points: [{ t: 0, n: 3, sum: 30, min: 5, max: 15 }, { t: 10 * min, n: 1, sum: 7, min: 7, max: 7 }] })
    assert.deepEqual(m.range(0, Infinity, 20 * min).map((p) => [p.t, p.n, p.sum, p.min, p.max, p.unit]),
      [[0, 3, 30, 5, 15, 'Bytes'], [10 * min, 1, 7, 7, 7, 'Bytes']])
    assert.deepEqual(m.range(0, Infinity, 10.5 * min).map((p) => p.t), [0], 'the minute at 10 has not ended')
    assert.deepEqual(m.range(min, Infinity, 20 * min).map((p) => p.t), [10 * min])
    assert.equal(m.lastActive(30 * min), 10 * min)
    const instants = m.changeInstants(min, 1, 5 * min)
    assert.ok(instants.includes(11 * min) && instants.includes(12 * min), 'it enters the window when its minute ends and leaves a minute later')
  })

  it('one datapoint per aligned period of the resolution, once it has ended; averages or maxima across changes', () => {
    const m = new SourcedMetric('AWS/EC2', series([{ t: 0, value: 10, resolution: 300 }, { t: 2.5 * min, value: 40, resolution: 300 },
      { t: 10 * min, value: undefined, resolution: 300 }]))
    assert.deepEqual(m.range(0, Infinity, 20 * min).map((p) => [p.t, p.sum]), [[0, 25], [5 * min, 40]])
    assert.deepEqual(m.range(0, Infinity, 9 * min).map((p) => p.t), [0], 'the second period has not ended at 9 minutes')
    const status = new SourcedMetric('AWS/EC2', series([{ t: 0, value: 0, resolution: 60 }, { t: 90_000, value: 1, resolution: 60 }], 'maximum'))
    assert.deepEqual(status.range(0, 3 * min, 10 * min).map((p) => p.sum), [0, 1, 1])
  })

  it('the lazy schedule finds the transitions a minute-by-minute evaluation finds, also at a finer alarm period than the data', () => {
    // A 60-s alarm on 5-minute data sees a datapoint only once it is published, 5 minutes after its
    // period began: its window must span more than that (as on AWS, else it never has data).
    for (const [resolution, period, treat, n] of [[60, 60, 'missing', 2], [300, 300, 'missing', 2], [300, 60, 'missing', 8],
      [300, 60, 'notBreaching', 12], [60, 300, 'notBreaching', 2]] as const) {
      const steps: SourcedSeries['steps'] = [{ t: 7 * min, value: 20, resolution }, { t: 61 * min, value: 90, resolution },
        { t: 95 * min + 5000, value: 20, resolution }, { t: 400 * min, value: undefined, resolution }]
      const metrics = new Metrics({ find: () => new SourcedMetric('AWS/EC2', series(steps)), list: () => [] })
      const config = { kind: 'metric', namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: 'i-1' }],
        statistic: 'Average', period, evaluationPeriods: n, datapointsToAlarm: Math.min(n, 2), threshold: 50, comparison: 'GreaterThanThreshold',
        treatMissingData: treat } as unknown as MetricAlarmConfig
      const walk = (stepper: (alarm: Alarm, t: number) => number | undefined) => {
        const alarm = { config, state: { value: 'INSUFFICIENT_DATA' } } as unknown as Alarm
        const out: [number, string][] = []
        for (let t = 0; t !== undefined && t < 600 * min;) {
          const at = stepper(alarm, t)
          if (at === undefined || at >= 600 * min) break
          const state = decide(config, slotsAt(config, metrics, at), alarm.state.value).state
          if (state !== alarm.state.value) out.push([at, state])
          alarm.state.value = state
          t = at + min
        }
        return out
      }
      const everyMinute = walk((_, t) => Math.ceil(t / min) * min)
      const lazy = walk((alarm, t) => nextTransition(alarm, metrics, t))
      assert.ok(everyMinute.length >= 2, `${resolution}/${period}: ${JSON.stringify(everyMinute)}`)
      assert.deepEqual(lazy, everyMinute, `resolution ${resolution} s, period ${period} s`)
    }
  })
})
