// Groups, instances and activities as Auto Scaling's responses show them.
import type { Activity as ActivityShape, AutoScalingGroup, Instance, TagDescription } from './generated/types.ts'
import type { Activity, Group, GroupInstance } from './group.ts'
import { warmPoolConfiguration } from './warm-pool-view.ts'

export function groupView(g: Group): AutoScalingGroup {
  return {
    AutoScalingGroupName: g.name, AutoScalingGroupARN: g.arn,
    ...(g.launchConfigurationName !== undefined && { LaunchConfigurationName: g.launchConfigurationName }),
    ...(g.launchTemplate !== undefined && { LaunchTemplate: { ...g.launchTemplate } }),
    ...(g.mixedInstancesPolicy !== undefined && { MixedInstancesPolicy: g.mixedInstancesPolicy as AutoScalingGroup['MixedInstancesPolicy'] }),
    MinSize: g.min, MaxSize: g.max, DesiredCapacity: g.desired, DefaultCooldown: g.defaultCooldown,
    AvailabilityZones: [...g.zones], LoadBalancerNames: [], TargetGroupARNs: [],
    HealthCheckType: g.healthCheckType, HealthCheckGracePeriod: g.healthCheckGracePeriod,
    Instances: g.instances.filter((i) => i.state !== 'Terminated' && i.state !== 'Detached').map(instanceView),
    CreatedTime: new Date(g.createdTime),
    SuspendedProcesses: g.suspended.map((p) => ({ ...p })),
    ...(g.placementGroup !== undefined && { PlacementGroup: g.placementGroup }),
    // AWS answers the subnets as given, comma-separated; an AZ-only group has an empty one.
    VPCZoneIdentifier: g.subnets.map((s) => s.id).join(','),
    EnabledMetrics: g.enabledMetrics.map((m) => ({ ...m })),
    ...(g.status !== undefined && { Status: g.status }),
    Tags: g.tags.map((t) => tagView(g, t)),
    TerminationPolicies: [...g.terminationPolicies],
    NewInstancesProtectedFromScaleIn: g.newInstancesProtectedFromScaleIn,
    ServiceLinkedRoleARN: g.serviceLinkedRoleArn,
    ...(g.maxInstanceLifetime !== undefined && { MaxInstanceLifetime: g.maxInstanceLifetime }),
    CapacityRebalance: g.capacityRebalance,
    ...(g.defaultInstanceWarmup !== undefined && { DefaultInstanceWarmup: g.defaultInstanceWarmup }),
    TrafficSources: [],
    ...(g.warmPool !== undefined && { WarmPoolConfiguration: warmPoolConfiguration(g.warmPool), WarmPoolSize: g.warmPool.instances.length }),
  }
}

export function tagView(g: Group, t: { Key: string; Value: string; PropagateAtLaunch: boolean }): TagDescription {
  return { ResourceId: g.name, ResourceType: 'auto-scaling-group', Key: t.Key, Value: t.Value, PropagateAtLaunch: t.PropagateAtLaunch }
}

export function instanceView(i: Omit<GroupInstance, 'state'> & { state: string }): Instance {
  return {
    InstanceId: i.id, InstanceType: i.instanceType, AvailabilityZone: i.zone, LifecycleState: i.state as Instance['LifecycleState'], HealthStatus: i.health,
    ...(i.launchConfigurationName !== undefined && { LaunchConfigurationName: i.launchConfigurationName }),
    ...(i.launchTemplate !== undefined && { LaunchTemplate: { LaunchTemplateId: i.launchTemplate.id, LaunchTemplateName: i.launchTemplate.name,
      Version: i.launchTemplate.version } }),
    ProtectedFromScaleIn: i.protectedFromScaleIn,
  }
}

export function activityView(a: Activity): ActivityShape {
  return {
    ActivityId: a.id, AutoScalingGroupName: a.groupName, Description: a.description, Cause: a.cause, StartTime: new Date(a.startTime),
    ...(a.endTime !== undefined && { EndTime: new Date(a.endTime) }),
    StatusCode: a.statusCode as ActivityShape['StatusCode'],
    ...(a.statusMessage !== undefined && { StatusMessage: a.statusMessage }),
    Progress: a.progress, Details: a.details, AutoScalingGroupARN: a.groupArn,
  }
}
