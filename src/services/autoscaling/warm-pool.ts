// Warm pools (PutWarmPool): instances launched ahead of need, kept stopped, hibernated or running
// beside the group, and drawn on first when the group scales out; with ReuseOnScaleIn, scale-in
// returns instances to the pool. The pool's instances are kept apart from the group's own list, so
// a group without a warm pool runs exactly as before. Hooks into the Scaler's run (scaler.ts).
import type { Ec2Port } from '../ec2/port.ts'
import type { Announcer } from './announcer.ts'
import { deterministicUuid } from './ids.ts'
import { causeTime } from './group-input.ts'
import { countsTowardCapacity, type Group, type GroupInstance, isSuspended, type WarmInstance, type WarmPool, type WarmState } from './group.ts'
import { chooseZone, launchOne } from './launcher.ts'
import { LAUNCHING, type Lifecycle, TERMINATING } from './lifecycle.ts'
import type { AutoScalingState } from './store.ts'
import { chooseForTermination } from './termination.ts'

/** How often the pool looks at instances between states (as the group does: EC2 boots and stops in 10 s). */
const POLL_MS = 10_000

/** AWS: max(MinSize, (MaxGroupPreparedCapacity or MaxSize) − desired capacity); 0 while it is being deleted. */
export function warmPoolDesired(group: Group): number {
  const pool = group.warmPool
  if (pool === undefined || pool.status === 'PendingDelete') return 0
  const ceiling = pool.maxGroupPreparedCapacity === undefined || pool.maxGroupPreparedCapacity < 0 ? group.max : pool.maxGroupPreparedCapacity
  return Math.max(pool.minSize, ceiling - group.desired)
}

/** The pool state an instance settles in: Warmed:Stopped, Warmed:Running or Warmed:Hibernated. */
export function warmedState(pool: WarmPool): WarmState {
  return `Warmed:${pool.poolState}` as WarmState
}

const ready = (w: WarmInstance) => w.state === 'Warmed:Stopped' || w.state === 'Warmed:Running' || w.state === 'Warmed:Hibernated'

export class WarmPools {
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

  private activity(group: Group, id: string | undefined) {
    return id === undefined ? undefined : this.state.activityList(this.state.region(group.account, group.region), group.name).findLast((a) => a.id === id)
  }

  /**
   * Before the group fits its capacity: the pool's instances move on with EC2's states, scale-out
   * takes warmed instances first, and with ReuseOnScaleIn scale-in sends instances back to the pool.
   */
  beforeFit(group: Group, now: number): void {
    const pool = group.warmPool
    if (pool === undefined) return
    this.expire(group, pool, now)
    this.sync(group, pool)
    // Its launching hooks are done: later hooks (ExitStandby) come from the group, not the pool.
    for (const i of group.instances) if (i.fromWarmPool === true && i.state === 'InService') delete i.fromWarmPool
    const counting = group.instances.filter((i) => countsTowardCapacity(i) && i.leaving === undefined && i.atRisk !== true)
    if (counting.length < group.desired && !isSuspended(group, 'Launch')) this.take(group, pool, counting, now)
    else if (counting.length > group.desired && pool.reuseOnScaleIn && pool.status === undefined && !isSuspended(group, 'Terminate')) {
      this.reuse(group, pool, counting, now)
    }
  }

  /** After the group fits: the pool is filled up to (or trimmed down to) its desired size; a deleted pool goes once empty. */
  afterFit(group: Group, now: number): void {
    const pool = group.warmPool
    if (pool === undefined) return
    const live = pool.instances.filter((w) => w.state !== 'Warmed:Terminating' && w.state !== 'Warmed:Terminated')
    const want = warmPoolDesired(group)
    if (live.length < want && !isSuspended(group, 'Launch') && !(group.launchRetryAt !== undefined && group.launchRetryAt > now)) {
      const cause = `At ${causeTime(now)} an instance was started in response to a difference between desired and actual capacity in warm pool, increasing the capacity from ${live.length} to ${want}.` // [R]
      for (let n = live.length; n < want; n++) {
        const placed = chooseZone(group, [...group.instances.filter(countsTowardCapacity), ...live] as GroupInstance[])
        const launched = launchOne(this.state, this.ec2, this.announcer, group, cause, placed)
        if (launched === undefined) break
        group.instances.splice(group.instances.indexOf(launched), 1)
        const activity = this.activity(group, launched.activityId)
        if (activity !== undefined) {
          activity.description = `Launching a new EC2 instance into warm pool: ${launched.id}`
          this.state.saveActivity(group, activity)
        }
        const w: WarmInstance = { ...launched, state: 'Warmed:Pending' }
        pool.instances.push(w)
        live.push(w)
        // The launching hooks run as an instance enters the pool (Warmed:Pending:Wait), as AWS's docs describe.
        this.nextHook(group, w, now)
      }
    } else if (live.length > want && !isSuspended(group, 'Terminate')) {
      // The newest first: what was prepared last is the least warmed up [D].
      const surplus = [...live].sort((a, b) => b.launchTime - a.launchTime).slice(0, live.length - want)
      for (const w of surplus) {
        const cause = `At ${causeTime(now)} an instance was taken out of service in response to a difference between desired and actual capacity in warm pool, shrinking the capacity from ${live.length} to ${want}.` // [R]
        const details = JSON.stringify({ ...(w.subnetId !== undefined && { 'Subnet ID': w.subnetId }), 'Availability Zone': w.zone })
        const activity = this.state.startActivity(group, { description: `Terminating EC2 instance from warm pool: ${w.id}`, cause, details }) // [R]
        w.activityId = activity.id
        w.state = 'Warmed:Terminating'
        this.ec2.act(w.id, 'terminate')
      }
    }
    pool.instances = pool.instances.filter((w) => w.state !== 'Warmed:Terminated')
    if (pool.status === 'PendingDelete' && pool.instances.length === 0) delete group.warmPool
  }

