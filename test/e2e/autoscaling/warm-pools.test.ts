// Warm pools on the manual clock: PutWarmPool prepares instances (launched, then stopped through
// EC2), scale-out draws on them first (Warmed:Stopped → Pending → InService, EC2 started), the pool
// refills to max(MinSize, max − desired), ReuseOnScaleIn returns instances, DeleteWarmPool's
// PendingDelete, the WarmPool… metrics, AWS's errors, durability across a restart and IMDS's target state.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DeleteAutoScalingGroupCommand, DeleteWarmPoolCommand, DescribeWarmPoolCommand, EnableMetricsCollectionCommand, PutLifecycleHookCommand, PutWarmPoolCommand,
  SetDesiredCapacityCommand, CompleteLifecycleActionCommand,
} from '@aws-sdk/client-auto-scaling'
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2'
import { GetMetricStatisticsCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch'
import { activities, asgClient, describeGroup, ec2Client, group } from '../../helpers/autoscaling.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const start = Date.UTC(2026, 11, 5, 4, 0, 0)
const nimbus = useNimbus({ clockStart: start, seed: 'warm-pools' })

async function pool(name: string) {
  return asgClient(nimbus.current).send(new DescribeWarmPoolCommand({ AutoScalingGroupName: name }))
}

async function ec2States(ids: string[]): Promise<Record<string, string>> {
  const { Reservations } = await ec2Client(nimbus.current).send(new DescribeInstancesCommand({ InstanceIds: ids }))
  return Object.fromEntries(Reservations!.flatMap((r) => r.Instances!).map((i) => [i.InstanceId!, i.State!.Name!]))
}

describe('Auto Scaling warm pools', () => {
  it('prepares stopped instances, scales out from the pool first and refills it', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 3, desired: 1, zones: ['us-east-1a'] })
    await client.send(new PutWarmPoolCommand({ AutoScalingGroupName: name, MinSize: 1 }))
    // max(MinSize 1, max 3 − desired 1) = 2 instances prepared.
    let p = await pool(name)
    assert.deepEqual(p.WarmPoolConfiguration, { MinSize: 1, PoolState: 'Stopped', InstanceReusePolicy: { ReuseOnScaleIn: false } })
    assert.deepEqual(p.Instances!.map((i) => i.LifecycleState), ['Warmed:Pending', 'Warmed:Pending'])
    const warmIds = p.Instances!.map((i) => i.InstanceId!)
    // EC2 boots them in 10 s, the pool stops them, EC2 has them stopped 10 s later.
    await advance(nimbus.current, 10_000)
    assert.deepEqual(Object.values(await ec2States(warmIds)), ['stopping', 'stopping'])
    await advance(nimbus.current, 10_000)
    p = await pool(name)
    assert.deepEqual(p.Instances!.map((i) => i.LifecycleState), ['Warmed:Stopped', 'Warmed:Stopped'])
    assert.deepEqual(Object.values(await ec2States(warmIds)), ['stopped', 'stopped'])
    let g = await describeGroup(nimbus.current, name)
    assert.equal(g.WarmPoolSize, 2)
    assert.deepEqual(g.WarmPoolConfiguration, p.WarmPoolConfiguration)
    assert.equal(g.Instances!.length, 1)
    assert.equal(g.Instances![0]!.LifecycleState, 'InService')

    // Scale-out to 2 takes the oldest warmed instance: started through EC2, Pending → InService; max − 2 = 1 ≥ MinSize: no new launch.
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 2 }))
    g = await describeGroup(nimbus.current, name)
    const taken = g.Instances!.find((i) => i.InstanceId === warmIds[0])!
    assert.equal(taken.LifecycleState, 'Pending')
    assert.equal((await ec2States([warmIds[0]!]))[warmIds[0]!], 'pending')
    assert.deepEqual((await pool(name)).Instances!.map((i) => [i.InstanceId, i.LifecycleState]), [[warmIds[1], 'Warmed:Stopped']])
    await advance(nimbus.current, 10_000)
    g = await describeGroup(nimbus.current, name)
    assert.deepEqual(g.Instances!.map((i) => i.LifecycleState), ['InService', 'InService'])

    // Scale-out to 3 takes the last one; the pool refills to MinSize 1 with a new launch.
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 3 }))
    p = await pool(name)
    assert.equal(p.Instances!.length, 1)
    assert.equal(p.Instances![0]!.LifecycleState, 'Warmed:Pending')
    const refill = p.Instances![0]!.InstanceId!
    await advance(nimbus.current, 20_000)
    assert.equal((await pool(name)).Instances![0]!.LifecycleState, 'Warmed:Stopped')

    const history = (await activities(nimbus.current, name)).map((a) => [a.Description, a.StatusCode])
    const firstGroupId = g.Instances!.find((i) => !warmIds.includes(i.InstanceId!))!.InstanceId
    assert.deepEqual(history, [
      [`Launching a new EC2 instance: ${firstGroupId}`, 'Successful'],
      [`Launching a new EC2 instance into warm pool: ${warmIds[0]}`, 'Successful'],
      [`Launching a new EC2 instance into warm pool: ${warmIds[1]}`, 'Successful'],
      [`Launching a new EC2 instance from warm pool: ${warmIds[0]}`, 'Successful'],
      [`Launching a new EC2 instance from warm pool: ${warmIds[1]}`, 'Successful'],
      [`Launching a new EC2 instance into warm pool: ${refill}`, 'Successful'],
    ])
    const acts = await activities(nimbus.current, name)
    assert.match(acts[1]!.Cause!, /^At 2026-12-05T04:00:00Z an instance was started in response to a difference between desired and actual capacity in warm pool, increasing the capacity from 0 to 2\.$/)
    assert.equal(acts[1]!.EndTime!.getTime(), start + 20_000)
    assert.match(acts[3]!.Cause!, /a user request explicitly set group desired capacity changing the desired capacity from 1 to 2\./)
  })

  it('runs the launching hook as an instance leaves the pool', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 1, desired: 0, zones: ['us-east-1a'] })
    await client.send(new PutWarmPoolCommand({ AutoScalingGroupName: name, PoolState: 'Running' }))
    await advance(nimbus.current, 10_000)
    const [warm] = (await pool(name)).Instances!
    assert.equal(warm!.LifecycleState, 'Warmed:Running')
    await client.send(new PutLifecycleHookCommand({ AutoScalingGroupName: name, LifecycleHookName: 'ready', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
      HeartbeatTimeout: 300, DefaultResult: 'ABANDON' }))
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }))
    let g = await describeGroup(nimbus.current, name)
    assert.deepEqual(g.Instances!.map((i) => [i.InstanceId, i.LifecycleState]), [[warm!.InstanceId, 'Pending:Wait']])
    assert.equal(g.WarmPoolSize, 0)
    await client.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: name, LifecycleHookName: 'ready', InstanceId: warm!.InstanceId,
      LifecycleActionResult: 'CONTINUE' }))
    await advance(nimbus.current, 10_000)
    g = await describeGroup(nimbus.current, name)
    assert.deepEqual(g.Instances!.map((i) => i.LifecycleState), ['InService'])
  })

  it('runs the launching hook as an instance enters the pool (Warmed:Pending:Wait → Proceed → Stopped), and again as it leaves', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 1, desired: 0, zones: ['us-east-1a'] })
    await client.send(new PutLifecycleHookCommand({ AutoScalingGroupName: name, LifecycleHookName: 'init', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
      HeartbeatTimeout: 60, DefaultResult: 'CONTINUE' }))
    await client.send(new PutWarmPoolCommand({ AutoScalingGroupName: name }))
    let [w] = (await pool(name)).Instances!
    assert.equal(w!.LifecycleState, 'Warmed:Pending:Wait')
    const id = w!.InstanceId!
    await advance(nimbus.current, 20_000)
    // EC2 has it running, but the hook still holds it.
    assert.equal((await pool(name)).Instances![0]!.LifecycleState, 'Warmed:Pending:Wait')
    assert.equal((await ec2States([id]))[id], 'running')
    assert.equal((await activities(nimbus.current, name)).at(-1)!.StatusCode, 'MidLifecycleAction')
    await client.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: name, LifecycleHookName: 'init', InstanceId: id, LifecycleActionResult: 'CONTINUE' }))
    ;[w] = (await pool(name)).Instances!
    // Proceed: the pool stops it through EC2 at once (it is already running); EC2 has it stopped 10 s later.
    assert.equal(w!.LifecycleState, 'Warmed:Pending:Proceed')
    assert.equal((await ec2States([id]))[id], 'stopping')
    await advance(nimbus.current, 10_000)
    assert.equal((await pool(name)).Instances![0]!.LifecycleState, 'Warmed:Stopped')
    assert.equal((await activities(nimbus.current, name)).at(-1)!.StatusCode, 'Successful')
    // Leaving the pool, the hook runs again; its timeout (60 s) takes DefaultResult CONTINUE.
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }))
    assert.equal((await describeGroup(nimbus.current, name)).Instances![0]!.LifecycleState, 'Pending:Wait')
    await advance(nimbus.current, 60_000)
    assert.equal((await describeGroup(nimbus.current, name)).Instances![0]!.LifecycleState, 'InService')
  })

  it('ReuseOnScaleIn returns instances to the pool; DeleteWarmPool is PendingDelete until they are terminated', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 2, desired: 2, zones: ['us-east-1a'] })
    await advance(nimbus.current, 10_000)
    await client.send(new PutWarmPoolCommand({ AutoScalingGroupName: name, MaxGroupPreparedCapacity: 2, InstanceReusePolicy: { ReuseOnScaleIn: true } }))
    assert.deepEqual((await pool(name)).Instances, [])
    const before = (await describeGroup(nimbus.current, name)).Instances!.map((i) => i.InstanceId!)
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }))
    let p = await pool(name)
    assert.equal(p.Instances!.length, 1)
    const back = p.Instances![0]!.InstanceId!
    assert.ok(before.includes(back))
    assert.equal(p.Instances![0]!.LifecycleState, 'Warmed:Pending')
    await advance(nimbus.current, 10_000)
    assert.equal((await pool(name)).Instances![0]!.LifecycleState, 'Warmed:Stopped')
    assert.equal((await ec2States([back]))[back], 'stopped')
    const moved = (await activities(nimbus.current, name)).at(-1)!
    assert.equal(moved.Description, `Moving EC2 instance to warm pool: ${back}`)
    assert.equal(moved.StatusCode, 'Successful')

    // With a terminating hook, an instance sent back pauses in Warmed:Pending:Wait (AWS's docs), then is stopped.
    await client.send(new PutLifecycleHookCommand({ AutoScalingGroupName: name, LifecycleHookName: 'drain', LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      HeartbeatTimeout: 30, DefaultResult: 'ABANDON' }))
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 0 }))
    p = await pool(name)
    const second = p.Instances!.find((i) => i.InstanceId !== back)!
    assert.equal(second.LifecycleState, 'Warmed:Pending:Wait')
    await advance(nimbus.current, 30_000)
    assert.equal((await pool(name)).Instances!.find((i) => i.InstanceId === second.InstanceId)!.LifecycleState, 'Warmed:Pending:Proceed')
    await advance(nimbus.current, 10_000)
    assert.equal((await pool(name)).Instances!.find((i) => i.InstanceId === second.InstanceId)!.LifecycleState, 'Warmed:Stopped')

    await client.send(new DeleteWarmPoolCommand({ AutoScalingGroupName: name }))
    p = await pool(name)
    assert.equal(p.WarmPoolConfiguration!.Status, 'PendingDelete')
    assert.deepEqual(p.Instances!.map((i) => i.LifecycleState), ['Warmed:Terminating', 'Warmed:Terminating'])
    await advance(nimbus.current, 10_000)
    p = await pool(name)
    assert.equal(p.WarmPoolConfiguration, undefined)
    assert.deepEqual(p.Instances, [])
    assert.equal((await ec2States([back]))[back], 'terminated')
    assert.equal((await describeGroup(nimbus.current, name)).WarmPoolConfiguration, undefined)
  })

  it('publishes the WarmPool… group metrics', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 4, desired: 1, zones: ['us-east-1a'] })
    await client.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: name, Granularity: '1Minute' }))
    await client.send(new PutWarmPoolCommand({ AutoScalingGroupName: name }))
    await advance(nimbus.current, 180_000)
    const cw = new CloudWatchClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const read = async (metric: string) => {
      const { Datapoints } = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/AutoScaling', MetricName: metric,
        Dimensions: [{ Name: 'AutoScalingGroupName', Value: name }], StartTime: new Date(start), EndTime: new Date(start + 12 * 3_600_000),
        Period: 60, Statistics: ['Maximum'] }))
      return Math.max(...Datapoints!.map((d) => d.Maximum!))
    }
    assert.equal(await read('WarmPoolDesiredCapacity'), 3)
    assert.equal(await read('WarmPoolWarmedCapacity'), 3)
    assert.equal(await read('WarmPoolTotalCapacity'), 3)
    assert.equal(await read('GroupAndWarmPoolTotalCapacity'), 4)
  })

  it("answers AWS's errors", async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 2, desired: 0, zones: ['us-east-1a'] })
    let e = await sdkError(client.send(new PutWarmPoolCommand({ AutoScalingGroupName: name, MinSize: -1 })))
    assert.equal(e.name, 'ValidationError')
    assert.equal(e.message, "1 validation error detected: Value '-1' at 'minSize' failed to satisfy constraint: Member must have value greater than or equal to 0")
    e = await sdkError(client.send(new PutWarmPoolCommand({ AutoScalingGroupName: name, MinSize: 3, MaxGroupPreparedCapacity: 2 })))
    assert.equal(e.name, 'ValidationError')
    e = await sdkError(client.send(new DeleteWarmPoolCommand({ AutoScalingGroupName: name })))
    assert.equal(e.name, 'ValidationError')
    e = await sdkError(client.send(new PutWarmPoolCommand({ AutoScalingGroupName: 'nope' })))
    assert.equal(e.message, 'AutoScalingGroup name not found - AutoScalingGroup nope not found')
    // A group with a warm pool's instances can't be deleted without ForceDelete.
    await client.send(new PutWarmPoolCommand({ AutoScalingGroupName: name }))
    e = await sdkError(client.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name })))
    assert.equal(e.name, 'ResourceInUseFault')
    const ids = (await pool(name)).Instances!.map((i) => i.InstanceId!)
    await client.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true }))
    await advance(nimbus.current, 10_000)
    assert.deepEqual(Object.values(await ec2States(ids)), ['terminated', 'terminated'])
  })
})

