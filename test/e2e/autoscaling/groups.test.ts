// Auto Scaling groups with @aws-sdk/client-auto-scaling: create, describe, update, delete, and AWS's
// ValidationError / AlreadyExists answers for bad input.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateAutoScalingGroupCommand, DeleteAutoScalingGroupCommand, DeleteLaunchConfigurationCommand, DescribeAutoScalingGroupsCommand,
  DescribeLaunchConfigurationsCommand, UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling'
import { asgClient, describeGroup, launchConfiguration } from '../../helpers/autoscaling.ts'
import { useNimbus, uniqueName } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

describe('Auto Scaling groups', () => {
  it('creates a group and describes it as AWS does', async () => {
    const client = asgClient(nimbus.current)
    const lc = await launchConfiguration(nimbus.current)
    const name = uniqueName('asg')
    await client.send(new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name, LaunchConfigurationName: lc, MinSize: 0, MaxSize: 3, AvailabilityZones: ['us-east-1a'],
      Tags: [{ Key: 'team', Value: 'blue', PropagateAtLaunch: true }],
    }))
    const g = await describeGroup(nimbus.current, name)
    assert.match(g.AutoScalingGroupARN!, new RegExp(`^arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName/${name}$`))
    assert.equal(g.LaunchConfigurationName, lc)
    assert.deepEqual([g.MinSize, g.MaxSize, g.DesiredCapacity, g.DefaultCooldown], [0, 3, 0, 300])
    assert.deepEqual(g.AvailabilityZones, ['us-east-1a'])
    assert.equal(g.HealthCheckType, 'EC2')
    assert.equal(g.HealthCheckGracePeriod, 0)
    assert.deepEqual(g.TerminationPolicies, ['Default'])
    assert.deepEqual(g.Instances, [])
    assert.deepEqual(g.Tags, [{ ResourceId: name, ResourceType: 'auto-scaling-group', Key: 'team', Value: 'blue', PropagateAtLaunch: true }])
    assert.equal(g.ServiceLinkedRoleARN, 'arn:aws:iam::000000000000:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling')
    assert.equal(g.CreatedTime!.getTime(), nimbus.current.clock.now())
  })

  it('answers AWS errors for a duplicate, a missing launch source, bad sizes and no zones', async () => {
    const client = asgClient(nimbus.current)
    const lc = await launchConfiguration(nimbus.current)
    const name = uniqueName('asg')
    const base = { AutoScalingGroupName: name, LaunchConfigurationName: lc, MinSize: 1, MaxSize: 2, AvailabilityZones: ['us-east-1a'] }
    await client.send(new CreateAutoScalingGroupCommand({ ...base, MinSize: 0 }))
    assert.deepEqual(await sdkError(client.send(new CreateAutoScalingGroupCommand(base))), {
      name: 'AlreadyExistsFault', code: 'AlreadyExists', message: `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`, status: 400,
    })
    const other = uniqueName('asg')
    const cases: [Record<string, unknown>, string][] = [
      [{ LaunchConfigurationName: undefined }, 'Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.'],
      [{ MinSize: 3 }, 'Max bound, 2, must be greater than or equal to min bound, 3'],
      [{ DesiredCapacity: 5 }, 'Desired capacity:5 must be between the specified min size:1 and max size:2'],
      [{ AvailabilityZones: undefined }, 'At least one Availability Zone or VPC Subnet is required.'],
      [{ LaunchConfigurationName: 'nope' }, 'Launch configuration name not found - Launch configuration nope not found'],
      [{ VPCZoneIdentifier: 'subnet-00000000000000000', AvailabilityZones: undefined }, "The subnet ID 'subnet-00000000000000000' does not exist"],
    ]
    for (const [change, message] of cases) {
      const error = await sdkError(client.send(new CreateAutoScalingGroupCommand({ ...base, AutoScalingGroupName: other, ...change })))
      assert.deepEqual(error, { name: 'ValidationError', code: 'ValidationError', message, status: 400 }, message)
    }
    assert.deepEqual(await sdkError(client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'missing', MaxSize: 1 }))), {
      name: 'ValidationError', code: 'ValidationError', message: 'AutoScalingGroup name not found - AutoScalingGroup missing not found', status: 400,
    })
    assert.deepEqual(await sdkError(client.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: lc }))).then((e) => e.code), 'ResourceInUse')
  })

  it('updates and deletes; launch configurations list and go', async () => {
    const client = asgClient(nimbus.current)
    const lc = await launchConfiguration(nimbus.current)
    const name = uniqueName('asg')
    await client.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: name, LaunchConfigurationName: lc, MinSize: 0, MaxSize: 2, AvailabilityZones: ['us-east-1a'] }))
    await client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MaxSize: 4, DefaultCooldown: 60, HealthCheckGracePeriod: 120 }))
    const g = await describeGroup(nimbus.current, name)
    assert.deepEqual([g.MaxSize, g.DefaultCooldown, g.HealthCheckGracePeriod], [4, 60, 120])
    await client.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name }))
    const { AutoScalingGroups } = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))
    assert.deepEqual(AutoScalingGroups, [])
    const { LaunchConfigurations } = await client.send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [lc] }))
    assert.equal(LaunchConfigurations![0]!.InstanceType, 't3.micro')
    assert.deepEqual(LaunchConfigurations![0]!.InstanceMonitoring, { Enabled: true })
    await client.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: lc }))
    assert.deepEqual((await client.send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [lc] }))).LaunchConfigurations, [])
  })
})
