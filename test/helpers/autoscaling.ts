// Auto Scaling test helpers: a client on the test Nimbus, an AMI to launch, a launch configuration and group.
import {
  AutoScalingClient, CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand, DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand, type AutoScalingGroup, type Activity,
} from '@aws-sdk/client-auto-scaling'
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2'
import type { Nimbus } from '../../src/index.ts'
import { testCredentials, uniqueName } from './nimbus.ts'

export const asgClient = (nimbus: Nimbus, region = 'us-east-1') =>
  new AutoScalingClient({ endpoint: nimbus.endpoint, region, credentials: testCredentials })
export const ec2Client = (nimbus: Nimbus, region = 'us-east-1') => new EC2Client({ endpoint: nimbus.endpoint, region, credentials: testCredentials })

/** Amazon Linux 2023's AMI id in the region's catalog. */
export async function amiId(nimbus: Nimbus, region = 'us-east-1'): Promise<string> {
  const { Images } = await ec2Client(nimbus, region).send(new DescribeImagesCommand({ Owners: ['amazon'],
    Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*'] }, { Name: 'architecture', Values: ['x86_64'] }] }))
  return Images![0]!.ImageId!
}

/** A launch configuration of t3.micro instances; its name. */
export async function launchConfiguration(nimbus: Nimbus, name = uniqueName('lc')): Promise<string> {
  await asgClient(nimbus).send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: name, ImageId: await amiId(nimbus), InstanceType: 't3.micro' }))
  return name
}

/** A group over a new launch configuration in us-east-1a/b; its name. */
export async function group(nimbus: Nimbus, input: { min: number; max: number; desired?: number; zones?: string[]; name?: string } & Record<string, unknown>): Promise<string> {
  const { min, max, desired, zones, name = uniqueName('asg'), ...rest } = input
  await asgClient(nimbus).send(new CreateAutoScalingGroupCommand({
    AutoScalingGroupName: name, LaunchConfigurationName: await launchConfiguration(nimbus), MinSize: min, MaxSize: max,
    DesiredCapacity: desired, AvailabilityZones: zones ?? ['us-east-1a', 'us-east-1b'], ...rest,
  }))
  return name
}

export async function describeGroup(nimbus: Nimbus, name: string): Promise<AutoScalingGroup> {
  const { AutoScalingGroups } = await asgClient(nimbus).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))
  return AutoScalingGroups![0]!
}

/** The group's activities, oldest first. */
export async function activities(nimbus: Nimbus, name: string): Promise<Activity[]> {
  const { Activities } = await asgClient(nimbus).send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name, MaxRecords: 100 }))
  return [...Activities!].reverse()
}
