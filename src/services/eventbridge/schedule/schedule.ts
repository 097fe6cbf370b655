// Schedule expressions: `rate(…)` and `cron(…)` parsed once into "when is the next firing after t".
import { ebErrors } from '../errors.ts'
import { parseCron } from './cron.ts'

export interface Schedule {
  readonly expression: string
  /** The first firing strictly after `afterMs` (epoch ms), or undefined when the schedule has ended. */
  next(afterMs: number): number | undefined
}

const invalid = () => ebErrors.invalidParameter('ScheduleExpression')

const unitMs: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }

/** Throws ValidationException "Parameter ScheduleExpression is not valid." for anything AWS refuses. */
export function parseSchedule(expression: string): Schedule {
  const rate = /^rate\(([1-9]\d*) (minute|hour|day)(s?)\)$/.exec(expression)
  if (rate !== null) {
    const value = Number(rate[1])
    // AWS wants the singular unit for 1 and the plural for more: rate(1 minutes) and rate(5 minute) fail [S].
    if ((value === 1) !== (rate[3] === '')) throw invalid()
    return rateSchedule(expression, value * unitMs[rate[2]!]!)
  }
  const cron = /^cron\((.*)\)$/.exec(expression)
  if (cron !== null) {
    const parsed = parseCron(cron[1]!)
    if (parsed === undefined) throw invalid()
    return { expression, next: (after) => parsed.next(after) }
  }
  throw invalid()
}

/**
 * A rate schedule counts from when it was set: rate(1 hour) created at 10:17 fires at 11:17, 12:17…
 * (`anchor` is set by the rule when the schedule starts).
 */
function rateSchedule(expression: string, periodMs: number): Schedule & { periodMs: number } {
  return { expression, periodMs, next: (after) => after + periodMs }
}

export function isRate(schedule: Schedule): schedule is Schedule & { periodMs: number } {
  return 'periodMs' in schedule
}
