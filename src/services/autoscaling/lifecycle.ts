// An instance's way through the group: Pending (→ Pending:Wait for each launching hook →
// Pending:Proceed) → InService, and Terminating (→ Terminating:Wait for each terminating hook →
// Terminating:Proceed) → Terminated, with the activities that record each step. Hooks of one
// transition run one after another, by name (AWS runs them side by side: README, By design).
import type { Ec2Port } from '../ec2/port.ts'
import type { Announcer } from './announcer.ts'
import type { Group, GroupInstance, LifecycleHook } from './group.ts'
import { deterministicUuid } from './ids.ts'
import type { AutoScalingState } from './store.ts'

export const LAUNCHING = 'autoscaling:EC2_INSTANCE_LAUNCHING'
export const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING'

export class Lifecycle {
  private readonly state: AutoScalingState
  private readonly ec2: Ec2Port
  private readonly announcer: Announcer

  constructor(state: AutoScalingState, ec2: Ec2Port, announcer: Announcer) {
    this.state = state
    this.ec2 = ec2
    this.announcer = announcer
  }

  private activity(group: Group, i: GroupInstance) {
    return i.activityId === undefined ? undefined : this.state.activityList(this.state.region(group.account, group.region), group.name)
      .findLast((a) => a.id === i.activityId)
  }

  /** A new instance: it waits for the first launching hook, if any. */
  launched(group: Group, i: GroupInstance, now: number): void {
    this.nextHook(group, i, LAUNCHING, now)
  }

  /** EC2 says running (and every launching hook said CONTINUE): the launch activity succeeds. */
  inService(group: Group, i: GroupInstance, now: number): void {
    i.state = 'InService'
    i.inServiceAt = now
    delete i.hooksDone
    const activity = this.activity(group, i)
    if (activity !== undefined) {
      this.state.finishActivity(group, activity)
      this.announcer.instance(group, 'launch', activity, i)
    }
    delete i.activityId
  }

  /**
   * Takes an instance out of service: an activity "Terminating EC2 instance", then the terminating
   * hooks, then EC2's termination. `leaving` says why (desired capacity is not changed here).
   */
  beginTermination(group: Group, i: GroupInstance, leaving: NonNullable<GroupInstance['leaving']>, cause: string): void {
    const now = this.state.clock.now()
    // A launch still in progress ends with this instance.
    const launch = this.activity(group, i)
    if (launch !== undefined && launch.endTime === undefined) this.state.finishActivity(group, launch, 'Cancelled')
    i.leaving = leaving
    delete i.hooksDone
    delete i.waitUntil
    delete i.hookName
    const details = JSON.stringify({ ...(i.subnetId !== undefined && { 'Subnet ID': i.subnetId }), 'Availability Zone': i.zone })
    const activity = this.state.startActivity(group, { description: `Terminating EC2 instance: ${i.id}`, cause, details })
    i.activityId = activity.id
    i.state = 'Terminating'
    this.nextHook(group, i, TERMINATING, now)
  }

  /** EC2 says terminated: the termination activity succeeds and the instance leaves the group. */
  terminated(group: Group, i: GroupInstance, _now: number): void {
    i.state = 'Terminated'
    const activity = this.activity(group, i)
    if (activity !== undefined) {
      this.state.finishActivity(group, activity)
      this.announcer.instance(group, 'terminate', activity, i)
    }
  }

  /** Hook waits whose heartbeat timeout passed take the hook's DefaultResult. */
  expire(group: Group, now: number): void {
    for (const i of [...group.instances]) {
      if (i.waitUntil === undefined || i.waitUntil > now || i.hookName === undefined) continue
      const hook = group.hooks.find((h) => h.name === i.hookName)
      this.complete(group, i, hook?.defaultResult ?? 'ABANDON', now)
    }
  }

  /** CompleteLifecycleAction or a timeout: CONTINUE moves on to the next hook or state; ABANDON ends a launch. */
  complete(group: Group, i: GroupInstance, result: 'CONTINUE' | 'ABANDON', now: number): void {
    const waiting = i.state
    ;(i.hooksDone ??= []).push(i.hookName ?? '')
    delete i.waitUntil
    delete i.hookName
    delete i.actionToken
    delete i.waitStarted
    if (waiting === 'Pending:Wait') {
      if (result === 'ABANDON') {
        const activity = this.activity(group, i)
        if (activity !== undefined) {
          activity.description = `${activity.description}.  Status Reason: Instance failed to complete user's Lifecycle Action: Lifecycle Action Completed with ABANDON Result`
          this.state.finishActivity(group, activity, 'Cancelled', "Instance failed to complete user's Lifecycle Action: Lifecycle Action Completed with ABANDON Result")
        }
        delete i.activityId
        // An abandoned launch is terminated at once (no terminating hooks) and replaced.
        i.leaving = 'unhealthy'
        i.state = 'Terminating:Proceed'
        this.ec2.act(i.id, 'terminate')
        return
      }
      i.state = 'Pending'
      this.nextHook(group, i, LAUNCHING, now)
    } else if (waiting === 'Terminating:Wait') {
      i.state = 'Terminating'
      this.nextHook(group, i, TERMINATING, now)
    }
  }

  /** RecordLifecycleActionHeartbeat: the wait restarts its timeout, up to the global timeout (48 h or 100 × heartbeat). */
  heartbeat(group: Group, i: GroupInstance, now: number): void {
    const hook = group.hooks.find((h) => h.name === i.hookName)
    if (hook === undefined || i.waitUntil === undefined) return
    i.waitUntil = Math.min(now + hook.heartbeatTimeout * 1000, (i.waitStarted ?? now) + hook.globalTimeout * 1000)
  }

  /** The next hook of the transition not yet done, by name; none left: on to Proceed. */
  private nextHook(group: Group, i: GroupInstance, transition: LifecycleHook['transition'], now: number): void {
    const hook = group.hooks.filter((h) => h.transition === transition && !(i.hooksDone ?? []).includes(h.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1))[0]
    if (hook !== undefined) {
      i.state = transition === LAUNCHING ? 'Pending:Wait' : 'Terminating:Wait'
      i.hookName = hook.name
      i.actionToken = deterministicUuid(`${group.arn}/${i.id}/${hook.name}/${now}`)
      i.waitStarted = now
      i.waitUntil = now + hook.heartbeatTimeout * 1000
      const activity = this.activity(group, i)
      if (activity !== undefined) {
        activity.statusCode = 'MidLifecycleAction'
        this.state.saveActivity(group, activity)
      }
      this.announcer.lifecycleAction(group, hook, i)
      return
    }
    if (transition === LAUNCHING) {
      if ((i.hooksDone ?? []).length > 0) i.state = 'Pending:Proceed'
      return
    }
    const activity = this.activity(group, i)
    if (activity !== undefined && activity.statusCode === 'MidLifecycleAction') {
      activity.statusCode = 'InProgress'
      this.state.saveActivity(group, activity)
    }
    i.state = (i.hooksDone ?? []).length > 0 ? 'Terminating:Proceed' : 'Terminating'
    this.ec2.act(i.id, 'terminate')
  }
}
