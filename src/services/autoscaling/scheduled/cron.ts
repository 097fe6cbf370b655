// A scheduled action's Recurrence: Unix cron (crontab.org, as AWS documents it) — five fields
// [Minute] [Hour] [Day_of_Month] [Month_of_Year] [Day_of_Week] with lists, ranges, steps and
// month/day names — and its next occurrence in a time zone (UTC by default), computed directly.
import { instantOf, localAt, type LocalTime } from './zoned-time.ts'

export interface Cron {
  minutes: number[]
  hours: number[]
  days: Set<number>
  months: Set<number>
  /** 0 = Sunday … 6 = Saturday (7 is Sunday too). */
  weekdays: Set<number>
  /** Crontab's rule: with both day fields restricted, a day matching either runs. */
  dayRestricted: boolean
  weekdayRestricted: boolean
}

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

interface FieldSpec {
  min: number
  max: number
  names?: string[]
  /** The first name's value (months are 1-based). */
  nameBase?: number
}

const fields: FieldSpec[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: monthNames, nameBase: 1 },
  { min: 0, max: 7, names: dayNames, nameBase: 0 },
]

function atom(text: string, spec: FieldSpec): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text)
    return n >= spec.min && n <= spec.max ? n : undefined
  }
  const i = spec.names?.indexOf(text.toLowerCase()) ?? -1
  return i < 0 ? undefined : i + (spec.nameBase ?? 0)
}

/** One field's values, or undefined when it is not valid cron. */
function parseField(text: string, spec: FieldSpec): Set<number> | undefined {
  const out = new Set<number>()
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part)
    if (m === null) return undefined
    const step = m[2] === undefined ? 1 : Number(m[2])
    if (step < 1) return undefined
    let from: number | undefined
    let to: number | undefined
    if (m[1] === '*') {
      from = spec.min
      to = spec.max
    } else {
      const range = m[1]!.split('-')
      if (range.length > 2) return undefined
      from = atom(range[0]!, spec)
      to = range.length === 2 ? atom(range[1]!, spec) : m[2] === undefined ? from : spec.max
    }
    if (from === undefined || to === undefined || from > to) return undefined
    for (let v = from; v <= to; v += step) out.add(v)
  }
  return out
}

/** Parses a Recurrence, or undefined when it is not a five-field cron expression. */
export function parseCron(expression: string): Cron | undefined {
  const parts = expression.trim().split(/\s+/)
  if (parts.length !== 5) return undefined
  const sets = parts.map((p, i) => parseField(p, fields[i]!))
  if (sets.some((s) => s === undefined)) return undefined
  const [minutes, hours, days, months, weekdays] = sets as Set<number>[]
  if (weekdays!.has(7)) weekdays!.add(0)
  const restricted = (p: string) => !p.startsWith('*')
  return {
    minutes: [...minutes!].sort((a, b) => a - b), hours: [...hours!].sort((a, b) => a - b), days: days!, months: months!, weekdays: weekdays!,
    dayRestricted: restricted(parts[2]!), weekdayRestricted: restricted(parts[4]!),
  }
}

function dayMatches(cron: Cron, year: number, month: number, day: number): boolean {
  if (!cron.months.has(month)) return false
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay()
  const byDay = cron.days.has(day)
  const byWeekday = cron.weekdays.has(weekday)
  if (cron.dayRestricted && cron.weekdayRestricted) return byDay || byWeekday
  return byDay && byWeekday
}

/** The first instant strictly after `after` (epoch ms) the expression names in `zone`, or undefined (e.g. "0 0 31 2 *"). */
export function nextOccurrence(cron: Cron, after: number, zone = 'UTC'): number | undefined {
  const start = localAt(zone, after)
  // Eight years of days covers every satisfiable pattern (29 February included).
  const first = Date.UTC(start.year, start.month - 1, start.day)
  for (let d = 0; d < 366 * 8 + 2; d++) {
    const date = new Date(first + d * 86_400_000)
    const year = date.getUTCFullYear()
    const month = date.getUTCMonth() + 1
    const day = date.getUTCDate()
    if (!dayMatches(cron, year, month, day)) continue
    for (const hour of cron.hours) {
      // Hours well before the start's cannot follow it (one hour of slack: a DST overlap repeats one).
      if (d === 0 && hour < start.hour - 1) continue
      for (const minute of cron.minutes) {
        const local: LocalTime = { year, month, day, hour, minute }
        const t = instantOf(zone, local)
        if (t !== undefined && t > after) return t
      }
    }
  }
  return undefined
}
