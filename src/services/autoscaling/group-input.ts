// CreateAutoScalingGroup's and UpdateAutoScalingGroup's checks, in AWS's order and words, and the
// new group record they build.
import type { Ec2Port } from '../ec2/port.ts'
import { autoScalingErrors } from './errors.ts'
import { deterministicUuid } from './ids.ts'
import type { CreateAutoScalingGroupType } from './generated/types.ts'
import type { Group } from './group.ts'
import type { RegionAutoScaling } from './store.ts'

export const terminationPolicyNames = ['Default', 'AllocationStrategy', 'ClosestToNextInstanceHour', 'NewestInstance', 'OldestInstance',
  'OldestLaunchConfiguration', 'OldestLaunchTemplate']

/** At 2026-12-05T01:02:03Z: how AWS stamps the sentences of an activity's Cause (seconds, UTC). */
export function causeTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`
}

export function checkSizes(min: number, max: number, desired: number): void {
  if (max < min) throw autoScalingErrors.validation(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`)
  if (desired < min || desired > max) {
    throw autoScalingErrors.validation(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`)
  }
}

/** VPCZoneIdentifier's subnets, each with its zone (EC2's); AWS rejects an unknown one. */
export function resolveSubnets(ec2: Ec2Port, account: string, region: string, identifier: string): { id: string; zone: string }[] {
  const ids = identifier.split(',').map((s) => s.trim()).filter((s) => s !== '')
  return ids.map((id) => {
    const subnet = ec2.subnet(account, region, id)
    if (subnet === undefined) throw autoScalingErrors.validation(`The subnet ID '${id}' does not exist`)
    return { id, zone: subnet.availabilityZone }
  })
}

export function checkZones(ec2: Ec2Port, region: string, zones: readonly string[]): void {
  const known = ec2.zones(region)
  for (const zone of zones) if (!known.includes(zone)) throw autoScalingErrors.validation(`Invalid Availability Zone: ${zone}`)
}

export function checkTerminationPolicies(policies: readonly string[] | undefined): void {
  for (const p of policies ?? []) {
    if (!terminationPolicyNames.includes(p) && !p.startsWith('arn:aws:lambda:')) {
      throw autoScalingErrors.validation(`Termination policy ${p} is not supported.`)
    }
  }
}

/** The launch source a group names, checked to exist (launch configuration here, template in EC2). */
export function checkLaunchSource(region: RegionAutoScaling, ec2: Ec2Port,
  input: Pick<CreateAutoScalingGroupType, 'LaunchConfigurationName' | 'LaunchTemplate' | 'MixedInstancesPolicy'>): { id: string; name: string } | undefined {
  if (input.LaunchConfigurationName !== undefined && !region.launchConfigurations.has(input.LaunchConfigurationName)) {
    throw autoScalingErrors.launchConfigurationNotFound(input.LaunchConfigurationName)
  }
  const template = input.LaunchTemplate ?? input.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification
  if (template !== undefined) {
    if ((template.LaunchTemplateId === undefined) === (template.LaunchTemplateName === undefined)) {
      throw autoScalingErrors.validation('Valid requests must contain either launchTemplateId or LaunchTemplateName')
    }
    const found = ec2.launchTemplateData(region.account, region.region, template)
    if (!found.ok) throw autoScalingErrors.validation(`You must use a valid fully-formed launch template. ${found.message}`)
    return { id: found.id, name: found.name }
  }
  return undefined
}

/** A stored template reference as EC2 resolves it: by id when known (a group keeps both id and name). */
export function templateSpec(spec: { LaunchTemplateId?: string; LaunchTemplateName?: string; Version?: string }) {
  return spec.LaunchTemplateId !== undefined ? { LaunchTemplateId: spec.LaunchTemplateId, Version: spec.Version }
    : { LaunchTemplateName: spec.LaunchTemplateName, Version: spec.Version }
}

/** AWS describes a group's template by both id and name, however it was named. */
export function fullTemplate(spec: { Version?: string }, resolved: { id: string; name: string } | undefined) {
  return resolved === undefined ? { ...spec } : { LaunchTemplateId: resolved.id, LaunchTemplateName: resolved.name, Version: spec.Version ?? '$Default' }
}

export function newGroup(region: RegionAutoScaling, input: CreateAutoScalingGroupType, subnets: { id: string; zone: string }[], now: number): Group {
  const { account, region: name } = region
  const uuid = deterministicUuid(`${account}/${name}/group/${input.AutoScalingGroupName}/${now}`)
  const zones = subnets.length > 0 ? [...new Set(subnets.map((s) => s.zone))] : [...new Set(input.AvailabilityZones ?? [])]
  return {
    account, region: name, name: input.AutoScalingGroupName,
    arn: `arn:aws:autoscaling:${name}:${account}:autoScalingGroup:${uuid}:autoScalingGroupName/${input.AutoScalingGroupName}`,
    createdTime: now,
    ...(input.LaunchConfigurationName !== undefined && { launchConfigurationName: input.LaunchConfigurationName }),
    ...(input.LaunchTemplate !== undefined && { launchTemplate: { ...input.LaunchTemplate } }),
    ...(input.MixedInstancesPolicy !== undefined && { mixedInstancesPolicy: input.MixedInstancesPolicy }),
    min: input.MinSize, max: input.MaxSize, desired: 0,
    defaultCooldown: input.DefaultCooldown ?? 300,
    ...(input.DefaultInstanceWarmup !== undefined && { defaultInstanceWarmup: input.DefaultInstanceWarmup }),
    zones, subnets,
    healthCheckType: input.HealthCheckType ?? 'EC2', healthCheckGracePeriod: input.HealthCheckGracePeriod ?? 0,
    terminationPolicies: input.TerminationPolicies !== undefined && input.TerminationPolicies.length > 0 ? [...input.TerminationPolicies] : ['Default'],
    newInstancesProtectedFromScaleIn: input.NewInstancesProtectedFromScaleIn === true,
    ...(input.MaxInstanceLifetime !== undefined && input.MaxInstanceLifetime > 0 && { maxInstanceLifetime: input.MaxInstanceLifetime }),
    capacityRebalance: input.CapacityRebalance === true,
    ...(input.PlacementGroup !== undefined && { placementGroup: input.PlacementGroup }),
    serviceLinkedRoleArn: input.ServiceLinkedRoleARN
      ?? `arn:aws:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    tags: (input.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '', PropagateAtLaunch: t.PropagateAtLaunch === true })),
    suspended: [], enabledMetrics: [], instances: [], notifications: [], hooks: [],
    cooldownUntil: 0,
  }
}

/** MaxInstanceLifetime: 0 clears it; else at least one day (86,400 s) and at most 365 days. */
export function checkMaxInstanceLifetime(seconds: number | undefined): void {
  if (seconds === undefined || seconds === 0) return
  if (seconds < 86_400 || seconds > 31_536_000) {
    throw autoScalingErrors.validation('Maximum instance lifetime must be between 86400 and 31536000 seconds (inclusive), or 0 to clear it.')
  }
}
