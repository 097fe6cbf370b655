// The narrow, typed port other services use to reach Auto Scaling (EC2 tells it that instances
// changed; CloudWatch's alarm actions will run scaling policies through it). Types only.

export interface AutoScalingGroupView {
  account: string
  region: string
  name: string
  arn: string
  minSize: number
  maxSize: number
  desiredCapacity: number
  instances: { instanceId: string; availabilityZone: string; lifecycleState: string; healthStatus: string }[]
}

export interface AutoScalingPort {
  /** A group by name or ARN, settled to now; undefined when unknown. */
  group(account: string, region: string, name: string): AutoScalingGroupView | undefined
  /** EC2 says one of the account's instances in the region changed (state, status checks): health checks look again. */
  instancesChanged(account: string, region: string): void
}
