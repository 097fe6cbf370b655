// Instance refresh on the clock: replaces a group's instances batch by batch without dropping
// below MinHealthyPercentage of desired capacity (terminate first), or, with MaxHealthyPercentage
// above 100, launching the new ones first; each new instance counts once InService and warmed up.
// Checkpoints pause it; Cancel stops it; Rollback (or AutoRollback) brings the previous launch
// source back the same way. The Scaler calls step() on every run and asks wake() for its next instant.
import type { Ec2Port } from '../ec2/port.ts'
import type { Announcer } from './announcer.ts'
import { causeTime, templateSpec } from './group-input.ts'
import { countsTowardCapacity, type Group, type GroupInstance, type InstanceRefreshRecord, isSuspended } from './group.ts'
import { chooseZone, launchOne } from './launcher.ts'
import type { Lifecycle } from './lifecycle.ts'
import type { AutoScalingState } from './store.ts'

export function activeRefresh(group: Group): InstanceRefreshRecord | undefined {
  const r = group.refreshes?.[0]
  return r !== undefined && (r.status === 'Pending' || r.status === 'InProgress' || r.status === 'RollbackInProgress' || r.status === 'Cancelling') ? r : undefined
}

/** Whether an instance already runs the group's current launch source (SkipMatching, and what a rollback replaces). */
export function matchesGroup(ec2: Ec2Port, group: Group, i: GroupInstance): boolean {
  if (group.launchConfigurationName !== undefined) return i.launchConfigurationName === group.launchConfigurationName
  const spec = group.launchTemplate ?? (group.mixedInstancesPolicy as { LaunchTemplate?: { LaunchTemplateSpecification?: Group['launchTemplate'] } } | undefined)
    ?.LaunchTemplate?.LaunchTemplateSpecification
  if (spec === undefined || i.launchTemplate === undefined) return false
  const found = ec2.launchTemplateData(group.account, group.region, templateSpec(spec))
  return found.ok && found.id === i.launchTemplate.id && String(found.version) === i.launchTemplate.version
}

/** The instances a refresh (or rollback) replaces, in the group's order. */
export function instancesToReplace(ec2: Ec2Port, group: Group, r: Pick<InstanceRefreshRecord, 'skipMatching' | 'scaleInProtected' | 'standby'>, forRollback: boolean): string[] {
  return group.instances.filter((i) => {
    if (i.leaving !== undefined) return false
    if (i.state === 'Standby' && r.standby !== 'Terminate') return false
    if (i.state !== 'Standby' && !countsTowardCapacity(i)) return false
    if (i.protectedFromScaleIn && r.scaleInProtected !== 'Refresh') return false
    return !((forRollback || r.skipMatching) && matchesGroup(ec2, group, i))
  }).map((i) => i.id)
}

export class Refresher {
  private readonly state: AutoScalingState
  private readonly ec2: Ec2Port
  private readonly announcer: Announcer
  private readonly lifecycle: Lifecycle

  constructor(state: AutoScalingState, ec2: Ec2Port, announcer: Announcer, lifecycle: Lifecycle) {
    this.state = state
    this.ec2 = ec2
    this.announcer = announcer
    this.lifecycle = lifecycle
  }

  /** A launch-first refresh holds scale-in: it retires the old instances itself once the new ones are warm. */
  holdsScaleIn(group: Group): boolean {
    const r = activeRefresh(group)
    return r !== undefined && r.maxHealthyPercentage > 100
  }

  /** The refresh's next instant: a checkpoint's end or a new instance's warm-up end. */
  wake(group: Group, now: number): number {
    const r = activeRefresh(group)
    if (r === undefined) return Infinity
    if (r.checkpointUntil !== undefined && r.checkpointUntil > now) return r.checkpointUntil
    let next = Infinity
    for (const i of group.instances) {
      if (i.state === 'InService' && i.inServiceAt !== undefined && i.inServiceAt + r.warmup * 1000 > now) next = Math.min(next, i.inServiceAt + r.warmup * 1000)
    }
    return next
  }

  step(group: Group, now: number): void {
    const r = activeRefresh(group)
    if (r === undefined || isSuspended(group, 'InstanceRefresh')) return
    if (r.status === 'Pending') {
      r.status = 'InProgress'
      this.announcer.event?.(group, 'EC2 Auto Scaling Instance Refresh Started', { InstanceRefreshId: r.id, AutoScalingGroupName: group.name })
    }
    if (r.status === 'Cancelling') return this.end(group, r, 'Cancelled', now)
    if (r.checkpointUntil !== undefined) {
      if (r.checkpointUntil > now) return
      delete r.checkpointUntil
      delete r.statusReason
    }
    // Launches failing again and again fail the refresh (AutoRollback: roll back instead) [R: AWS's threshold is not documented].
    if ((group.launchFailures ?? 0) >= 3) {
      if (r.autoRollback && r.previous !== undefined && r.status === 'InProgress') startRollback(this.state, this.ec2, group, r, 'Instance refresh failed: launches failed.')
      else return this.end(group, r, r.status === 'RollbackInProgress' ? 'RollbackFailed' : 'Failed', now, 'Launching new instances failed.')
      return
    }
    const present = new Set(group.instances.filter((i) => i.state !== 'Terminated' && i.state !== 'Detached').map((i) => i.id))
    r.toReplace = r.toReplace.filter((id) => present.has(id) && group.instances.find((i) => i.id === id)!.leaving === undefined)
    const warm = (i: GroupInstance) => i.state === 'InService' && i.health === 'Healthy' && now >= (i.inServiceAt ?? now) + r.warmup * 1000
    const counting = group.instances.filter((i) => countsTowardCapacity(i) && i.leaving === undefined)
    const fresh = counting.filter((i) => !r.toReplace.includes(i.id))
    // Replacements still booting or warming up: wait for them; old ones still terminating too.
    if (fresh.some((i) => !warm(i)) || group.instances.some((i) => i.leaving === 'refresh') || counting.length < group.desired && !this.launchFirst(r)) return
    if (this.checkpoint(group, r, now)) return
    if (r.toReplace.length === 0) return this.end(group, r, r.status === 'RollbackInProgress' ? 'RollbackSuccessful' : 'Successful', now)
    if (this.launchFirst(r)) this.launchThenRetire(group, r, counting, now)
    else this.retire(group, r, Math.max(1, counting.filter(warm).length - Math.ceil(group.desired * r.minHealthyPercentage / 100)), now)
  }

