// Scheduled actions on the clock: one timer per action, armed for its next run (stored as data and
// re-armed at start; one already due then runs once at once). A run sets the group's min, max and
// desired capacity (desired kept within the new bounds), unless ScheduledActions is suspended;
// a one-off action, or a recurring one past its EndTime, is then deleted, as on AWS.
import type { Clock, Timer } from '../../../core/clock.ts'
import { causeTime } from '../group-input.ts'
import { isSuspended } from '../group.ts'
import type { PolicyState } from '../policies/policy-state.ts'
import type { GroupControl } from '../policies/runner.ts'
import { nextRun, type ScheduledActionRecord } from './scheduled-action.ts'

const key = (a: ScheduledActionRecord) => `${a.account}/${a.region}/${a.group}/${a.name}`

export class Scheduler {
  private readonly timers = new Map<string, Timer>()
  private readonly clock: Clock
  private readonly state: PolicyState
  private readonly control: GroupControl
  /** Scheduled runs done (health). */
  runs = 0

  constructor(clock: Clock, state: PolicyState, control: GroupControl) {
    this.clock = clock
    this.state = state
    this.control = control
  }

  /** At start: every stored action's timer, an overdue one at once. */
  armAll(): void {
    for (const a of this.state.allActions()) this.arm(a)
  }

  /** Stores and (re-)arms an action: its next run from now. */
  put(a: ScheduledActionRecord): void {
    a.next = nextRun(a, this.clock.now() - 1, false)
    this.state.putAction(a)
    this.arm(a)
  }

  delete(a: ScheduledActionRecord): void {
    this.timers.get(key(a))?.cancel()
    this.timers.delete(key(a))
    this.state.deleteAction(a)
  }

  groupDeleted(account: string, region: string, group: string): void {
    for (const a of this.state.listActions(account, region, group)) this.delete(a)
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel()
    this.timers.clear()
  }

  private arm(a: ScheduledActionRecord): void {
    this.timers.get(key(a))?.cancel()
    this.timers.delete(key(a))
    if (a.next === undefined) return
    const at = Math.max(a.next, this.clock.now())
    this.timers.set(key(a), this.clock.at(at, () => this.fire(a, a.next!)))
  }

  private fire(a: ScheduledActionRecord, due: number): void {
    this.timers.delete(key(a))
    if (this.state.action(a.account, a.region, a.group, a.name) !== a) return
    const group = this.control.find(a.account, a.region, a.group)
    if (group !== undefined && !isSuspended(group, 'ScheduledActions')) {
      this.runs++
      const min = a.min ?? group.min
      const max = a.max ?? group.max
      const desired = Math.min(max, Math.max(min, a.desired ?? group.desired))
      const from = group.desired
      this.control.resize(group, { min, max, desired }, `At ${causeTime(due)} a scheduled action update of AutoScalingGroup constraints to ` +
        `min: ${min}, max: ${max}, desired: ${desired} changing the desired capacity from ${from} to ${desired}.`)
    }
    a.next = nextRun(a, due, true)
    if (a.next === undefined) {
      this.state.deleteAction(a)
      return
    }
    this.state.putAction(a)
    this.arm(a)
  }
}
