// The control loop, on the clock: each group is reconciled when something changes it (an API call,
// EC2 telling that an instance changed) and at the next instant its own work falls due (a pending
// instance's boot, a lifecycle hook's timeout, a launch retry, a grace period's end, an instance's
// maximum lifetime). One timer per group, armed for that instant: nothing runs while nothing is due.
import type { Timer } from '../../core/clock.ts'
import type { Ec2InstanceView, Ec2Port } from '../ec2/port.ts'
import type { Announcer } from './announcer.ts'
import { causeTime } from './group-input.ts'
import { countsTowardCapacity, type Group, type GroupInstance, isSuspended } from './group.ts'
import { recordGroupMetrics } from './group-metrics.ts'
import { chooseZone, launchOne } from './launcher.ts'
import { Lifecycle } from './lifecycle.ts'
import { Refresher } from './refresh.ts'
import type { AutoScalingState } from './store.ts'
import { chooseForTermination } from './termination.ts'
import { WarmPools } from './warm-pool.ts'

/**
 * How often Auto Scaling looks at instances between states (Pending → InService once EC2 says
 * running; Terminating → Terminated once EC2 says terminated): every 10 s of clock, only while
 * some instance is in between. EC2 boots and terminates in 10 s by default, so these line up.
 */
export const TRANSITION_POLL_MS = 10_000

const inBetween = new Set(['Pending', 'Pending:Proceed', 'Terminating', 'Terminating:Proceed'])

export class Scaler {
  readonly lifecycle: Lifecycle
  readonly refresher: Refresher
  readonly warmPools: WarmPools
  private readonly state: AutoScalingState
  private readonly ec2: Ec2Port
  private readonly announcer: Announcer
  private readonly timers = new Map<Group, { at: number; timer: Timer }>()
  private readonly running = new Set<Group>()
  /** Per region key, the instance ids EC2 reported changed this turn ('all': a report named none). */
  private readonly changedRegions = new Map<string, Set<string> | 'all'>()
  /**
   * Per region key, instance id → the group holding it as last indexed. `stale`: some group has
   * gained an instance since (run() notices it), so a miss rebuilds the index; otherwise a miss is an
   * instance of no group (one that left), answered without a scan.
   */
  private readonly holders = new Map<string, { byId: Map<string, Group>; stale: boolean }>()
  /** Reconciliations run (health: the bench and tests read it). */
  runs = 0
  /** Told when a group's AWS/AutoScaling metrics changed (CloudWatch re-plans the alarms on them). */
  onMetricsChanged: ((group: Group) => void) | undefined

  constructor(state: AutoScalingState, ec2: Ec2Port, announcer: Announcer) {
    this.state = state
    this.ec2 = ec2
    this.announcer = announcer
    this.lifecycle = new Lifecycle(state, ec2, announcer)
    this.refresher = new Refresher(state, ec2, announcer, this.lifecycle)
    this.warmPools = new WarmPools(state, ec2, announcer, this.lifecycle)
  }

  /**
   * CapacityRebalance: a Spot instance at elevated risk (a rebalance recommendation, or the
   * interruption notice itself) gets a replacement launched before it is retired.
   */
  spotSignal(account: string, region: string, instanceId: string): void {
    for (const group of this.state.regions.peek(account, region)?.groups.values() ?? []) {
      const i = group.instances.find((x) => x.id === instanceId)
      if (i === undefined || !group.capacityRebalance || i.leaving !== undefined || i.atRisk === true) continue
      i.atRisk = true
      this.run(group)
    }
  }

  /** The group's configuration or desired capacity changed: act now. */
  changed(group: Group): void {
    this.run(group)
  }

  /** Before a read: what fell due is already done by the timers; this catches anything changed meanwhile. */
  settle(group: Group): void {
    this.run(group)
  }

