// Scheduled actions end to end on the manual clock: a one-off action (deleted once run), a cron
// Recurrence in a time zone (StartTime shows the next run), batch put/delete with their failures,
// the exact activity cause, and the ScheduledActions process suspended.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  BatchDeleteScheduledActionCommand, BatchPutScheduledUpdateGroupActionCommand, DeleteScheduledActionCommand, DescribeScheduledActionsCommand,
  PutScheduledUpdateGroupActionCommand, ResumeProcessesCommand, SuspendProcessesCommand,
} from '@aws-sdk/client-auto-scaling'
import { activities, asgClient, describeGroup, group } from '../../helpers/autoscaling.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const start = Date.parse('2026-12-07T00:00:00Z') // a Monday
const nimbus = useNimbus({ clockStart: start })
const hour = 3_600_000

describe('scheduled actions', () => {
  it('runs a one-off action at its StartTime, then deletes it', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 1, max: 4, desired: 1, name: 'once' })
    await client.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: name, ScheduledActionName: 'burst',
      StartTime: new Date(start + hour), MaxSize: 6, DesiredCapacity: 3 }))
    const { ScheduledUpdateGroupActions: listed } = await client.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: name }))
    assert.equal(listed!.length, 1)
    assert.match(listed![0]!.ScheduledActionARN!, /^arn:aws:autoscaling:us-east-1:000000000000:scheduledUpdateGroupAction:[0-9a-f-]{36}:autoScalingGroupName\/once:scheduledActionName\/burst$/)
    assert.deepEqual([listed![0]!.StartTime!.getTime(), listed![0]!.DesiredCapacity, listed![0]!.MaxSize, listed![0]!.MinSize], [start + hour, 3, 6, undefined])
    await advance(nimbus.current, hour - 1)
    assert.equal((await describeGroup(nimbus.current, name)).DesiredCapacity, 1)
    await advance(nimbus.current, 1)
    const g = await describeGroup(nimbus.current, name)
    assert.deepEqual([g.MinSize, g.MaxSize, g.DesiredCapacity], [1, 6, 3])
    const causes = (await activities(nimbus.current, name)).filter((a) => a.StartTime!.getTime() === start + hour).map((a) => a.Cause!.split('  ')[0])
    assert.deepEqual(causes, Array(2).fill('At 2026-12-07T01:00:00Z a scheduled action update of AutoScalingGroup constraints to min: 1, max: 6, desired: 3 changing the desired capacity from 1 to 3.'))
    const { ScheduledUpdateGroupActions: after } = await client.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: name }))
    assert.deepEqual(after, [])
  })

  it('recurs by cron in its time zone; skipped while ScheduledActions is suspended', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 1, max: 5, desired: 1, name: 'daily' })
    // 08:00 in New York is 13:00Z in December; 18:00 is 23:00Z.
    await client.send(new BatchPutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: name, ScheduledUpdateGroupActions: [
      { ScheduledActionName: 'morning', Recurrence: '0 8 * * MON-FRI', TimeZone: 'America/New_York', MinSize: 3 },
      { ScheduledActionName: 'evening', Recurrence: '0 18 * * MON-FRI', TimeZone: 'America/New_York', MinSize: 1, DesiredCapacity: 1 },
    ] }))
    const next = async () => Object.fromEntries((await client.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: name })))
      .ScheduledUpdateGroupActions!.map((a) => [a.ScheduledActionName, a.StartTime!.toISOString()]))
    const day = Math.floor(nimbus.current.clock.now() / (24 * hour)) * 24 * hour
    assert.deepEqual(await next(), { evening: new Date(day + 23 * hour).toISOString(), morning: new Date(day + 13 * hour).toISOString() })
    await advance(nimbus.current, day + 13 * hour - nimbus.current.clock.now())
    let g = await describeGroup(nimbus.current, name)
    assert.deepEqual([g.MinSize, g.DesiredCapacity], [3, 3])
    await advance(nimbus.current, 10 * hour)
    g = await describeGroup(nimbus.current, name)
    assert.deepEqual([g.MinSize, g.DesiredCapacity], [1, 1])
    assert.deepEqual(await next(), { evening: new Date(day + 47 * hour).toISOString(), morning: new Date(day + 37 * hour).toISOString() })
    await client.send(new SuspendProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: ['ScheduledActions'] }))
    await advance(nimbus.current, 14 * hour)
    assert.equal((await describeGroup(nimbus.current, name)).MinSize, 1)
    await client.send(new ResumeProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: ['ScheduledActions'] }))
    await advance(nimbus.current, 24 * hour)
    assert.equal((await describeGroup(nimbus.current, name)).MinSize, 3)
  })

  it('answers AWS errors; batch calls list their failures', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 2, desired: 0, name: 'errors' })
    const now = nimbus.current.clock.now()
    const bad = async (input: Record<string, unknown>) => (await sdkError(client.send(new PutScheduledUpdateGroupActionCommand({
      AutoScalingGroupName: name, ScheduledActionName: 'x', ...input })))).message
    assert.equal(await bad({ StartTime: new Date(now - 60_000), DesiredCapacity: 1 }), 'Given start time is in the past')
    assert.equal(await bad({ Recurrence: '* * *', DesiredCapacity: 1 }), 'Invalid recurrence: * * *')
    assert.equal(await bad({ Recurrence: '0 * * * *', TimeZone: 'Mars/Base', DesiredCapacity: 1 }), 'Invalid time zone: Mars/Base')
    assert.equal(await bad({ Recurrence: '0 * * * *' }), 'At least one of MinSize, MaxSize or DesiredCapacity must be specified.')
    assert.equal(await bad({ Recurrence: '0 * * * *', MinSize: 3, MaxSize: 2 }), 'Max bound, 2, must be greater than or equal to min bound, 3')
    const put = await client.send(new BatchPutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: name, ScheduledUpdateGroupActions: [
      { ScheduledActionName: 'ok', Recurrence: '0 * * * *', DesiredCapacity: 1 },
      { ScheduledActionName: 'late', StartTime: new Date(now - 1000), DesiredCapacity: 1 },
    ] }))
    assert.deepEqual(put.FailedScheduledUpdateGroupActions, [{ ScheduledActionName: 'late', ErrorCode: 'ValidationError', ErrorMessage: 'Given start time is in the past' }])
    const del = await client.send(new BatchDeleteScheduledActionCommand({ AutoScalingGroupName: name, ScheduledActionNames: ['ok', 'ghost'] }))
    assert.deepEqual(del.FailedScheduledActions, [{ ScheduledActionName: 'ghost', ErrorCode: 'ValidationError', ErrorMessage: 'Scheduled action name not found' }])
    assert.deepEqual(await sdkError(client.send(new DeleteScheduledActionCommand({ AutoScalingGroupName: name, ScheduledActionName: 'ok' }))),
      { name: 'ValidationError', code: 'ValidationError', message: 'Scheduled action name not found', status: 400 })
  })
})
