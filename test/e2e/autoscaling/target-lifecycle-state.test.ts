// A process-backed Auto Scaling member (the group propagates the tag nimbus:process=true) reads its
// target lifecycle state from IMDS, as AWS's docs show scripts polling it: InService while its
// launch hook waits (Pending:Wait heads there), Terminated while its terminate hook waits.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CompleteLifecycleActionCommand, DetachInstancesCommand, PutLifecycleHookCommand, SetDesiredCapacityCommand, TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling'
import { asgClient, describeGroup, group } from '../../helpers/autoscaling.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

async function targetState(instanceId: string): Promise<string> {
  const { metadataEndpoint } = await (await fetch(`${nimbus.current.endpoint}/_nimbus/ec2/instances/${instanceId}/process`)).json() as { metadataEndpoint: string }
  const token = await (await fetch(`${metadataEndpoint}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } })).text()
  const response = await fetch(`${metadataEndpoint}/latest/meta-data/autoscaling/target-lifecycle-state`, { headers: { 'x-aws-ec2-metadata-token': token } })
  return `${response.status} ${await response.text()}`
}

/** The instance's IMDS starts asynchronously once it runs: a few real-time polls of Nimbus. */
async function hosted(instanceId: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const body = await (await fetch(`${nimbus.current.endpoint}/_nimbus/ec2/instances/${instanceId}/process`)).json() as { metadataEndpoint?: string }
    if (body.metadataEndpoint !== undefined) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('no metadata service')
}

describe('Auto Scaling target lifecycle state in IMDS', () => {
  it('heads to InService during the launch hook and to Terminated during the terminate hook', async () => {
    const asg = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 2, desired: 0,
      Tags: [{ Key: 'nimbus:process', Value: 'true', PropagateAtLaunch: true }] })
    for (const transition of ['autoscaling:EC2_INSTANCE_LAUNCHING', 'autoscaling:EC2_INSTANCE_TERMINATING']) {
      await asg.send(new PutLifecycleHookCommand({ AutoScalingGroupName: name, LifecycleHookName: transition.split('_').pop()!,
        LifecycleTransition: transition, HeartbeatTimeout: 3600 }))
    }
    await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }))
    await advance(nimbus.current, 60_000)
    const [member] = (await describeGroup(nimbus.current, name)).Instances!
    assert.equal(member!.LifecycleState, 'Pending:Wait')
    await hosted(member!.InstanceId!)
    assert.equal(await targetState(member!.InstanceId!), '200 InService')
    await asg.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: name, LifecycleHookName: 'LAUNCHING',
      InstanceId: member!.InstanceId!, LifecycleActionResult: 'CONTINUE' }))
    await advance(nimbus.current, 1_000)
    assert.equal((await describeGroup(nimbus.current, name)).Instances![0]!.LifecycleState, 'InService')
    await asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: member!.InstanceId!, ShouldDecrementDesiredCapacity: true }))
    await advance(nimbus.current, 1_000)
    assert.equal((await describeGroup(nimbus.current, name)).Instances![0]!.LifecycleState, 'Terminating:Wait')
    assert.equal(await targetState(member!.InstanceId!), '200 Terminated')
  })

  it('says Detached once the instance leaves its group by DetachInstances', async () => {
    const asg = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 1, desired: 1,
      Tags: [{ Key: 'nimbus:process', Value: 'true', PropagateAtLaunch: true }] })
    await advance(nimbus.current, 60_000)
    const [member] = (await describeGroup(nimbus.current, name)).Instances!
    await hosted(member!.InstanceId!)
    assert.equal(await targetState(member!.InstanceId!), '200 InService')
    await asg.send(new DetachInstancesCommand({ AutoScalingGroupName: name, InstanceIds: [member!.InstanceId!], ShouldDecrementDesiredCapacity: true }))
    await advance(nimbus.current, 1_000)
    assert.equal((await describeGroup(nimbus.current, name)).Instances!.length, 0)
    assert.equal(await targetState(member!.InstanceId!), '200 Detached')
  })
})
