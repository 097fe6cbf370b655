// The control loop on the manual clock: launches to desired capacity balanced across zones,
// InService once EC2 runs them, scale-in by AWS's termination order, cooldowns, protection,
// standby, and the exact activities (Description, Cause, times) AWS records.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  EnterStandbyCommand, ExitStandbyCommand, ResumeProcessesCommand, SetDesiredCapacityCommand, SetInstanceProtectionCommand,
  SuspendProcessesCommand, TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling'
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2'
import { activities, asgClient, describeGroup, ec2Client, group } from '../../helpers/autoscaling.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus({ clockStart: Date.UTC(2026, 11, 5, 1, 0, 0) })
const at = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`
const states = async (name: string) => (await describeGroup(nimbus.current, name)).Instances!.map((i) => `${i.AvailabilityZone}:${i.LifecycleState}`).sort()

describe('Auto Scaling capacity', () => {
  it('launches to desired capacity across zones; InService once EC2 runs them; activities as AWS words them', async () => {
    const t0 = nimbus.current.clock.now()
    const name = await group(nimbus.current, { min: 1, max: 4, desired: 3, zones: ['us-east-1a', 'us-east-1b'] })
    assert.deepEqual(await states(name), ['us-east-1a:Pending', 'us-east-1a:Pending', 'us-east-1b:Pending'])
    await advance(nimbus.current, 10_000)
    assert.deepEqual(await states(name), ['us-east-1a:InService', 'us-east-1a:InService', 'us-east-1b:InService'])
    const list = await activities(nimbus.current, name)
    assert.equal(list.length, 3)
    const ids = (await describeGroup(nimbus.current, name)).Instances!.map((i) => i.InstanceId!)
    for (const [k, a] of list.entries()) {
      assert.equal(a.Description, `Launching a new EC2 instance: ${ids[k]}`)
      assert.equal(a.Cause, `At ${at(t0)} a user request created an AutoScalingGroup changing the desired capacity from 0 to 3.  At ${at(t0)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 3.`)
      assert.equal(a.StatusCode, 'Successful')
      assert.equal(a.Progress, 100)
      assert.equal(a.StartTime!.getTime(), t0)
      assert.equal(a.EndTime!.getTime(), t0 + 10_000)
      assert.match(a.Details!, /^\{"Availability Zone":"us-east-1[ab]"\}$/)
    }
    // The instances carry the group's name as AWS tags them.
    const { Reservations } = await ec2Client(nimbus.current).send(new DescribeInstancesCommand({ InstanceIds: [ids[0]!] }))
    assert.ok(Reservations![0]!.Instances![0]!.Tags!.some((t) => t.Key === 'aws:autoscaling:groupName' && t.Value === name))
  })

  it('SetDesiredCapacity scales in from the fullest zone; HonorCooldown refuses during the cooldown', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 4, desired: 3, zones: ['us-east-1a', 'us-east-1b'] })
    await advance(nimbus.current, 10_000)
    const t1 = nimbus.current.clock.now()
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 2 }))
    const g = await describeGroup(nimbus.current, name)
    const leaving = g.Instances!.find((i) => i.LifecycleState === 'Terminating')!
    assert.equal(leaving.AvailabilityZone, 'us-east-1a')
    const last = (await activities(nimbus.current, name)).at(-1)!
    assert.equal(last.Description, `Terminating EC2 instance: ${leaving.InstanceId}`)
    assert.equal(last.Cause, `At ${at(t1)} a user request explicitly set group desired capacity changing the desired capacity from 3 to 2.  At ${at(t1)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 3 to 2.  At ${at(t1)} instance ${leaving.InstanceId} was selected for termination.`)
    assert.equal(last.StatusCode, 'InProgress')
    const refused = await sdkError(client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1, HonorCooldown: true })))
    assert.equal(refused.code, 'ScalingActivityInProgress')
    assert.equal(refused.status, 400)
    await advance(nimbus.current, 10_000)
    assert.deepEqual(await states(name), ['us-east-1a:InService', 'us-east-1b:InService'])
    assert.equal((await activities(nimbus.current, name)).at(-1)!.StatusCode, 'Successful')
    // After the 300 s default cooldown HonorCooldown goes through.
    await advance(nimbus.current, 300_000)
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1, HonorCooldown: true }))
    assert.deepEqual(await sdkError(client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 9 }))),
      { name: 'ValidationError', code: 'ValidationError', message: 'New SetDesiredCapacity value 9 is above max value 4 for the AutoScalingGroup.', status: 400 })
  })

  it('replaces an instance EC2 terminated behind its back (EC2 health check)', async () => {
    const name = await group(nimbus.current, { min: 1, max: 2, desired: 1, zones: ['us-east-1a'] })
    await advance(nimbus.current, 10_000)
    const [first] = (await describeGroup(nimbus.current, name)).Instances!
    const t1 = nimbus.current.clock.now()
    const { TerminateInstancesCommand } = await import('@aws-sdk/client-ec2')
    await ec2Client(nimbus.current).send(new TerminateInstancesCommand({ InstanceIds: [first!.InstanceId!] }))
    await advance(nimbus.current, 0)
    const list = await activities(nimbus.current, name)
    const terminate = list.find((a) => a.Description === `Terminating EC2 instance: ${first!.InstanceId}`)!
    assert.equal(terminate.Cause, `At ${at(t1)} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`)
    const launch = list.at(-1)!
    assert.match(launch.Description!, /^Launching a new EC2 instance: i-/)
    assert.equal(launch.Cause, `At ${at(t1)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1.`)
    await advance(nimbus.current, 10_000)
    const g = await describeGroup(nimbus.current, name)
    assert.deepEqual(g.Instances!.map((i) => i.LifecycleState), ['InService'])
    assert.notEqual(g.Instances![0]!.InstanceId, first!.InstanceId)
  })

  it('TerminateInstanceInAutoScalingGroup, scale-in protection, suspended processes and standby', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 1, max: 4, desired: 2, zones: ['us-east-1a'] })
    await advance(nimbus.current, 10_000)
    const [a, b] = (await describeGroup(nimbus.current, name)).Instances!
    assert.deepEqual(await sdkError(client.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: 'i-0000000000000000f', ShouldDecrementDesiredCapacity: false }))),
      { name: 'ValidationError', code: 'ValidationError', message: 'Instance Id not found - No managed instance found for instance ID: i-0000000000000000f', status: 400 })
    // Protected instances are never chosen for scale-in.
    await client.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: name, InstanceIds: [a!.InstanceId!], ProtectedFromScaleIn: true }))
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }))
    let g = await describeGroup(nimbus.current, name)
    assert.equal(g.Instances!.find((i) => i.InstanceId === b!.InstanceId)!.LifecycleState, 'Terminating')
    await advance(nimbus.current, 10_000)
    // Launch suspended: a user termination without decrement is not replaced until resumed.
    await client.send(new SuspendProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: ['Launch'] }))
    const t1 = nimbus.current.clock.now()
    const { Activity } = await client.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: a!.InstanceId!, ShouldDecrementDesiredCapacity: false }))
    assert.equal(Activity!.Description, `Terminating EC2 instance: ${a!.InstanceId}`)
    assert.equal(Activity!.Cause, `At ${at(t1)} instance ${a!.InstanceId} was taken out of service in response to a user request.`)
    await advance(nimbus.current, 10_000)
    g = await describeGroup(nimbus.current, name)
    assert.deepEqual(g.Instances, [])
    assert.deepEqual(g.SuspendedProcesses, [{ ProcessName: 'Launch', SuspensionReason: `User suspended at ${at(t1)}` }])
    await client.send(new ResumeProcessesCommand({ AutoScalingGroupName: name }))
    await advance(nimbus.current, 10_000)
    g = await describeGroup(nimbus.current, name)
    assert.deepEqual(g.Instances!.map((i) => i.LifecycleState), ['InService'])
    // Standby: out of capacity (desired lowered), then back through Pending.
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 2 }))
    await advance(nimbus.current, 10_000)
    const c = g.Instances![0]!.InstanceId!
    const { Activities } = await client.send(new EnterStandbyCommand({ AutoScalingGroupName: name, InstanceIds: [c], ShouldDecrementDesiredCapacity: true }))
    assert.match(Activities![0]!.Cause!, new RegExp(`instance ${c} was moved to standby in response to a user request, shrinking the capacity from 2 to 1\\.$`))
    g = await describeGroup(nimbus.current, name)
    assert.equal(g.DesiredCapacity, 1)
    assert.equal(g.Instances!.find((i) => i.InstanceId === c)!.LifecycleState, 'Standby')
    await client.send(new ExitStandbyCommand({ AutoScalingGroupName: name, InstanceIds: [c] }))
    await advance(nimbus.current, 0)
    g = await describeGroup(nimbus.current, name)
    assert.equal(g.DesiredCapacity, 2)
    assert.equal(g.Instances!.find((i) => i.InstanceId === c)!.LifecycleState, 'InService')
  })
})
