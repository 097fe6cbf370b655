// The notes' recipe for stateful instances, end to end: a terminating lifecycle hook whose Lambda
// function (EventBridge "EC2 Instance-terminate Lifecycle Action") snapshots the leaving instance's
// volume and completes the action, and a launching hook whose function restores the latest
// snapshot as a volume attached to the replacement before it goes InService.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateAutoScalingGroupCommand, SetDesiredCapacityCommand, TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling'
import { DescribeSnapshotsCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2'
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { asgClient, describeGroup, ec2Client, launchConfiguration } from '../../helpers/autoscaling.ts'
import { until } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

// The function speaks EC2's and Auto Scaling's query APIs to Nimbus (AWS_ENDPOINT_URL) with fetch.
const handler = `
const call = async (service, version, params) => {
  const res = await fetch(process.env.AWS_ENDPOINT_URL, { method: 'POST', body: new URLSearchParams({ ...params, Version: version }),
    headers: { 'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/' + service + '/aws4_request, SignedHeaders=host, Signature=0' } })
  const text = await res.text()
  if (res.status >= 300) throw new Error(text)
  return text
}
const ec2 = (p) => call('ec2', '2016-11-15', p)
const asg = (p) => call('autoscaling', '2011-01-01', p)
const pick = (xml, tag) => [...xml.matchAll(new RegExp('<' + tag + '>([^<]*)</' + tag + '>', 'g'))].map((m) => m[1])
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

exports.handler = async (event) => {
  const d = event.detail
  const group = d.AutoScalingGroupName
  const complete = () => asg({ Action: 'CompleteLifecycleAction', AutoScalingGroupName: group, LifecycleHookName: d.LifecycleHookName,
    LifecycleActionToken: d.LifecycleActionToken, LifecycleActionResult: 'CONTINUE' })
  if (d.LifecycleTransition === 'autoscaling:EC2_INSTANCE_TERMINATING') {
    const volumes = await ec2({ Action: 'DescribeVolumes', 'Filter.1.Name': 'attachment.instance-id', 'Filter.1.Value.1': d.EC2InstanceId })
    await ec2({ Action: 'CreateSnapshot', VolumeId: pick(volumes, 'volumeId')[0], 'TagSpecification.1.ResourceType': 'snapshot',
      'TagSpecification.1.Tag.1.Key': 'asg', 'TagSpecification.1.Tag.1.Value': group })
    await complete()
    return 'snapshot'
  }
  const tagged = { 'Owner.1': 'self', 'Filter.1.Name': 'tag:asg', 'Filter.1.Value.1': group }
  if (pick(await ec2({ Action: 'DescribeSnapshots', ...tagged }), 'snapshotId').length === 0) {
    // The very first instance: nothing to restore.
    await complete()
    return 'fresh'
  }
  let snapshotId
  while (snapshotId === undefined) {
    snapshotId = pick(await ec2({ Action: 'DescribeSnapshots', ...tagged, 'Filter.2.Name': 'status', 'Filter.2.Value.1': 'completed' }), 'snapshotId')[0]
    if (snapshotId === undefined) await sleep(20)
  }
  const zone = pick(await ec2({ Action: 'DescribeInstances', 'InstanceId.1': d.EC2InstanceId }), 'availabilityZone')[0]
  const volumeId = pick(await ec2({ Action: 'CreateVolume', SnapshotId: snapshotId, AvailabilityZone: zone }), 'volumeId')[0]
  for (;;) {
    const state = pick(await ec2({ Action: 'DescribeVolumes', 'VolumeId.1': volumeId }), 'status')[0]
    if (state === 'available') break
    await sleep(20)
  }
  await ec2({ Action: 'AttachVolume', VolumeId: volumeId, InstanceId: d.EC2InstanceId, Device: '/dev/sdf' })
  await complete()
  return 'restored'
}`

describe('Auto Scaling lifecycle hooks recipe', () => {
  it('a terminate hook snapshots the volume, the launch hook restores it onto the replacement', async () => {
    const ec2 = ec2Client(nimbus.current)
    // Its timeout runs on the clock too: long enough for the snapshot's 60 s and the volume's 5 s.
    const fn = await createFunction(lambdaClient(nimbus.current), handler, { Timeout: 900 })
    const name = uniqueName('stateful')
    const eb = new EventBridgeClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const rule = uniqueName('hooks')
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance-launch Lifecycle Action', 'EC2 Instance-terminate Lifecycle Action'], detail: { AutoScalingGroupName: [name] } }) }))
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'fn', Arn: `arn:aws:lambda:us-east-1:000000000000:function:${fn}` }] }))
    await asgClient(nimbus.current).send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: name, LaunchConfigurationName: await launchConfiguration(nimbus.current),
      MinSize: 0, MaxSize: 1, DesiredCapacity: 1, AvailabilityZones: ['us-east-1a'],
      LifecycleHookSpecificationList: [
        { LifecycleHookName: 'restore', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', HeartbeatTimeout: 600, DefaultResult: 'ABANDON' },
        { LifecycleHookName: 'snapshot', LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', HeartbeatTimeout: 600, DefaultResult: 'CONTINUE' },
      ] }))
    const state = async () => (await describeGroup(nimbus.current, name)).Instances!.map((i) => `${i.InstanceId}:${i.LifecycleState}`)
    // First launch: nothing to restore, the function continues it.
    await until(async () => (await state()).some((s) => s.endsWith(':Pending:Proceed')), 'the first launch to be continued')
    await advance(nimbus.current, 10_000)
    const first = (await describeGroup(nimbus.current, name)).Instances![0]!
    assert.equal(first.LifecycleState, 'InService')

    // Scale in: the terminate hook snapshots the leaving instance's volume.
    await asgClient(nimbus.current).send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: first.InstanceId!, ShouldDecrementDesiredCapacity: true }))
    const snapshots = async () => (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag:asg', Values: [name] }] }))).Snapshots!
    await until(async () => (await snapshots()).length === 1, 'the terminate hook to snapshot the volume')
    await until(async () => (await state()).includes(`${first.InstanceId}:Terminating:Proceed`), 'the terminate hook to complete')
    await advance(nimbus.current, 10_000)
    assert.deepEqual(await state(), [])
    // Scale out again: the launch hook waits for the snapshot (60 s of clock), restores it as a
    // volume (available 5 s later) attached to the new instance, then continues the launch.
    await asgClient(nimbus.current).send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }))
    const replacement = (await describeGroup(nimbus.current, name)).Instances![0]!.InstanceId!
    assert.deepEqual(await state(), [`${replacement}:Pending:Wait`])
    await advance(nimbus.current, 60_000)
    const restored = async () => (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'snapshot-id', Values: [(await snapshots())[0]!.SnapshotId!] }] }))).Volumes!
    await until(async () => (await restored()).length === 1, 'the launch hook to create the volume')
    await advance(nimbus.current, 5_000)
    // EC2 has run the instance for a while already: CONTINUE takes it straight to InService.
    await until(async () => (await state()).includes(`${replacement}:InService`), 'the launch hook to attach and continue')
    const [volume] = await restored()
    assert.equal(volume!.Attachments![0]!.InstanceId, replacement)
    assert.equal(volume!.Attachments![0]!.Device, '/dev/sdf')
  })
})
