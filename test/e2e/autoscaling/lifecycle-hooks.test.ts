// Lifecycle hooks on the manual clock: Pending:Wait / Terminating:Wait with their SQS messages and
// EventBridge events, CompleteLifecycleAction, RecordLifecycleActionHeartbeat, the heartbeat
// timeout's DefaultResult, ABANDON ending a launch; notification configurations to SNS.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CompleteLifecycleActionCommand, DescribeLifecycleHooksCommand, DescribeNotificationConfigurationsCommand, PutLifecycleHookCommand,
  PutNotificationConfigurationCommand, RecordLifecycleActionHeartbeatCommand, SetDesiredCapacityCommand,
} from '@aws-sdk/client-auto-scaling'
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { activities, asgClient, describeGroup, group } from '../../helpers/autoscaling.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus({ clockStart: Date.UTC(2026, 11, 5, 2, 0, 0) })
const sqs = () => new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })

async function queue(): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: uniqueName('hooks') }))
  const { Attributes } = await sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))
  return { url: QueueUrl!, arn: Attributes!.QueueArn! }
}

async function drain(url: string): Promise<Record<string, unknown>[]> {
  const { Messages } = await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))
  return (Messages ?? []).map((m) => JSON.parse(m.Body!) as Record<string, unknown>)
}

