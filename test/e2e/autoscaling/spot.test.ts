// Mixed instances policies on EC2's simulated Spot market: On-Demand base and percentage, Spot
// instances of the override types by allocation strategy, and CapacityRebalance replacing a Spot
// instance on a rebalance recommendation before retiring it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling'
import { CreateLaunchTemplateCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2'
import { activities, amiId, asgClient, describeGroup, ec2Client } from '../../helpers/autoscaling.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const nimbus = useNimbus({ clockStart: Date.UTC(2026, 11, 5, 10, 0, 0) })
const types = ['t3.micro', 't3.small', 'm5.large']

async function mixedGroup(desired: number, capacityRebalance: boolean): Promise<string> {
  const { LaunchTemplate } = await ec2Client(nimbus.current).send(new CreateLaunchTemplateCommand({ LaunchTemplateName: uniqueName('lt'),
    LaunchTemplateData: { ImageId: await amiId(nimbus.current), InstanceType: 't3.micro' } }))
  const name = uniqueName('asg')
  await asgClient(nimbus.current).send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, MaxSize: 10, DesiredCapacity: desired,
    AvailabilityZones: ['us-east-1a', 'us-east-1b'], CapacityRebalance: capacityRebalance,
    MixedInstancesPolicy: {
      LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: LaunchTemplate!.LaunchTemplateId!, Version: '$Latest' },
        Overrides: types.map((InstanceType) => ({ InstanceType })) },
      InstancesDistribution: { OnDemandBaseCapacity: 1, OnDemandPercentageAboveBaseCapacity: 0, SpotAllocationStrategy: 'lowest-price' },
    } }))
  await advance(nimbus.current, 10_000)
  return name
}

async function lifecycles(ids: string[]): Promise<Map<string, string>> {
  const { Reservations } = await ec2Client(nimbus.current).send(new DescribeInstancesCommand({ InstanceIds: ids }))
  return new Map(Reservations!.flatMap((r) => r.Instances!).map((i) => [i.InstanceId!, i.InstanceLifecycle ?? 'on-demand']))
}

describe('Auto Scaling Spot', () => {
  it('keeps OnDemandBaseCapacity On-Demand and the rest Spot, of the override types', async () => {
    const name = await mixedGroup(4, false)
    const g = await describeGroup(nimbus.current, name)
    assert.equal(g.Instances!.length, 4)
    const markets = await lifecycles(g.Instances!.map((i) => i.InstanceId!))
    assert.deepEqual([...markets.values()].sort(), ['on-demand', 'spot', 'spot', 'spot'])
    const onDemand = g.Instances!.find((i) => markets.get(i.InstanceId!) === 'on-demand')!
    assert.equal(onDemand.InstanceType, 't3.micro')
    for (const i of g.Instances!) assert.ok(types.includes(i.InstanceType!))
  })

  it('CapacityRebalance: a rebalance recommendation launches a replacement, then retires the instance', async () => {
    const name = await mixedGroup(2, true)
    const g = await describeGroup(nimbus.current, name)
    const markets = await lifecycles(g.Instances!.map((i) => i.InstanceId!))
    const spot = g.Instances!.find((i) => markets.get(i.InstanceId!) === 'spot')!.InstanceId!
    const hook = await rawRequest(nimbus.current.endpoint, { path: `/_nimbus/ec2/instances/${spot}/rebalance`, headers: jsonHeaders, body: '{}' })
    assert.equal(hook.status, 200)
    await advance(nimbus.current, 0)
    let now = await describeGroup(nimbus.current, name)
    assert.equal(now.Instances!.length, 3)
    assert.equal(now.Instances!.find((i) => i.InstanceId === spot)!.LifecycleState, 'InService')
    await advance(nimbus.current, 10_000)
    now = await describeGroup(nimbus.current, name)
    assert.equal(now.Instances!.find((i) => i.InstanceId === spot)!.LifecycleState, 'Terminating')
    const retire = (await activities(nimbus.current, name)).find((a) => a.Description === `Terminating EC2 instance: ${spot}`)!
    assert.match(retire.Cause!, /in response to an EC2 instance rebalance recommendation\.$/)
    await advance(nimbus.current, 10_000)
    now = await describeGroup(nimbus.current, name)
    assert.equal(now.Instances!.length, 2)
    assert.ok(!now.Instances!.some((i) => i.InstanceId === spot))
  })
})
