// The console API over Auto Scaling: a group made through the real SDK client appears with its sizes,
// its page lists instances and activities, charts desired capacity and instances over clock time,
// and its set-desired action scales it through SetDesiredCapacity.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutScheduledUpdateGroupActionCommand } from '@aws-sdk/client-auto-scaling'
import { activities, asgClient, describeGroup, group } from '../../helpers/autoscaling.ts'
import { consoleAction, consoleRead, type Json } from '../../helpers/console.ts'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

const resource = (id: string) => consoleRead(nimbus.current, `/_nimbus/api/resource?service=autoscaling&type=group&id=${encodeURIComponent(id)}`)

describe('console API: Auto Scaling', () => {
  it('lists a group with its sizes and charts its instances from its activities', async () => {
    const name = await group(nimbus.current, { min: 1, max: 4, desired: 2 })
    nimbus.current.clock.advance(60_000)
    const { items } = await consoleRead(nimbus.current, `/_nimbus/api/resources?service=autoscaling&type=group&q=${name}`)
    assert.equal(items.length, 1)
    assert.deepEqual({ ...items[0].fields, created: undefined }, { min: 1, desired: 2, max: 4, inService: 2, instances: 2,
      zones: 'us-east-1a, us-east-1b', created: undefined })

    const detail = await resource(items[0].id)
    const instances = detail.sections.find((s: Json) => s.title === 'Instances').data.rows
    assert.deepEqual(instances.map((r: Json) => r.state), ['InService', 'InService'])
    const listed = detail.sections.find((s: Json) => s.title === 'Activities').data.rows
    const fromApi = (await activities(nimbus.current, name)).reverse()
    assert.deepEqual(listed.map((r: Json) => r.description), fromApi.map((a) => a.Description))
    const [chart] = detail.charts
    assert.deepEqual(chart.series.map((s: Json) => s.label), ['Desired', 'Instances'])
    assert.deepEqual(chart.series[0].points.map((p: Json) => p[1]), [2])
    assert.equal(chart.series[1].points.at(-1)[1], 2)
    assert.deepEqual(chart.thresholds, [{ label: 'Min', value: 1 }, { label: 'Max', value: 4 }])
  })

  it('sets desired capacity through the service, and refuses what SetDesiredCapacity refuses', async () => {
    const name = await group(nimbus.current, { min: 0, max: 3, desired: 0 })
    const id = (await describeGroup(nimbus.current, name)).AutoScalingGroupARN!
    const done = await consoleAction(nimbus.current, { service: 'autoscaling', type: 'group', id, action: 'set-desired', params: { desired: 3 } })
    assert.equal(done.status, 200)
    nimbus.current.clock.advance(60_000)
    const detail = await resource(id)
    assert.deepEqual(detail.charts[0].series[0].points.map((p: Json) => p[1]), [0, 0, 3])
    assert.equal(detail.charts[0].series[1].points.at(-1)[1], 3)
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 3)
    const refused = await consoleAction(nimbus.current, { service: 'autoscaling', type: 'group', id, action: 'set-desired', params: { desired: 5 } })
    assert.equal(refused.status, 400)
    assert.equal(refused.body.error, 'ValidationError')
  })

  it("lists a scheduled action's next run in the clock's due list", async () => {
    const name = await group(nimbus.current, { min: 0, max: 3, desired: 0 })
    const at = new Date(Math.ceil((nimbus.current.clock.now() + 3_600_000) / 60_000) * 60_000)
    await asgClient(nimbus.current).send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: name, ScheduledActionName: 'morning',
      StartTime: at, DesiredCapacity: 2 }))
    const { due } = await consoleRead(nimbus.current, '/_nimbus/clock/next?limit=100')
    assert.ok(due.some((d: Json) => d.service === 'autoscaling' && d.at === at.getTime() && d.what === `scheduled action morning of ${name}`),
      JSON.stringify(due))
  })
})
