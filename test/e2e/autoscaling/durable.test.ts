// Auto Scaling across restarts on one data dir (in process): groups with their instances, hooks,
// tags and activities read back identically; a hook wait armed before the restart still times out
// at its instant on the clock; a reset empties it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DescribeAutoScalingGroupsCommand, DescribeLaunchConfigurationsCommand, DescribeLifecycleHooksCommand, PutLifecycleHookCommand,
  SetDesiredCapacityCommand,
} from '@aws-sdk/client-auto-scaling'
import { activities, asgClient, describeGroup, group } from '../../helpers/autoscaling.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance } from '../../helpers/nimbus.ts'

const strip = <T extends { $metadata?: unknown }>(output: T): Omit<T, '$metadata'> => {
  const { $metadata: _, ...rest } = output
  return rest
}

describe('Auto Scaling durability', () => {
  it('keeps groups, instances, hooks and activities; a hook wait times out after the restart', async () => {
    const durable = await durableNimbus('autoscaling', { clockStart: Date.UTC(2026, 11, 5, 3, 0, 0) })
    const name = await group(durable.nimbus, { min: 0, max: 3, desired: 2, zones: ['us-east-1a', 'us-east-1b'],
      Tags: [{ Key: 'app', Value: 'web', PropagateAtLaunch: true }] })
    await advance(durable.nimbus, 10_000)
    await asgClient(durable.nimbus).send(new PutLifecycleHookCommand({ AutoScalingGroupName: name, LifecycleHookName: 'drain',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', HeartbeatTimeout: 120, DefaultResult: 'CONTINUE' }))
    await asgClient(durable.nimbus).send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }))
    const read = async () => ({
      groups: strip(await asgClient(durable.nimbus).send(new DescribeAutoScalingGroupsCommand({}))),
      configs: strip(await asgClient(durable.nimbus).send(new DescribeLaunchConfigurationsCommand({}))),
      hooks: strip(await asgClient(durable.nimbus).send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: name }))),
      activities: await activities(durable.nimbus, name),
    })
    const before = await read()
    assert.ok((await describeGroup(durable.nimbus, name)).Instances!.some((i) => i.LifecycleState === 'Terminating:Wait'))
    await durable.restart()
    assert.deepEqual(await read(), before)
    // The wait armed at the old process's clock still ends 120 s after it began.
    await advance(durable.nimbus, 119_000)
    assert.ok((await describeGroup(durable.nimbus, name)).Instances!.some((i) => i.LifecycleState === 'Terminating:Wait'))
    await advance(durable.nimbus, 1_000)
    assert.ok((await describeGroup(durable.nimbus, name)).Instances!.some((i) => i.LifecycleState === 'Terminating:Proceed'))
    await advance(durable.nimbus, 10_000)
    assert.equal((await describeGroup(durable.nimbus, name)).Instances!.length, 1)
    assert.equal((await activities(durable.nimbus, name)).at(-1)!.StatusCode, 'Successful')
    durable.nimbus.reset()
    await durable.restart()
    assert.deepEqual((await asgClient(durable.nimbus).send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups, [])
  })
})