  private launchFirst(r: InstanceRefreshRecord): boolean {
    return r.maxHealthyPercentage > 100
  }

  /** Terminate first: `batch` old instances leave; the capacity loop launches their replacements. */
  private retire(group: Group, r: InstanceRefreshRecord, batch: number, now: number): void {
    const at = causeTime(now)
    for (const id of r.toReplace.slice(0, batch)) {
      const i = group.instances.find((x) => x.id === id)!
      this.lifecycle.beginTermination(group, i, 'refresh',
        `At ${at} an instance was taken out of service in response to an instance refresh.  At ${at} instance ${id} was selected for termination.`)
    }
  }

  /** Launch first: new instances up to MaxHealthyPercentage; once they are warm, as many old ones leave. */
  private launchThenRetire(group: Group, r: InstanceRefreshRecord, counting: GroupInstance[], now: number): void {
    if (r.launched.length > 0) {
      const ready = r.launched.length
      r.launched = []
      this.retire(group, r, ready, now)
      return
    }
    const room = Math.floor(group.desired * r.maxHealthyPercentage / 100) - counting.length
    const count = Math.min(r.toReplace.length, Math.max(1, room))
    const cause = `At ${causeTime(now)} an instance was launched in response to an instance refresh.`
    for (let k = 0; k < count; k++) {
      const instance = launchOne(this.state, this.ec2, this.announcer, group, cause, chooseZone(group, counting))
      if (instance === undefined) return
      counting.push(instance)
      r.launched.push(instance.id)
      this.lifecycle.launched(group, instance, now)
    }
  }

  /** A checkpoint percentage reached: the refresh waits CheckpointDelay there. */
  private checkpoint(group: Group, r: InstanceRefreshRecord, now: number): boolean {
    r.percentageComplete = r.total === 0 ? 100 : Math.floor(100 * (r.total - r.toReplace.length) / r.total)
    const due = r.checkpoints.find((p) => p <= r.percentageComplete! && !r.checkpointsReached.includes(p))
    if (due === undefined || due === 100) {
      if (due === 100) r.checkpointsReached.push(due)
      return false
    }
    r.checkpointsReached.push(due)
    r.checkpointUntil = now + r.checkpointDelay * 1000
    r.statusReason = `Waiting for checkpoint (${due}%) delay of ${r.checkpointDelay} seconds to complete.` // [R]
    this.announcer.event?.(group, 'EC2 Auto Scaling Instance Refresh Checkpoint Reached',
      { InstanceRefreshId: r.id, AutoScalingGroupName: group.name, CheckpointPercentage: due, CheckpointDelay: r.checkpointDelay })
    return true
  }

  end(group: Group, r: InstanceRefreshRecord, status: InstanceRefreshRecord['status'], now: number, reason?: string): void {
    r.status = status
    if (reason !== undefined) r.statusReason = reason
    r.endTime = now
    r.percentageComplete = status === 'Successful' || status === 'RollbackSuccessful' ? 100 : r.percentageComplete
    delete r.checkpointUntil
    if (status === 'Successful') delete r.statusReason
    const names: Record<string, string> = { Successful: 'Succeeded', Cancelled: 'Cancelled', Failed: 'Failed', RollbackSuccessful: 'Rollback Succeeded' }
    if (names[status] !== undefined) {
      this.announcer.event?.(group, `EC2 Auto Scaling Instance Refresh ${names[status]}`, { InstanceRefreshId: r.id, AutoScalingGroupName: group.name })
    }
  }
}

/** Puts the previous launch source back and replaces every instance not launched from it. */
export function startRollback(state: AutoScalingState, ec2: Ec2Port, group: Group, r: InstanceRefreshRecord, reason: string): void {
  const previous = r.previous!
  delete group.launchConfigurationName
  delete group.launchTemplate
  delete group.mixedInstancesPolicy
  Object.assign(group, Object.fromEntries(Object.entries(previous).filter(([, v]) => v !== undefined)))
  r.status = 'RollbackInProgress'
  r.rollback = { reason, startTime: state.clock.now(), total: 0 }
  delete r.checkpointUntil
  r.checkpoints = []
  r.launched = []
  r.toReplace = instancesToReplace(ec2, group, { ...r, skipMatching: true }, true)
  r.total = r.toReplace.length
  r.percentageComplete = 0
  state.save(group)
}
