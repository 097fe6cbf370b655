// The same scenario run twice (two Nimbus processes' worth, same start instant, same seed) gives the
// same activity history byte for byte: ids — EC2's instance ids included — times, Descriptions, Causes.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import {
  CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand, PutLifecycleHookCommand, SetDesiredCapacityCommand,
  TerminateInstanceInAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { activities, amiId, asgClient } from '../../helpers/autoscaling.ts'
import { advance } from '../../helpers/nimbus.ts'

const started: Nimbus[] = []
after(async () => {
  await Promise.all(started.map((n) => n.stop()))
})

async function scenario(seed: string | undefined): Promise<string> {
  const nimbus = await startNimbus({ port: 0, clock: 'manual', log: () => {}, clockStart: Date.UTC(2026, 11, 5, 6, 0, 0), seed })
  started.push(nimbus)
  const client = asgClient(nimbus)
  await client.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'web', ImageId: await amiId(nimbus), InstanceType: 't3.small' }))
  await client.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', LaunchConfigurationName: 'web', MinSize: 1, MaxSize: 6,
    DesiredCapacity: 4, AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], TerminationPolicies: ['OldestInstance'] }))
  await client.send(new PutLifecycleHookCommand({ AutoScalingGroupName: 'web', LifecycleHookName: 'drain', LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
    HeartbeatTimeout: 45, DefaultResult: 'CONTINUE' }))
  await advance(nimbus, 10_000)
  await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 6 }))
  await advance(nimbus, 25_000)
  await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 2 }))
  await advance(nimbus, 60_000)
  const { AutoScalingGroups } = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web'] }))
  await client.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: AutoScalingGroups![0]!.Instances![0]!.InstanceId!, ShouldDecrementDesiredCapacity: false }))
  for (let k = 0; k < 10; k++) await advance(nimbus, 15_000)
  return JSON.stringify(await activities(nimbus, 'web'))
}

describe('Auto Scaling determinism', () => {
  it('the same scenario twice gives byte-identical activity histories', async () => {
    const first = await scenario('determinism')
    const second = await scenario('determinism')
    assert.ok(first.length > 2000)
    assert.match(first, /i-[0-9a-f]{17}/)
    assert.equal(first, second)
  })

  it("without a seed EC2's instance ids are random, so the histories differ only in them", async () => {
    const first = await scenario(undefined)
    const second = await scenario(undefined)
    assert.notEqual(first, second)
    const byAppearance = (history: string) => {
      const ids = new Map<string, string>()
      return history.replace(/i-[0-9a-f]{17}/g, (id) => ids.get(id) ?? ids.set(id, `i-#${ids.size + 1}`).get(id)!)
    }
    assert.equal(byAppearance(first), byAppearance(second))
  })
})
