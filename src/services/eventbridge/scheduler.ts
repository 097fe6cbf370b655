// Scheduled rules fire on the clock: one timer per enabled scheduled rule, re-armed after each firing,
// so a manual clock moved by a day fires a daily rule once and rate(1 hour) 24 times.
import type { Clock, Timer } from '../../core/clock.ts'
import type { Rule } from './rule.ts'

export class RuleScheduler {
  private readonly clock: Clock
  private readonly fire: (rule: Rule, at: number) => void
  private readonly timers = new Map<Rule, Timer>()

  constructor(clock: Clock, fire: (rule: Rule, at: number) => void) {
    this.clock = clock
    this.fire = fire
  }

  /** Call after a rule is created, replaced, enabled or disabled: the schedule restarts from now. */
  sync(rule: Rule): void {
    this.cancel(rule)
    if (rule.enabled && rule.spec.schedule !== undefined) this.arm(rule, this.clock.now())
  }

  cancel(rule: Rule): void {
    this.timers.get(rule)?.cancel()
    this.timers.delete(rule)
  }

  clear(): void {
    for (const timer of this.timers.values()) timer.cancel()
    this.timers.clear()
  }

  get size(): number {
    return this.timers.size
  }

  private arm(rule: Rule, after: number): void {
    const schedule = rule.spec.schedule
    const at = schedule?.next(after)
    if (schedule === undefined || at === undefined) return
    this.timers.set(rule, this.clock.at(at, () => {
      this.timers.delete(rule)
      // The rule may have been replaced with another schedule in the meantime; sync() re-armed that.
      if (rule.spec.schedule !== schedule || !rule.enabled) return
      this.fire(rule, at)
      this.arm(rule, at)
    }))
  }
}
