// Each instance's series and the AutoScalingGroupName aggregate rebuilt incrementally (from the previous build's instant on)
// equals the aggregate merged from scratch (what ListMetrics builds), through launches, CPU changes
// and terminations read between them.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ManualClock } from '../../core/clock.ts'
import { createEc2 } from './index.ts'
import { terminateInstance } from './instance-actions.ts'
import { logValues } from './metric-log.ts'

const account = '000000000000'
const region = 'us-east-1'
const group = [{ Name: 'AutoScalingGroupName', Value: 'web' }]

describe('EC2 metric source: group aggregates', () => {
  it('an incremental rebuild gives the same steps as a full merge', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 7))
    const ec2 = createEc2({ clock, idSeed: 'metric-source' })
    const metrics = ec2.port.metrics
    const images = await ec2.definition.operations.DescribeImages!({ Owners: ['amazon'] }, {
      caller: { account, region, accessKeyId: 'test' }, requestId: 't', clock, protocol: 'query', host: 'localhost', signal: new AbortController().signal,
    }) as { Images: { ImageId: string; Architecture: string }[] }
    const imageId = images.Images.find((i) => i.Architecture === 'x86_64')!.ImageId
    const launch = () => {
      const out = ec2.port.launch(account, region, { imageId, instanceType: 't3.micro', monitoring: true, tags: [{ Key: 'aws:autoscaling:groupName', Value: 'web' }] },
        1, { availabilityZone: 'us-east-1a' })
      assert.ok(out.ok)
      return out.instanceIds[0]!
    }
    const setCpu = (id: string, cpu: number) => {
      const found = ec2.state.findInstance(id)!
      found.instance.cpuPercent = cpu
      logValues(found.instance, clock.now())
      found.region.save(found.instance)
    }
    const full = (name: string) => metrics.list(account, region).find((s) => s.metricName === name && s.dimensions[0]!.Name === 'AutoScalingGroupName')!.steps
    const ids = [launch(), launch()]
    const reads: number[] = []
    for (let minute = 1; minute <= 40; minute++) {
      clock.advance(60_000)
      if (minute % 3 === 0) setCpu(ids[minute % ids.length]!, (minute * 7) % 100)
      if (minute === 10) ids.push(launch())
      if (minute === 25) {
        const found = ec2.state.findInstance(ids[0]!)!
        terminateInstance(found.region, found.instance)
        found.region.save(found.instance)
      }
      if (minute % 2 === 0) reads.push(metrics.find(account, region, 'CPUUtilization', group)!.steps.length)
      for (const id of ids) metrics.find(account, region, 'CPUUtilization', [{ Name: 'InstanceId', Value: id }])
    }
    assert.ok(reads.at(-1)! > 10, 'the aggregate has many steps')
    // Each instance's own series, built step by step, equals one built from a copy of its log at once.
    for (const id of ids) {
      const dims = [{ Name: 'InstanceId', Value: id }]
      const incremental = metrics.find(account, region, 'CPUUtilization', dims)!.steps
      const found = ec2.state.findInstance(id)!
      found.instance.metricLog = structuredClone(found.instance.metricLog)
      assert.deepEqual(metrics.find(account, region, 'CPUUtilization', dims)!.steps, incremental)
    }
    assert.deepEqual(metrics.find(account, region, 'CPUUtilization', group)!.steps, full('CPUUtilization'))
    assert.deepEqual(metrics.find(account, region, 'StatusCheckFailed', group)!.steps, full('StatusCheckFailed'))
  })
})
