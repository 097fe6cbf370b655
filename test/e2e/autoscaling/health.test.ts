// Health and replacement on the manual clock: EC2 status checks after the grace period,
// SetInstanceHealth, ReplaceUnhealthy suspended, MaxInstanceLifetime, AZRebalance when a zone is
// added, and a failing launch retried with backoff and recorded as a Failed activity.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand, SetInstanceHealthCommand, SuspendProcessesCommand, UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling'
import { activities, asgClient, describeGroup, group } from '../../helpers/autoscaling.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const nimbus = useNimbus({ clockStart: Date.UTC(2026, 11, 5, 4, 0, 0) })
const at = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`
const impair = (id: string) => rawRequest(nimbus.current.endpoint, { path: `/_nimbus/ec2/instances/${id}/status`, headers: jsonHeaders, body: '{"instance":"impaired"}' })

describe('Auto Scaling health', () => {
  it('an impaired instance is replaced once the grace period has passed', async () => {
    const name = await group(nimbus.current, { min: 1, max: 2, desired: 1, zones: ['us-east-1a'], HealthCheckGracePeriod: 60 })
    await advance(nimbus.current, 10_000)
    const id = (await describeGroup(nimbus.current, name)).Instances![0]!.InstanceId!
    assert.equal((await impair(id)).status, 200)
    await advance(nimbus.current, 0)
    // InService at +10 s, grace 60 s: nothing before +70 s.
    await advance(nimbus.current, 59_000)
    assert.equal((await describeGroup(nimbus.current, name)).Instances![0]!.HealthStatus, 'Healthy')
    const t = nimbus.current.clock.now() + 1_000
    await advance(nimbus.current, 1_000)
    const g = await describeGroup(nimbus.current, name)
    assert.deepEqual(g.Instances!.map((i) => [i.InstanceId === id, i.LifecycleState, i.HealthStatus]), [[true, 'Terminating', 'Unhealthy'], [false, 'Pending', 'Healthy']])
    const terminate = (await activities(nimbus.current, name)).find((a) => a.Description === `Terminating EC2 instance: ${id}`)!
    assert.equal(terminate.Cause, `At ${at(t)} an instance was taken out of service in response to an EC2 health check indicating it has been impaired.`)
  })

  it('SetInstanceHealth Unhealthy replaces, unless ReplaceUnhealthy is suspended', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 1, max: 2, desired: 1, zones: ['us-east-1a'] })
    await advance(nimbus.current, 10_000)
    await client.send(new SuspendProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: ['ReplaceUnhealthy'] }))
    const id = (await describeGroup(nimbus.current, name)).Instances![0]!.InstanceId!
    await client.send(new SetInstanceHealthCommand({ InstanceId: id, HealthStatus: 'Unhealthy' }))
    let g = await describeGroup(nimbus.current, name)
    assert.deepEqual(g.Instances!.map((i) => [i.LifecycleState, i.HealthStatus]), [['InService', 'Unhealthy']])
    await client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name })) // nothing changes
    const { ResumeProcessesCommand } = await import('@aws-sdk/client-auto-scaling')
    const t = nimbus.current.clock.now()
    await client.send(new ResumeProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: ['ReplaceUnhealthy'] }))
    g = await describeGroup(nimbus.current, name)
    assert.equal(g.Instances!.find((i) => i.InstanceId === id)!.LifecycleState, 'Terminating')
    const terminate = (await activities(nimbus.current, name)).find((a) => a.Description === `Terminating EC2 instance: ${id}`)!
    assert.equal(terminate.Cause, `At ${at(t)} an instance was taken out of service in response to a user health-check.`)
  })

  it('MaxInstanceLifetime replaces an instance at its age, on the clock', async () => {
    const name = await group(nimbus.current, { min: 1, max: 2, desired: 1, zones: ['us-east-1a'], MaxInstanceLifetime: 86_400 })
    const t0 = nimbus.current.clock.now()
    await advance(nimbus.current, 86_400_000 - 1)
    const id = (await describeGroup(nimbus.current, name)).Instances![0]!.InstanceId!
    assert.equal((await describeGroup(nimbus.current, name)).Instances![0]!.LifecycleState, 'InService')
    await advance(nimbus.current, 1)
    const terminate = (await activities(nimbus.current, name)).find((a) => a.Description === `Terminating EC2 instance: ${id}`)!
    assert.equal(terminate.StartTime!.getTime(), t0 + 86_400_000)
    assert.equal(terminate.Cause, `At ${at(t0 + 86_400_000)} an instance was taken out of service in response to a maximum instance lifetime policy.`)
  })

  it('AZRebalance: a zone added launches there first, then retires one from the fullest zone', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 4, desired: 3, zones: ['us-east-1a'] })
    await advance(nimbus.current, 10_000)
    await client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, AvailabilityZones: ['us-east-1a', 'us-east-1b'] }))
    let g = await describeGroup(nimbus.current, name)
    assert.deepEqual(g.Instances!.map((i) => `${i.AvailabilityZone}:${i.LifecycleState}`), ['us-east-1a:InService', 'us-east-1a:InService', 'us-east-1a:InService', 'us-east-1b:Pending'])
    const launch = (await activities(nimbus.current, name)).at(-1)!
    assert.match(launch.Cause!, /an instance was launched to aid in balancing the group's zones\.$/)
    await advance(nimbus.current, 10_000)
    g = await describeGroup(nimbus.current, name)
    assert.deepEqual(g.Instances!.map((i) => `${i.AvailabilityZone}:${i.LifecycleState}`).sort(), ['us-east-1a:InService', 'us-east-1a:InService', 'us-east-1a:Terminating', 'us-east-1b:InService'])
    await advance(nimbus.current, 10_000)
    g = await describeGroup(nimbus.current, name)
    assert.deepEqual(g.Instances!.map((i) => i.AvailabilityZone).sort(), ['us-east-1a', 'us-east-1a', 'us-east-1b'])
  })

  it('a launch that EC2 refuses is a Failed activity, retried with backoff', async () => {
    const client = asgClient(nimbus.current)
    const lc = uniqueName('lc')
    await client.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: lc, ImageId: 'ami-00000000000000000', InstanceType: 't3.micro' }))
    const name = uniqueName('asg')
    const t0 = nimbus.current.clock.now()
    await client.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: name, LaunchConfigurationName: lc, MinSize: 1, MaxSize: 1, AvailabilityZones: ['us-east-1a'] }))
    let list = await activities(nimbus.current, name)
    assert.equal(list.length, 1)
    assert.equal(list[0]!.StatusCode, 'Failed')
    assert.match(list[0]!.StatusMessage!, /ami-00000000000000000.*Launching EC2 instance failed\.$/)
    assert.equal(list[0]!.Description, `Launching a new EC2 instance.  Status Reason: ${list[0]!.StatusMessage}`)
    await advance(nimbus.current, 10_000 + 20_000)
    list = await activities(nimbus.current, name)
    assert.deepEqual(list.map((a) => a.StartTime!.getTime() - t0), [0, 10_000, 30_000])
  })
})
