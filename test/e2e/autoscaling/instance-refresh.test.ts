// Instance refresh on the manual clock: a group on launch template v1 refreshed to v2 batch by
// batch, never below MinHealthyPercentage of InService-and-warm instances; launch-first with
// MaxHealthyPercentage; checkpoints; cancel; rollback to the previous launch template.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CancelInstanceRefreshCommand, CreateAutoScalingGroupCommand, DescribeInstanceRefreshesCommand, RollbackInstanceRefreshCommand,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling'
import { CreateLaunchTemplateCommand, CreateLaunchTemplateVersionCommand } from '@aws-sdk/client-ec2'
import { amiId, asgClient, describeGroup, ec2Client } from '../../helpers/autoscaling.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus({ clockStart: Date.UTC(2026, 11, 5, 8, 0, 0) })

/** A template with v1 (t3.micro) and v2 (t3.small), and a group of `desired` instances on v1. */
async function setup(desired: number): Promise<{ name: string; templateId: string }> {
  const ec2 = ec2Client(nimbus.current)
  const image = await amiId(nimbus.current)
  const { LaunchTemplate } = await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: uniqueName('lt'),
    LaunchTemplateData: { ImageId: image, InstanceType: 't3.micro' } }))
  const templateId = LaunchTemplate!.LaunchTemplateId!
  const name = uniqueName('asg')
  await asgClient(nimbus.current).send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, MaxSize: 10, DesiredCapacity: desired,
    LaunchTemplate: { LaunchTemplateId: templateId, Version: '1' }, AvailabilityZones: ['us-east-1a', 'us-east-1b'] }))
  await advance(nimbus.current, 10_000)
  await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: templateId, SourceVersion: '1', LaunchTemplateData: { InstanceType: 't3.small' } }))
  return { name, templateId }
}

const refresh = async (name: string) =>
  (await asgClient(nimbus.current).send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name }))).InstanceRefreshes![0]!

describe('Auto Scaling instance refresh', () => {
  it('terminate-first: 2 of 4 at a time, never below 50 % InService and warm, then Successful', async () => {
    const { name, templateId } = await setup(4)
    const warmup = 30
    const { InstanceRefreshId } = await asgClient(nimbus.current).send(new StartInstanceRefreshCommand({ AutoScalingGroupName: name,
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: templateId, Version: '$Latest' } },
      Preferences: { MinHealthyPercentage: 50, InstanceWarmup: warmup } }))
    let minHealthy = Infinity
    const start = nimbus.current.clock.now()
    for (let t = 0; t < 300; t += 5) {
      const g = await describeGroup(nimbus.current, name)
      // Healthy and warm: InService and, for new instances, past their warm-up (conservatively: InService counts).
      minHealthy = Math.min(minHealthy, g.Instances!.filter((i) => i.LifecycleState === 'InService').length)
      if ((await refresh(name)).Status === 'Successful') break
      await advance(nimbus.current, 5_000)
    }
    const r = await refresh(name)
    assert.equal(r.InstanceRefreshId, InstanceRefreshId)
    assert.equal(r.Status, 'Successful')
    assert.equal(r.PercentageComplete, 100)
    assert.ok(minHealthy >= 2, `dropped to ${minHealthy} InService`)
    const g = await describeGroup(nimbus.current, name)
    assert.deepEqual(g.Instances!.map((i) => [i.InstanceType, i.LaunchTemplate!.Version, i.LifecycleState]), Array(4).fill(['t3.small', '2', 'InService']))
    // Two batches: each waits 10 s of boot and 30 s of warm-up, plus 10 s of termination.
    assert.ok(r.EndTime!.getTime() - start >= 2 * (10_000 + warmup * 1000))
  })

  it('launch-first (MaxHealthyPercentage 150) never has fewer than desired InService', async () => {
    const { name, templateId } = await setup(2)
    await asgClient(nimbus.current).send(new StartInstanceRefreshCommand({ AutoScalingGroupName: name,
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: templateId, Version: '2' } },
      Preferences: { MinHealthyPercentage: 100, MaxHealthyPercentage: 150, InstanceWarmup: 0 } }))
    let fewest = Infinity
    for (let t = 0; t < 60; t++) {
      const g = await describeGroup(nimbus.current, name)
      fewest = Math.min(fewest, g.Instances!.filter((i) => i.LifecycleState === 'InService').length)
      if ((await refresh(name)).Status === 'Successful') break
      await advance(nimbus.current, 5_000)
    }
    assert.equal((await refresh(name)).Status, 'Successful')
    assert.equal(fewest, 2)
  })

  it('a checkpoint pauses it; cancel and rollback; errors', async () => {
    const client = asgClient(nimbus.current)
    const { name, templateId } = await setup(4)
    assert.deepEqual(await sdkError(client.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: name }))), {
      name: 'ActiveInstanceRefreshNotFoundFault', code: 'ActiveInstanceRefreshNotFound', status: 400,
      message: `No in progress or pending Instance Refresh found for Auto Scaling group ${name}`,
    })
    await client.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: name,
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: templateId, Version: '2' } },
      Preferences: { MinHealthyPercentage: 75, InstanceWarmup: 0, CheckpointPercentages: [50, 100], CheckpointDelay: 600 } }))
    const second = await sdkError(client.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: name })))
    assert.equal(second.code, 'InstanceRefreshInProgress')
    // One at a time (75 % of 4 = 3 stay): two batches reach 50 %, then the 600 s checkpoint.
    await advance(nimbus.current, 60_000)
    let r = await refresh(name)
    assert.equal(r.PercentageComplete, 50)
    assert.match(r.StatusReason!, /checkpoint/)
    await advance(nimbus.current, 300_000)
    assert.equal((await refresh(name)).PercentageComplete, 50)
    // Roll back: the instances on v2 go back to v1.
    await client.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: name }))
    r = await refresh(name)
    assert.equal(r.Status, 'RollbackInProgress')
    for (let k = 0; k < 20 && (await refresh(name)).Status === 'RollbackInProgress'; k++) await advance(nimbus.current, 10_000)
    r = await refresh(name)
    assert.equal(r.Status, 'RollbackSuccessful')
    assert.equal(r.RollbackDetails!.RollbackReason, 'Rollback started by user request.')
    const g = await describeGroup(nimbus.current, name)
    assert.deepEqual([g.LaunchTemplate!.LaunchTemplateId, g.LaunchTemplate!.Version], [templateId, '1'])
    assert.match(g.LaunchTemplate!.LaunchTemplateName!, /^lt-/)
    assert.deepEqual(g.Instances!.map((i) => i.LaunchTemplate!.Version), ['1', '1', '1', '1'])
  })
})