  /**
   * EC2 says an instance of this account and region changed: once this turn's work is done, look at
   * the groups holding the instances named meanwhile (every group with instances when one change
   * named none). A group none of whose instances changed has nothing new to see: its own timer
   * covers the work that falls due.
   */
  ec2Changed(account: string, region: string, instanceId?: string): void {
    const key = `${account}/${region}`
    const pending = this.changedRegions.get(key)
    if (pending !== undefined) {
      if (instanceId === undefined) this.changedRegions.set(key, 'all')
      else if (pending !== 'all') pending.add(instanceId)
      return
    }
    this.changedRegions.set(key, instanceId === undefined ? 'all' : new Set([instanceId]))
    this.state.clock.at(this.state.clock.now(), () => {
      const ids = this.changedRegions.get(key)
      this.changedRegions.delete(key)
      const r = this.state.regions.peek(account, region)
      if (r === undefined) return
      const named = ids === 'all' || ids === undefined ? undefined : this.holding(key, r.groups, ids)
      // In the region's group order, as when every group was asked whether it holds one of them.
      for (const group of r.groups.values()) {
        if (group.instances.length === 0) continue
        if (named === undefined || named.has(group)) this.run(group)
      }
    })
  }

  /** The groups holding these instances (an instance of no group names none). */
  private holding(key: string, groups: ReadonlyMap<string, Group>, ids: ReadonlySet<string>): Set<Group> {
    const out = new Set<Group>()
    const index = this.holders.get(key) ?? this.holders.set(key, { byId: new Map(), stale: true }).get(key)!
    for (const id of ids) {
      let group = index.byId.get(id)
      const current = (g: Group | undefined) => g !== undefined && groups.get(g.name) === g && g.instances.some((i) => i.id === id)
      if (!current(group) && index.stale) {
        index.byId.clear()
        for (const g of groups.values()) for (const i of g.instances) index.byId.set(i.id, g)
        index.stale = false
        group = index.byId.get(id)
      }
      if (current(group)) out.add(group!)
    }
    return out
  }

  /** After a run: an instance the index doesn't place in this group (launched, attached) makes the region's index stale. */
  private noteHolders(group: Group): void {
    const index = this.holders.get(`${group.account}/${group.region}`)
    if (index === undefined || index.stale) return
    for (const i of group.instances) {
      if (index.byId.get(i.id) !== group) {
        index.stale = true
        return
      }
    }
  }

  /** At creation: every stored group catches up and re-arms its next wake-up. */
  watchAll(): void {
    for (const region of this.state.regions.all()) for (const group of region.groups.values()) this.run(group)
  }

  /** Enable/DisableMetricsCollection changed what the group publishes: logged from now on. */
  metricsCollectionChanged(group: Group): void {
    this.run(group)
    if (recordGroupMetrics(group, this.state.clock.now())) this.onMetricsChanged?.(group)
    this.state.save(group)
  }

  forget(group: Group): void {
    this.timers.get(group)?.timer.cancel()
    this.timers.delete(group)
  }

  stop(): void {
    for (const { timer } of this.timers.values()) timer.cancel()
    this.timers.clear()
  }

  private run(group: Group): void {
    if (this.running.has(group) || this.state.region(group.account, group.region).groups.get(group.name) !== group) return
    this.running.add(group)
    try {
      this.runs += 1
      const now = this.state.clock.now()
      // Durable mode: most runs (every Describe settles the group) change nothing, and rewriting the
      // row would cost a write per read; compare the row's text instead of tracking every mutation.
      const before = this.state.rows === undefined ? undefined : JSON.stringify(group)
      this.sync(group, now)
      this.lifecycle.expire(group, now)
      this.sync(group, now)
      this.replace(group, now)
      this.refresher.step(group, now)
      this.warmPools.beforeFit(group, now)
      this.fit(group, now)
      this.warmPools.afterFit(group, now)
      this.retireAtRisk(group, now)
      this.rebalance(group, now)
      group.instances = group.instances.filter((i) => i.state !== 'Terminated' && i.state !== 'Detached')
      if (recordGroupMetrics(group, now)) this.onMetricsChanged?.(group)
      this.noteHolders(group)
      if (before === undefined || JSON.stringify(group) !== before) this.state.save(group)
      this.arm(group, now)
    } finally {
      this.running.delete(group)
    }
  }

