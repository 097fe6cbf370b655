// Monitor/UnmonitorInstances (pending → enabled, disabling → disabled on the clock, and CloudWatch's
// AWS/EC2 granularity following), GetConsoleOutput, and hibernation (StopInstances Hibernate).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch'
import {
  DescribeImagesCommand, DescribeInstancesCommand, EC2Client, EC2ServiceException, GetConsoleOutputCommand, MonitorInstancesCommand,
  RunInstancesCommand, StopInstancesCommand, UnmonitorInstancesCommand,
} from '@aws-sdk/client-ec2'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })

async function rejects(promise: Promise<unknown>, code: string, message?: string): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, code)
    if (message !== undefined) assert.equal(error.message, message)
    return true
  })
}

async function launch(extra: Record<string, unknown> = {}): Promise<string> {
  const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
  const out = await ec2().send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId!, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ...extra }))
  return out.Instances![0]!.InstanceId!
}

const describeOne = async (id: string) => (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!

describe('EC2 monitoring, console output and hibernation', () => {
  it('switches basic ↔ detailed monitoring on the clock; CloudWatch\'s CPUUtilization follows', async () => {
    const start = minuteNow(nimbus.current)
    const id = await launch()
    await advanceTo(nimbus.current, start + 60_000)
    await rawRequest(nimbus.current.endpoint, { path: `/_nimbus/ec2/instances/${id}/cpu`, headers: jsonHeaders, body: JSON.stringify({ percent: 55 }) })
    await advanceTo(nimbus.current, start + 1_200_000)
    const on = await ec2().send(new MonitorInstancesCommand({ InstanceIds: [id] }))
    assert.deepEqual(on.InstanceMonitorings, [{ InstanceId: id, Monitoring: { State: 'pending' } }])
    assert.equal((await describeOne(id)).Monitoring!.State, 'pending')
    await advance(nimbus.current, 60_000)
    assert.equal((await describeOne(id)).Monitoring!.State, 'enabled')
    const filtered = await ec2().send(new DescribeInstancesCommand({ Filters: [{ Name: 'monitoring-state', Values: ['enabled'] }] }))
    assert.deepEqual(filtered.Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceId), [id])
    await advanceTo(nimbus.current, start + 2_400_000)
    // 5-minute datapoints before the switch, 1-minute ones after it.
    const stats = async (from: number, to: number) => (await cloudWatchClient(nimbus.current).send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }], StartTime: new Date(from),
      EndTime: new Date(to), Period: 60, Statistics: ['Average'] }))).Datapoints!
    assert.equal((await stats(start + 300_000, start + 900_000)).length, 2)
    const detailed = await stats(start + 1_500_000, start + 2_100_000)
    assert.equal(detailed.length, 10)
    assert.ok(detailed.every((d) => d.Average === 55))
    const off = await ec2().send(new UnmonitorInstancesCommand({ InstanceIds: [id] }))
    assert.deepEqual(off.InstanceMonitorings, [{ InstanceId: id, Monitoring: { State: 'disabling' } }])
    await advance(nimbus.current, 60_000)
    assert.equal((await describeOne(id)).Monitoring!.State, 'disabled')
    await rejects(ec2().send(new MonitorInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })), 'InvalidInstanceID.NotFound',
      "The instance ID 'i-0123456789abcdef0' does not exist")
  })

  it('GetConsoleOutput: nothing while first booting, then a base64 boot log saying what became of the user data', async () => {
    const userData = Buffer.from('#!/bin/bash\necho hello > /tmp/hello\n').toString('base64')
    const id = await launch({ UserData: userData })
    const early = await ec2().send(new GetConsoleOutputCommand({ InstanceId: id }))
    assert.equal(early.InstanceId, id)
    assert.equal(early.Output, undefined)
    await advance(nimbus.current, 30_000)
    const out = await ec2().send(new GetConsoleOutputCommand({ InstanceId: id, Latest: true }))
    const log = Buffer.from(out.Output!, 'base64').toString('utf8')
    assert.match(log, /Linux version/)
    assert.match(log, /Cloud-init v\. .* running 'init'/)
    assert.match(log, /user data \(36 bytes\) received; not run/)
    assert.ok(out.Timestamp instanceof Date)
    await rejects(ec2().send(new GetConsoleOutputCommand({ InstanceId: 'web-1' })), 'InvalidInstanceID.Malformed', 'Invalid id: "web-1"')
  })

  it('hibernates an instance configured for it (encrypted root); refuses one that is not', async () => {
    await rejects(launch({ HibernationOptions: { Configured: true } }), 'UnsupportedHibernationConfiguration')
    const id = await launch({ HibernationOptions: { Configured: true }, BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true } }] })
    const plain = await launch()
    await advance(nimbus.current, 30_000)
    assert.deepEqual((await describeOne(id)).HibernationOptions, { Configured: true })
    await rejects(ec2().send(new StopInstancesCommand({ InstanceIds: [plain], Hibernate: true })), 'UnsupportedOperation')
    const stopping = await ec2().send(new StopInstancesCommand({ InstanceIds: [id], Hibernate: true }))
    assert.equal(stopping.StoppingInstances![0]!.CurrentState!.Name, 'stopping')
    await advance(nimbus.current, 60_000)
    const stopped = await describeOne(id)
    assert.equal(stopped.State!.Name, 'stopped')
    assert.deepEqual(stopped.StateReason, { Code: 'Client.UserInitiatedHibernate', Message: 'Client.UserInitiatedHibernate: User initiated hibernate' })
    assert.equal((await describeOne(plain)).State!.Name, 'running')
  })
})
