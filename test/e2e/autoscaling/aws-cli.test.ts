// The AWS CLI v1 against Auto Scaling: a launch configuration and group, activities, and an error.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { awsCli, awsCliError } from '../../helpers/aws-cli.ts'
import { amiId } from '../../helpers/autoscaling.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

describe('Auto Scaling with the AWS CLI', () => {
  it('creates, scales and describes a group; errors read as AWS prints them', async () => {
    const lc = uniqueName('lc')
    const name = uniqueName('asg')
    await awsCli(nimbus.current, 'autoscaling', 'create-launch-configuration', '--launch-configuration-name', lc,
      '--image-id', await amiId(nimbus.current), '--instance-type', 't3.micro')
    await awsCli(nimbus.current, 'autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', name, '--launch-configuration-name', lc,
      '--min-size', '1', '--max-size', '3', '--desired-capacity', '2', '--availability-zones', 'us-east-1a', 'us-east-1b',
      '--tags', `Key=env,Value=test,PropagateAtLaunch=true`)
    await advance(nimbus.current, 10_000)
    const out = await awsCli<{ AutoScalingGroups: { DesiredCapacity: number; Instances: { LifecycleState: string }[]; Tags: { Key: string }[] }[] }>(
      nimbus.current, 'autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', name)
    assert.equal(out.AutoScalingGroups[0]!.DesiredCapacity, 2)
    assert.deepEqual(out.AutoScalingGroups[0]!.Instances.map((i) => i.LifecycleState), ['InService', 'InService'])
    assert.equal(out.AutoScalingGroups[0]!.Tags[0]!.Key, 'env')
    await awsCli(nimbus.current, 'autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', name, '--desired-capacity', '1')
    const acts = await awsCli<{ Activities: { Description: string; StatusCode: string }[] }>(nimbus.current, 'autoscaling', 'describe-scaling-activities',
      '--auto-scaling-group-name', name)
    assert.equal(acts.Activities.length, 3)
    assert.match(acts.Activities[0]!.Description, /^Terminating EC2 instance: i-/)
    const error = await awsCliError(nimbus.current, 'autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', name, '--desired-capacity', '7')
    assert.match(error, /An error occurred \(ValidationError\) when calling the SetDesiredCapacity operation: New SetDesiredCapacity value 7 is above max value 3 for the AutoScalingGroup\./)
  })
})