  /** EC2's view of each instance moves its lifecycle on, and EC2 health checks mark it. */
  private sync(group: Group, now: number): void {
    const checkHealth = !isSuspended(group, 'HealthCheck')
    for (const i of group.instances) {
      const view = this.ec2.instance(i.id)
      const ec2State = view?.state ?? 'terminated'
      if ((i.state === 'Pending' || i.state === 'Pending:Proceed') && ec2State === 'running') this.lifecycle.inService(group, i, now)
      else if ((i.state === 'Terminating' || i.state === 'Terminating:Proceed') && ec2State === 'terminated') this.lifecycle.terminated(group, i, now)
      if (!checkHealth || i.health === 'Unhealthy') continue
      if (i.state === 'InService' || i.state === 'Pending' || i.state === 'Pending:Proceed') this.checkHealth(group, i, view, now)
    }
  }

  /** `view`: EC2's view of the instance read by sync() this instant (lifecycle hooks change the group's record, not EC2's). */
  private checkHealth(group: Group, i: GroupInstance, view: Ec2InstanceView | undefined, now: number): void {
    const ec2State = view?.state ?? 'terminated'
    if (ec2State !== 'pending' && ec2State !== 'running') {
      i.health = 'Unhealthy'
      i.unhealthyReason = 'an EC2 health check indicating it has been terminated or stopped'
      return
    }
    const impaired = view !== undefined && (view.systemStatus === 'impaired' || view.instanceStatus === 'impaired')
    // Status checks count only once the grace period after InService has passed.
    if (impaired && i.state === 'InService' && now >= (i.inServiceAt ?? i.launchTime) + group.healthCheckGracePeriod * 1000) {
      i.health = 'Unhealthy'
      i.unhealthyReason = 'an EC2 health check indicating it has been impaired'
    }
  }

  /** Unhealthy instances (ReplaceUnhealthy) and those past MaxInstanceLifetime leave; fit() launches their replacements. */
  private replace(group: Group, now: number): void {
    if (isSuspended(group, 'Terminate')) return
    for (const i of group.instances) {
      if (i.state !== 'InService' && i.state !== 'Pending' && i.state !== 'Pending:Proceed') continue
      if (i.health === 'Unhealthy' && !isSuspended(group, 'ReplaceUnhealthy')) {
        this.lifecycle.beginTermination(group, i, 'unhealthy', `At ${causeTime(now)} an instance was taken out of service in response to ${i.unhealthyReason ?? 'a health check'}.`)
      } else if (i.state === 'InService' && group.maxInstanceLifetime !== undefined && now >= i.launchTime + group.maxInstanceLifetime * 1000) {
        this.lifecycle.beginTermination(group, i, 'lifetime', `At ${causeTime(now)} an instance was taken out of service in response to a maximum instance lifetime policy.`)
      }
    }
  }

  /** Launches or terminates to bring the counting instances to desired capacity. */
  private fit(group: Group, now: number): void {
    const counting = group.instances.filter((i) => countsTowardCapacity(i) && i.leaving === undefined && i.atRisk !== true)
    const at = causeTime(now)
    const prefix = group.lastCause === undefined ? '' : `${group.lastCause}  `
    if (counting.length < group.desired && !isSuspended(group, 'Launch') && !(group.launchRetryAt !== undefined && group.launchRetryAt > now)) {
      const cause = `${prefix}At ${at} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${counting.length} to ${group.desired}.`
      delete group.lastCause
      delete group.rebalancing
      while (counting.length < group.desired) {
        const instance = launchOne(this.state, this.ec2, this.announcer, group, cause, chooseZone(group, counting))
        if (instance === undefined) break
        counting.push(instance)
        this.lifecycle.launched(group, instance, now)
      }
    } else if (counting.length > group.desired && !isSuspended(group, 'Terminate') && !this.refresher.holdsScaleIn(group)) {
      // An AZRebalance surplus waits for its new instance to be InService before the old one goes.
      if (group.rebalancing === true && counting.some((i) => i.state !== 'InService')) return
      const rebalancing = group.rebalancing === true
      const chosen = chooseForTermination(group, counting, counting.length - group.desired,
        { now, launchConfigurations: this.state.region(group.account, group.region).launchConfigurations })
      delete group.lastCause
      delete group.rebalancing
      for (const i of chosen) {
        const cause = rebalancing
          ? `At ${at} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${counting.length} to ${group.desired}.  At ${at} instance ${i.id} was selected for termination to aid in balancing the group's zones.`
          : `${prefix}At ${at} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${counting.length} to ${group.desired}.  At ${at} instance ${i.id} was selected for termination.`
        this.lifecycle.beginTermination(group, i, rebalancing ? 'rebalance' : 'scale-in', cause)
      }
    }
  }