  /** The next instant the pool has work: every 10 s while an instance is between states. */
  wake(group: Group, now: number): number {
    const pool = group.warmPool
    if (pool === undefined) return Infinity
    let next = Infinity
    for (const w of pool.instances) {
      if (w.waitUntil !== undefined) next = Math.min(next, w.waitUntil)
      else if (!ready(w)) next = Math.min(next, now + POLL_MS)
    }
    return next
  }

  /**
   * The next hook of the transition not yet done, by name (Warmed:Pending:Wait); none left:
   * Warmed:Pending:Proceed once some ran. Launching hooks run as a new instance enters the pool;
   * terminating hooks as ReuseOnScaleIn sends one back (AWS's docs: it pauses in Warmed:Pending:Wait).
   */
  private nextHook(group: Group, w: WarmInstance, now: number, transition: string = LAUNCHING): void {
    const hook = group.hooks.filter((h) => h.transition === transition && !(w.hooksDone ?? []).includes(h.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1))[0]
    if (hook === undefined) {
      if ((w.hooksDone ?? []).length > 0) w.state = 'Warmed:Pending:Proceed'
      return
    }
    w.state = 'Warmed:Pending:Wait'
    w.hookName = hook.name
    w.actionToken = deterministicUuid(`${group.arn}/${w.id}/${hook.name}/${now}`)
    w.waitStarted = now
    w.waitUntil = now + hook.heartbeatTimeout * 1000
    const activity = this.activity(group, w.activityId)
    if (activity !== undefined) {
      activity.statusCode = 'MidLifecycleAction'
      this.state.saveActivity(group, activity)
    }
    this.announcer.lifecycleAction(group, hook, w as unknown as GroupInstance)
  }

  /** Hook waits whose heartbeat timeout passed take the hook's DefaultResult. */
  private expire(group: Group, pool: WarmPool, now: number): void {
    for (const w of [...pool.instances]) {
      if (w.waitUntil === undefined || w.waitUntil > now || w.hookName === undefined) continue
      this.complete(group, w, group.hooks.find((h) => h.name === w.hookName)?.defaultResult ?? 'ABANDON', now)
    }
  }

  /** CompleteLifecycleAction (or a timeout) for a pool instance: CONTINUE → the next hook, then on to the pool's state; ABANDON → terminated. */
  complete(group: Group, w: WarmInstance, result: 'CONTINUE' | 'ABANDON', now: number): void {
    const transition = group.hooks.find((h) => h.name === w.hookName)?.transition ?? LAUNCHING
    ;(w.hooksDone ??= []).push(w.hookName ?? '')
    delete w.waitUntil
    delete w.hookName
    delete w.actionToken
    delete w.waitStarted
    // A terminating hook's ABANDON is a CONTINUE, as for the group's (the instance goes back to the pool either way).
    if (result === 'ABANDON' && transition === LAUNCHING) {
      const activity = this.activity(group, w.activityId)
      const reason = "Instance failed to complete user's Lifecycle Action: Lifecycle Action Completed with ABANDON Result"
      if (activity !== undefined) {
        activity.description = `${activity.description}.  Status Reason: ${reason}`
        this.state.finishActivity(group, activity, 'Cancelled', reason)
      }
      delete w.activityId
      // Terminated at once, and afterFit() prepares another.
      w.state = 'Warmed:Terminating'
      this.ec2.act(w.id, 'terminate')
      return
    }
    w.state = 'Warmed:Pending'
    this.nextHook(group, w, now, transition)
  }