describe('Auto Scaling warm pools, durable', () => {
  it('keeps the pool and its instances across a restart', async () => {
    const durable = await durableNimbus('autoscaling-warm', { clockStart: start })
    const name = await group(durable.nimbus, { min: 0, max: 2, desired: 0, zones: ['us-east-1a'] })
    await asgClient(durable.nimbus).send(new PutWarmPoolCommand({ AutoScalingGroupName: name, MinSize: 1, PoolState: 'Hibernated' }))
    await advance(durable.nimbus, 20_000)
    const read = async () => {
      const { $metadata: _, ...rest } = await asgClient(durable.nimbus).send(new DescribeWarmPoolCommand({ AutoScalingGroupName: name }))
      return rest
    }
    const before = await read()
    assert.deepEqual(before.Instances!.map((i) => i.LifecycleState), ['Warmed:Hibernated', 'Warmed:Hibernated'])
    await durable.restart()
    assert.deepEqual(await read(), before)
    await asgClient(durable.nimbus).send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }))
    await advance(durable.nimbus, 10_000)
    assert.deepEqual((await describeGroup(durable.nimbus, name)).Instances!.map((i) => [i.InstanceId, i.LifecycleState]), [[before.Instances![0]!.InstanceId, 'InService']])
    await durable.stop()
  })
})

