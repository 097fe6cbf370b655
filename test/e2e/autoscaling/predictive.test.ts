// Predictive scaling end to end: two days of a daily CPU pattern (the EC2 hook) give
// GetPredictiveScalingForecast's hourly load and capacity; ForecastAndScale raises desired capacity
// at the forecast hour and never lowers it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetPredictiveScalingForecastCommand, PutScalingPolicyCommand } from '@aws-sdk/client-auto-scaling'
import { asgClient, describeGroup, group } from '../../helpers/autoscaling.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const start = Date.parse('2026-12-07T00:00:00Z')
const nimbus = useNimbus({ clockStart: start })
const hour = 3_600_000

const cpu = async (ids: string[], percent: number) => {
  for (const id of ids) {
    await rawRequest(nimbus.current.endpoint, { path: `/_nimbus/ec2/instances/${id}/cpu`, headers: jsonHeaders, body: JSON.stringify({ percent }) })
  }
}

describe('predictive scaling', () => {
  it('forecasts from the daily pattern and scales ahead of it with ForecastAndScale', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 2, max: 10, desired: 2, name: 'daily' })
    const ids = (await describeGroup(nimbus.current, name)).Instances!.map((i) => i.InstanceId!)
    const policy = (Mode: 'ForecastOnly' | 'ForecastAndScale') => client.send(new PutScalingPolicyCommand({
      AutoScalingGroupName: name, PolicyName: 'predict', PolicyType: 'PredictiveScaling',
      PredictiveScalingConfiguration: { Mode, MetricSpecifications: [{ TargetValue: 40, PredefinedMetricPairSpecification: { PredefinedMetricType: 'ASGCPUUtilization' } }] },
    }))
    await policy('ForecastOnly')
    const forecastNow = () => client.send(new GetPredictiveScalingForecastCommand({ AutoScalingGroupName: name, PolicyName: 'predict',
      StartTime: new Date(nimbus.current.clock.now()), EndTime: new Date(nimbus.current.clock.now() + 48 * hour) }))
    assert.deepEqual((await forecastNow()).CapacityForecast, { Timestamps: [], Values: [] }) // under 24 hours of history
    // Two days: 20 % at night, 80 % from 09:00 to 17:00 UTC.
    await cpu(ids, 20)
    for (let d = 0; d < 2; d++) {
      await advance(nimbus.current, 9 * hour)
      await cpu(ids, 80)
      await advance(nimbus.current, 8 * hour)
      await cpu(ids, 20)
      await advance(nimbus.current, 7 * hour)
    }
    const f = await forecastNow()
    assert.equal(f.CapacityForecast!.Values!.length, 48)
    assert.equal(f.CapacityForecast!.Timestamps![0]!.getTime(), start + 48 * hour)
    // 2 instances × 80 % / 40 % target = 4 by day; 2 × 20 / 40 = 1 at night.
    assert.deepEqual(f.CapacityForecast!.Values!.slice(0, 24), [...Array(9).fill(1), ...Array(8).fill(4), ...Array(7).fill(1)])
    assert.equal(f.LoadForecast![0]!.Values![12], 160)
    assert.equal(f.UpdateTime!.getTime(), start + 48 * hour)

    await policy('ForecastAndScale')
    await advance(nimbus.current, 9 * hour - 1)
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 2)
    await advance(nimbus.current, 1)
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 4)
    await advance(nimbus.current, 10 * hour) // the night forecast (1) never scales in
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 4)
    assert.equal((await sdkError(client.send(new GetPredictiveScalingForecastCommand({ AutoScalingGroupName: name, PolicyName: 'nope',
      StartTime: new Date(start), EndTime: new Date(start + hour) })))).message, `No predictive scaling policy named nope found for AutoScalingGroup ${name}`)
  })
})