  /** At-risk Spot instances leave once enough of the others are InService to cover desired capacity. */
  private retireAtRisk(group: Group, now: number): void {
    const atRisk = group.instances.filter((i) => i.atRisk === true && i.leaving === undefined)
    if (atRisk.length === 0 || isSuspended(group, 'Terminate')) return
    const ready = group.instances.filter((i) => i.state === 'InService' && i.atRisk !== true && i.leaving === undefined).length
    for (const i of atRisk.slice(0, Math.max(0, ready - (group.desired - atRisk.length)))) {
      this.lifecycle.beginTermination(group, i, 'rebalance',
        `At ${causeTime(now)} an instance was taken out of service in response to an EC2 instance rebalance recommendation.`)
    }
  }

  /** AZRebalance: zones more than one instance apart get a launch in the emptiest; fit() then retires one from the fullest. */
  private rebalance(group: Group, now: number): void {
    if (group.zones.length < 2 || isSuspended(group, 'AZRebalance') || isSuspended(group, 'Launch') || group.rebalancing === true) return
    const counting = group.instances.filter((i) => countsTowardCapacity(i) && i.leaving === undefined)
    if (counting.length !== group.desired || counting.some((i) => i.state !== 'InService')) return
    const per = group.zones.map((z) => counting.filter((i) => i.zone === z).length)
    if (Math.max(...per) - Math.min(...per) <= 1) return
    // AWS may go above max by 10 % (at least one instance) while rebalancing.
    if (counting.length + 1 > group.max + Math.max(1, Math.floor(group.max / 10))) return
    const cause = `At ${causeTime(now)} an instance was launched to aid in balancing the group's zones.`
    const instance = launchOne(this.state, this.ec2, this.announcer, group, cause, chooseZone(group, counting))
    if (instance === undefined) return
    group.rebalancing = true
    this.lifecycle.launched(group, instance, now)
  }

  /** The group's next wake-up: the earliest instant any of its work falls due. */
  private arm(group: Group, now: number): void {
    let next = Infinity
    const counting = group.instances.filter((i) => countsTowardCapacity(i) && i.leaving === undefined).length
    for (const i of group.instances) {
      if (inBetween.has(i.state)) next = Math.min(next, now + TRANSITION_POLL_MS)
      if (i.waitUntil !== undefined) next = Math.min(next, i.waitUntil)
      if (i.state === 'InService' && i.health === 'Healthy') {
        const graceEnd = (i.inServiceAt ?? i.launchTime) + group.healthCheckGracePeriod * 1000
        const view = graceEnd > now ? this.ec2.instance(i.id) : undefined
        if (view !== undefined && (view.systemStatus === 'impaired' || view.instanceStatus === 'impaired')) next = Math.min(next, graceEnd)
        if (group.maxInstanceLifetime !== undefined) next = Math.min(next, i.launchTime + group.maxInstanceLifetime * 1000)
      }
    }
    if (group.launchRetryAt !== undefined && counting < group.desired) next = Math.min(next, group.launchRetryAt)
    next = Math.min(next, this.refresher.wake(group, now), this.warmPools.wake(group, now))
    const current = this.timers.get(group)
    if (current !== undefined && current.at === next) return
    current?.timer.cancel()
    this.timers.delete(group)
    if (next === Infinity) return
    const at = Math.max(next, now)
    this.timers.set(group, { at: next, timer: this.state.clock.at(at, () => {
      this.timers.delete(group)
      this.run(group)
    }) })
  }
}