  /** EC2's state moves each pool instance on: launched → stopped (or left running) → warmed; terminated → gone. */
  private sync(group: Group, pool: WarmPool): void {
    for (const w of pool.instances) {
      const ec2State = this.ec2.instance(w.id)?.state ?? 'terminated'
      if (w.state === 'Warmed:Terminating') {
        if (ec2State !== 'terminated') continue
        w.state = 'Warmed:Terminated'
        const activity = this.activity(group, w.activityId)
        if (activity !== undefined) this.state.finishActivity(group, activity)
        continue
      }
      if (ec2State === 'terminated' || ec2State === 'shutting-down') {
        // Terminated behind the pool's back: it leaves, and afterFit() prepares another.
        w.state = 'Warmed:Terminated'
        continue
      }
      if (w.state !== 'Warmed:Pending' && w.state !== 'Warmed:Pending:Proceed') continue
      if (pool.poolState === 'Running' ? ec2State === 'running' : ec2State === 'stopped') this.warmed(group, pool, w)
      else if (pool.poolState !== 'Running' && ec2State === 'running') this.ec2.act(w.id, 'stop')
    }
  }

  private warmed(group: Group, pool: WarmPool, w: WarmInstance): void {
    w.state = warmedState(pool)
    const activity = this.activity(group, w.activityId)
    if (activity !== undefined && activity.endTime === undefined) this.state.finishActivity(group, activity)
    delete w.activityId
    delete w.hooksDone
  }

  /** Scale-out: warmed instances join the group first (a stopped one is started), oldest first [D]; fit() launches the rest. */
  private take(group: Group, pool: WarmPool, counting: GroupInstance[], now: number): void {
    const warmed = pool.instances.filter(ready).sort((a, b) => a.launchTime - b.launchTime)
    if (warmed.length === 0) return
    const want = Math.min(warmed.length, group.desired - counting.length)
    const cause = `${group.lastCause === undefined ? '' : `${group.lastCause}  `}At ${causeTime(now)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${counting.length} to ${group.desired}.`
    for (const w of warmed.slice(0, want)) {
      pool.instances.splice(pool.instances.indexOf(w), 1)
      if (w.state !== 'Warmed:Running') this.ec2.act(w.id, 'start')
      const details = JSON.stringify({ ...(w.subnetId !== undefined && { 'Subnet ID': w.subnetId }), 'Availability Zone': w.zone })
      const activity = this.state.startActivity(group, { description: `Launching a new EC2 instance from warm pool: ${w.id}`, cause, details }) // [R]
      const instance: GroupInstance = { ...w, state: 'Pending', health: 'Healthy', activityId: activity.id, fromWarmPool: true }
      delete instance.hooksDone
      group.instances.push(instance)
      counting.push(instance)
      // The launching hooks run as the instance leaves the pool, as AWS's docs describe.
      this.lifecycle.launched(group, instance, now)
    }
    if (counting.length >= group.desired) delete group.lastCause
  }

  /** ReuseOnScaleIn: the instances scale-in chooses go back to the pool (stopped per PoolState) instead of being terminated. */
  private reuse(group: Group, pool: WarmPool, counting: GroupInstance[], now: number): void {
    const chosen = chooseForTermination(group, counting, counting.length - group.desired,
      { now, launchConfigurations: this.state.region(group.account, group.region).launchConfigurations })
    const at = causeTime(now)
    const prefix = group.lastCause === undefined ? '' : `${group.lastCause}  `
    delete group.lastCause
    for (const i of chosen) {
      group.instances.splice(group.instances.indexOf(i), 1)
      const details = JSON.stringify({ ...(i.subnetId !== undefined && { 'Subnet ID': i.subnetId }), 'Availability Zone': i.zone })
      const cause = `${prefix}At ${at} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${counting.length} to ${group.desired}.  At ${at} instance ${i.id} was selected for termination.`
      const activity = this.state.startActivity(group, { description: `Moving EC2 instance to warm pool: ${i.id}`, cause, details }) // [R]
      const w: WarmInstance = { ...i, state: 'Warmed:Pending', activityId: activity.id }
      delete w.inServiceAt
      delete w.hooksDone
      pool.instances.push(w)
      this.nextHook(group, w, now, TERMINATING)
      if (w.state === 'Warmed:Pending:Wait') continue
      if (pool.poolState === 'Running') this.warmed(group, pool, w)
      else this.ec2.act(w.id, 'stop')
    }
  }

  /** DeleteAutoScalingGroup with ForceDelete: the pool's instances are terminated with the group. */
  terminateAll(group: Group): void {
    for (const w of group.warmPool?.instances ?? []) if (w.state !== 'Warmed:Terminated') this.ec2.act(w.id, 'terminate')
  }
}