describe('Auto Scaling lifecycle hooks', () => {
  it('launch hook: test notification, Pending:Wait, message, heartbeat, CONTINUE → InService', async () => {
    const client = asgClient(nimbus.current)
    const q = await queue()
    const name = await group(nimbus.current, { min: 0, max: 2, desired: 0, zones: ['us-east-1a'] })
    await client.send(new PutLifecycleHookCommand({ AutoScalingGroupName: name, LifecycleHookName: 'warm-up', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
      NotificationTargetARN: q.arn, RoleARN: 'arn:aws:iam::000000000000:role/hooks', HeartbeatTimeout: 60, NotificationMetadata: 'restore-volume' }))
    const [test] = await drain(q.url)
    assert.equal(test!.Event, 'autoscaling:TEST_NOTIFICATION')
    assert.equal(test!.AutoScalingGroupName, name)
    const { LifecycleHooks } = await client.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: name }))
    assert.deepEqual(LifecycleHooks, [{ LifecycleHookName: 'warm-up', AutoScalingGroupName: name, LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
      NotificationTargetARN: q.arn, RoleARN: 'arn:aws:iam::000000000000:role/hooks', NotificationMetadata: 'restore-volume', HeartbeatTimeout: 60,
      GlobalTimeout: 6000, DefaultResult: 'ABANDON' }])

    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }))
    let g = await describeGroup(nimbus.current, name)
    const id = g.Instances![0]!.InstanceId!
    assert.equal(g.Instances![0]!.LifecycleState, 'Pending:Wait')
    const [message] = await drain(q.url)
    assert.equal(message!.LifecycleTransition, 'autoscaling:EC2_INSTANCE_LAUNCHING')
    assert.equal(message!.EC2InstanceId, id)
    assert.equal(message!.LifecycleHookName, 'warm-up')
    assert.equal(message!.NotificationMetadata, 'restore-volume')
    assert.equal(message!.Service, 'AWS Auto Scaling')
    assert.equal((await activities(nimbus.current, name)).at(-1)!.StatusCode, 'MidLifecycleAction')
    // A heartbeat at 50 s pushes the timeout to 110 s: at 100 s it still waits.
    await advance(nimbus.current, 50_000)
    await client.send(new RecordLifecycleActionHeartbeatCommand({ AutoScalingGroupName: name, LifecycleHookName: 'warm-up', InstanceId: id }))
    await advance(nimbus.current, 50_000)
    assert.equal((await describeGroup(nimbus.current, name)).Instances![0]!.LifecycleState, 'Pending:Wait')
    await client.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: name, LifecycleHookName: 'warm-up',
      LifecycleActionToken: message!.LifecycleActionToken as string, LifecycleActionResult: 'CONTINUE' }))
    g = await describeGroup(nimbus.current, name)
    assert.equal(g.Instances![0]!.LifecycleState, 'InService')
    const launch = (await activities(nimbus.current, name)).at(-1)!
    assert.equal(launch.StatusCode, 'Successful')
    assert.deepEqual(await sdkError(client.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: name, LifecycleHookName: 'warm-up',
      InstanceId: id, LifecycleActionResult: 'CONTINUE' }))),
    { name: 'ValidationError', code: 'ValidationError', message: `No active Lifecycle Action found with instance ID ${id}`, status: 400 })
  })

  it('the heartbeat timeout applies DefaultResult: ABANDON ends the launch and a replacement follows', async () => {
    const client = asgClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 2, desired: 0, zones: ['us-east-1a'] })
    await client.send(new PutLifecycleHookCommand({ AutoScalingGroupName: name, LifecycleHookName: 'gate', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
      HeartbeatTimeout: 30 }))
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }))
    const first = (await describeGroup(nimbus.current, name)).Instances![0]!.InstanceId!
    await advance(nimbus.current, 30_000)
    const list = await activities(nimbus.current, name)
    const abandoned = list.find((a) => a.Description!.startsWith(`Launching a new EC2 instance: ${first}`))!
    assert.equal(abandoned.StatusCode, 'Cancelled')
    assert.equal(abandoned.StatusMessage, "Instance failed to complete user's Lifecycle Action: Lifecycle Action Completed with ABANDON Result")
    const g = await describeGroup(nimbus.current, name)
    const replacement = g.Instances!.find((i) => i.InstanceId !== first)!
    assert.equal(replacement.LifecycleState, 'Pending:Wait')
  })

  it('terminate hook: Terminating:Wait, EventBridge events, CONTINUE → terminated; SNS launch/terminate notifications', async () => {
    const client = asgClient(nimbus.current)
    const events = await queue()
    const notifications = await queue()
    const eb = new EventBridgeClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const topic = await createTopic(snsClient(nimbus.current))
    await subscribeQueue(snsClient(nimbus.current), topic, notifications.arn, { RawMessageDelivery: 'true' })
    const name = await group(nimbus.current, { min: 0, max: 2, desired: 0, zones: ['us-east-1a'] })
    const rule = uniqueName('asg-events')
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['aws.autoscaling'], detail: { AutoScalingGroupName: [name] } }) }))
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: events.arn }] }))
    await client.send(new PutNotificationConfigurationCommand({ AutoScalingGroupName: name, TopicARN: topic,
      NotificationTypes: ['autoscaling:EC2_INSTANCE_LAUNCH', 'autoscaling:EC2_INSTANCE_TERMINATE'] }))
    const { NotificationConfigurations } = await client.send(new DescribeNotificationConfigurationsCommand({ AutoScalingGroupNames: [name] }))
    assert.deepEqual(NotificationConfigurations!.map((n) => n.NotificationType), ['autoscaling:EC2_INSTANCE_LAUNCH', 'autoscaling:EC2_INSTANCE_TERMINATE'])
    assert.equal((await drain(notifications.url))[0]!.Event, 'autoscaling:TEST_NOTIFICATION')
    await client.send(new PutLifecycleHookCommand({ AutoScalingGroupName: name, LifecycleHookName: 'snapshot', LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      HeartbeatTimeout: 300, DefaultResult: 'CONTINUE' }))
    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }))
    await advance(nimbus.current, 10_000)
    const id = (await describeGroup(nimbus.current, name)).Instances![0]!.InstanceId!
    const [launched] = await drain(notifications.url)
    assert.equal(launched!.Event, 'autoscaling:EC2_INSTANCE_LAUNCH')
    assert.equal(launched!.EC2InstanceId, id)
    assert.equal(launched!.Description, `Launching a new EC2 instance: ${id}`)

    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 0 }))
    assert.equal((await describeGroup(nimbus.current, name)).Instances![0]!.LifecycleState, 'Terminating:Wait')
    // The heartbeat timeout (300 s) runs out: DefaultResult CONTINUE lets the termination proceed.
    await advance(nimbus.current, 300_000)
    assert.equal((await describeGroup(nimbus.current, name)).Instances![0]!.LifecycleState, 'Terminating:Proceed')
    await advance(nimbus.current, 10_000)
    assert.deepEqual((await describeGroup(nimbus.current, name)).Instances, [])
    const [terminated] = await drain(notifications.url)
    assert.equal(terminated!.Event, 'autoscaling:EC2_INSTANCE_TERMINATE')
    const seen: { type: string; detail: Record<string, unknown> }[] = []
    for (let k = 0; k < 3; k++) for (const e of await drain(events.url)) seen.push({ type: e['detail-type'] as string, detail: e.detail as Record<string, unknown> })
    assert.deepEqual(seen.map((e) => e.type), ['EC2 Instance Launch Successful', 'EC2 Instance-terminate Lifecycle Action', 'EC2 Instance Terminate Successful'])
    assert.equal(seen[1]!.detail.LifecycleHookName, 'snapshot')
    assert.equal(seen[1]!.detail.Origin, 'AutoScalingGroup')
    assert.equal(seen[1]!.detail.Destination, 'EC2')
    assert.equal(seen[2]!.detail.EC2InstanceId, id)
  })
})
