// Launching one instance into a group: its launch data (configuration or template, plus the
// group's propagated tags), the zone and subnet it goes to, the activity that records it.
import type { Ec2LaunchData, Ec2Port } from '../ec2/port.ts'
import type { Announcer } from './announcer.ts'
import { templateSpec } from './group-input.ts'
import { countsTowardCapacity, type Group, type GroupInstance } from './group.ts'
import { nextLaunch } from './mixed-instances.ts'
import type { AutoScalingState } from './store.ts'

/** AWS backs off failed launches; Nimbus doubles from 10 s up to 5 minutes [R]. */
export function launchBackoffMs(failures: number): number {
  return Math.min(300_000, 10_000 * 2 ** Math.max(0, failures - 1))
}

type Resolved = { ok: true; data: Ec2LaunchData; lc?: string; lt?: { id: string; name: string; version: string } } | { ok: false; message: string }

function resolveLaunchData(state: AutoScalingState, ec2: Ec2Port, group: Group): Resolved {
  const tags = [{ Key: 'aws:autoscaling:groupName', Value: group.name },
    ...group.tags.filter((t) => t.PropagateAtLaunch).map((t) => ({ Key: t.Key, Value: t.Value }))]
  if (group.launchConfigurationName !== undefined) {
    const lc = state.region(group.account, group.region).launchConfigurations.get(group.launchConfigurationName)
    if (lc === undefined) return { ok: false, message: `Launch configuration ${group.launchConfigurationName} not found.` }
    return { ok: true, lc: lc.name, data: { imageId: lc.imageId, instanceType: lc.instanceType, keyName: lc.keyName,
      securityGroupIds: lc.securityGroups.length > 0 ? lc.securityGroups : undefined, userData: lc.userData, tags,
      monitoring: lc.instanceMonitoring, ...(lc.spotPrice !== undefined && { spot: { maxPrice: lc.spotPrice } }),
      ...(lc.iamInstanceProfile !== undefined && { iamInstanceProfile: lc.iamInstanceProfile.startsWith('arn:') ? { Arn: lc.iamInstanceProfile } : { Name: lc.iamInstanceProfile } }),
      ...(lc.metadataOptions !== undefined && { metadataOptions: lc.metadataOptions as Ec2LaunchData['metadataOptions'] }) } }
  }
  const mixed = group.mixedInstancesPolicy as { LaunchTemplate?: { LaunchTemplateSpecification?: Group['launchTemplate'] } } | undefined
  const spec = group.launchTemplate ?? mixed?.LaunchTemplate?.LaunchTemplateSpecification
  if (spec === undefined) return { ok: false, message: 'The group has no launch configuration or template.' }
  const found = ec2.launchTemplateData(group.account, group.region, templateSpec(spec))
  if (!found.ok) return { ok: false, message: found.message }
  return { ok: true, lt: { id: found.id, name: found.name, version: String(found.version) },
    data: { ...found.data, tags: [...tags, ...(found.data.tags ?? [])] } }
}

/** The zone with the fewest of the group's counting instances (ties: the zone listed first), and a subnet there. */
export function chooseZone(group: Group, counting: readonly GroupInstance[]): { zone: string; subnetId?: string } {
  const count = (zone: string) => counting.filter((i) => i.zone === zone).length
  const zone = group.zones.reduce((best, z) => (count(z) < count(best) ? z : best))
  const subnets = group.subnets.filter((s) => s.zone === zone)
  if (subnets.length === 0) return { zone }
  const bySubnet = (id: string) => counting.filter((i) => i.subnetId === id).length
  return { zone, subnetId: subnets.reduce((best, s) => (bySubnet(s.id) < bySubnet(best.id) ? s : best)).id }
}

/**
 * Launches one instance; records the activity (InProgress, or Failed with EC2's reason). Returns
 * the new instance, or undefined when the launch failed (the group then backs off).
 */
export function launchOne(state: AutoScalingState, ec2: Ec2Port, announcer: Announcer, group: Group, cause: string,
  placement: { zone: string; subnetId?: string }): GroupInstance | undefined {
  const now = state.clock.now()
  const details = JSON.stringify({ ...(placement.subnetId !== undefined && { 'Subnet ID': placement.subnetId }), 'Availability Zone': placement.zone })
  const counting = group.instances.filter((i) => countsTowardCapacity(i) && i.leaving === undefined && i.atRisk !== true)
  const market = nextLaunch(ec2, group, counting, placement.zone)
  const base = resolveLaunchData(state, ec2, group)
  const resolved: Resolved = !base.ok ? base : { ...base, data: { ...base.data, ...(market.instanceType !== undefined && { instanceType: market.instanceType }),
    ...(market.spot !== undefined && { spot: market.spot }) } }
  const launched = resolved.ok
    ? ec2.launch(group.account, group.region, resolved.data, 1, placement.subnetId !== undefined ? { subnetId: placement.subnetId } : { availabilityZone: placement.zone })
    : { ok: false as const, code: 'ValidationError', message: resolved.message }
  if (!launched.ok || !resolved.ok) {
    const message = `${launched.ok ? '' : launched.message} Launching EC2 instance failed.`.trim()
    const activity = state.startActivity(group, { description: `Launching a new EC2 instance.  Status Reason: ${message}`, cause, details })
    state.finishActivity(group, activity, 'Failed', message)
    group.launchFailures = (group.launchFailures ?? 0) + 1
    group.launchRetryAt = now + launchBackoffMs(group.launchFailures)
    announcer.instance(group, 'launch-error', activity, undefined)
    return undefined
  }
  group.launchFailures = 0
  delete group.launchRetryAt
  const id = launched.instanceIds[0]!
  const activity = state.startActivity(group, { description: `Launching a new EC2 instance: ${id}`, cause, details })
  const view = ec2.instance(id)
  const instance: GroupInstance = {
    id, zone: placement.zone, ...(placement.subnetId !== undefined && { subnetId: placement.subnetId }),
    instanceType: view?.instanceType ?? resolved.data.instanceType ?? 'm1.small', imageId: view?.imageId ?? resolved.data.imageId,
    state: 'Pending', health: 'Healthy', protectedFromScaleIn: group.newInstancesProtectedFromScaleIn, launchTime: now,
    ...(resolved.lc !== undefined && { launchConfigurationName: resolved.lc }),
    ...(resolved.lt !== undefined && { launchTemplate: resolved.lt }),
    activityId: activity.id, ...(resolved.data.spot !== undefined && { market: 'spot' as const }),
  }
  group.instances.push(instance)
  return instance
}
