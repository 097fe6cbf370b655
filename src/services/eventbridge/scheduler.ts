// Scheduled rules fire on the clock: one timer per enabled scheduled rule, re-armed after each firing,
// so a manual clock moved by a day fires a daily rule once and rate(1 hour) 24 times. With a data
// dir each rule's next due time is a row: a restart re-arms it, and the slots that fell due while
// Nimbus was down fire at start, once each, in due order (as a clock jump fires them).
import type { Clock, Timer } from '../../core/clock.ts'
import type { EbRows } from './eb-rows.ts'
import type { Rule } from './rule.ts'

export class RuleScheduler {
  private readonly clock: Clock
  private readonly fire: (rule: Rule, at: number) => void
  private readonly timers = new Map<Rule, Timer>()
  /** When each armed rule fires next (the console's "what is due"). */
  private readonly dueAt = new Map<Rule, number>()
  private readonly rows: EbRows | undefined

  constructor(clock: Clock, fire: (rule: Rule, at: number) => void, rows?: EbRows) {
    this.clock = clock
    this.fire = fire
    this.rows = rows
  }

  /** At start: the rule's schedule goes on from its stored next due time (past ones fire at once). */
  resume(rule: Rule, dueAt: number): void {
    if (rule.enabled && rule.spec.schedule !== undefined) this.armAt(rule, rule.spec.schedule, dueAt, false)
  }

  /** Call after a rule is created, replaced, enabled or disabled: the schedule restarts from now. */
  sync(rule: Rule): void {
    this.cancel(rule)
    if (rule.enabled && rule.spec.schedule !== undefined) this.arm(rule, this.clock.now())
  }

  cancel(rule: Rule): void {
    this.timers.get(rule)?.cancel()
    this.timers.delete(rule)
    this.dueAt.delete(rule)
    this.rows?.unscheduled(rule)
  }

  /** Reset or shutdown: timers stop (the rows are the state's to clear or keep). */
  clear(): void {
    for (const timer of this.timers.values()) timer.cancel()
    this.timers.clear()
    this.dueAt.clear()
  }

  /** The armed rules and when each fires next, soonest first. */
  upcoming(): Array<{ rule: Rule; at: number }> {
    return [...this.dueAt].map(([rule, at]) => ({ rule, at })).sort((a, b) => a.at - b.at)
  }

  get size(): number {
    return this.timers.size
  }

  private arm(rule: Rule, after: number): void {
    const schedule = rule.spec.schedule
    const at = schedule?.next(after)
    if (schedule === undefined || at === undefined) {
      // A cron whose years have all passed: nothing more to fire, after a restart either.
      this.rows?.unscheduled(rule)
      return
    }
    this.armAt(rule, schedule, at, true)
  }

  /** `store`: false when re-arming from the row itself at start (nothing is written while loading). */
  private armAt(rule: Rule, schedule: NonNullable<Rule['spec']['schedule']>, at: number, store: boolean): void {
    if (store) this.rows?.scheduled(rule, at)
    this.dueAt.set(rule, at)
    this.timers.set(rule, this.clock.at(at, () => {
      this.timers.delete(rule)
      this.dueAt.delete(rule)
      // The rule may have been replaced with another schedule in the meantime; sync() re-armed that.
      if (rule.spec.schedule !== schedule || !rule.enabled) return
      this.fire(rule, at)
      this.arm(rule, at)
    }))
  }
}