describe('Auto Scaling warm pools in IMDS', () => {
  it('a process-backed pool instance reads Warmed:Running, then InService once the group takes it', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 1, desired: 0, zones: ['us-east-1a'],
      Tags: [{ Key: 'nimbus:process', Value: 'true', PropagateAtLaunch: true }] })
    await client.send(new PutWarmPoolCommand({ AutoScalingGroupName: name, PoolState: 'Running' }))
    await advance(nimbus.current, 10_000)
    const [warm] = (await pool(name)).Instances!
    assert.equal(warm!.LifecycleState, 'Warmed:Running')
    const id = warm!.InstanceId!
    let metadataEndpoint: string | undefined
    // The instance's IMDS starts asynchronously once it runs: a few real-time polls of Nimbus.
    for (let i = 0; i < 100 && metadataEndpoint === undefined; i++) {
      metadataEndpoint = ((await (await fetch(`${nimbus.current.endpoint}/_nimbus/ec2/instances/${id}/process`)).json()) as { metadataEndpoint?: string }).metadataEndpoint
      if (metadataEndpoint === undefined) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const target = async () => {
      const token = await (await fetch(`${metadataEndpoint}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } })).text()
      const response = await fetch(`${metadataEndpoint}/latest/meta-data/autoscaling/target-lifecycle-state`, { headers: { 'x-aws-ec2-metadata-token': token } })
      return `${response.status} ${await response.text()}`
    }
    assert.equal(await target(), '200 Warmed:Running')
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }))
    assert.equal(await target(), '200 InService')
    await client.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true }))
  })
})
