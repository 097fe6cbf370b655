// AWS's six-field cron (minutes hours day-of-month month day-of-week year, UTC): `, - * / ? L W #`,
// month and weekday names, weekdays 1-7 with 1 = Sunday. One of the two day fields must be `?`.

export interface Cron {
  next(afterMs: number): number | undefined
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']
const MAX_YEAR = 2199

/** Day-of-month: a set of days, or the last day (`L`), or the weekday nearest a day (`15W`, `LW`). */
type DomTest = (year: number, month: number, day: number) => boolean
/** Day-of-week (1 = Sunday): a set, or the last given weekday of the month (`6L`), or the n-th (`6#3`). */
type DowTest = DomTest

interface Parsed {
  minutes: number[]
  hours: number[]
  months: Set<number>
  years: Set<number>
  day: DomTest
}

export function parseCron(body: string): Cron | undefined {
  const fields = body.split(' ')
  if (fields.length !== 6) return undefined
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string]
  if ((dom === '?') === (dow === '?')) return undefined
  const minutes = numberSet(min, 0, 59)
  const hours = numberSet(hour, 0, 23)
  const months = numberSet(month, 1, 12, MONTHS)
  const years = numberSet(year, 1970, MAX_YEAR)
  const day = dom === '?' ? dowTest(dow) : domTest(dom)
  if (minutes === undefined || hours === undefined || months === undefined || years === undefined || day === undefined) return undefined
  const parsed: Parsed = { minutes: [...minutes].sort((a, b) => a - b), hours: [...hours].sort((a, b) => a - b),
    months, years, day }
  return { next: (after) => nextFiring(parsed, after) }
}

function nextFiring(cron: Parsed, afterMs: number): number | undefined {
  const start = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000)
  let y = start.getUTCFullYear(); let m = start.getUTCMonth() + 1; let d = start.getUTCDate()
  let fromMinute = start.getUTCHours() * 60 + start.getUTCMinutes()
  while (y <= MAX_YEAR) {
    if (!cron.years.has(y)) { y++; m = 1; d = 1; fromMinute = 0; continue }
    if (!cron.months.has(m)) { [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1]; d = 1; fromMinute = 0; continue }
    if (d > daysIn(y, m)) { [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1]; d = 1; fromMinute = 0; continue }
    if (cron.day(y, m, d)) {
      for (const h of cron.hours) {
        for (const mi of cron.minutes) {
          if (h * 60 + mi >= fromMinute) return Date.UTC(y, m - 1, d, h, mi)
        }
      }
    }
    d++
    fromMinute = 0
  }
  return undefined
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1

/** `*`, `a`, `a-b`, `a/n`, `*\/n`, `a-b/n`, lists of those; names where given. */
function numberSet(field: string, lo: number, hi: number, names?: string[]): Set<number> | undefined {
  const out = new Set<number>()
  for (const part of field.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part)
    if (m === null) return undefined
    const step = m[2] === undefined ? 1 : Number(m[2])
    if (step < 1) return undefined
    let from: number | undefined, to: number | undefined
    if (m[1] === '*') [from, to] = [lo, hi]
    else {
      const [a, b] = m[1]!.split('-') as [string, string | undefined]
      from = value(a, lo, hi, names)
      // `a/n` runs from a to the end of the range.
      to = b !== undefined ? value(b, lo, hi, names) : m[2] !== undefined ? hi : from
    }
    if (from === undefined || to === undefined || from > to) return undefined
    for (let v = from; v <= to; v += step) out.add(v)
  }
  return out
}

function value(text: string, lo: number, hi: number, names?: string[]): number | undefined {
  const named = names?.indexOf(text.toUpperCase())
  if (named !== undefined && named >= 0) return named + lo
  if (!/^\d+$/.test(text)) return undefined
  const n = Number(text)
  return n >= lo && n <= hi ? n : undefined
}

function domTest(field: string): DomTest | undefined {
  if (field === 'L') return (y, m, d) => d === daysIn(y, m)
  if (field === 'LW') return (y, m, d) => d === nearestWeekday(y, m, daysIn(y, m))
  const w = /^(\d+)W$/.exec(field)
  if (w !== null) {
    const target = Number(w[1])
    if (target < 1 || target > 31) return undefined
    return (y, m, d) => target <= daysIn(y, m) && d === nearestWeekday(y, m, target)
  }
  const set = numberSet(field, 1, 31)
  return set === undefined ? undefined : (_y, _m, d) => set.has(d)
}

/** The weekday (Mon–Fri) nearest `day`, staying inside the month (Quartz's `W`). */
function nearestWeekday(y: number, m: number, day: number): number {
  const wd = weekday(y, m, day)
  if (wd === 7) return day === 1 ? 3 : day - 1 // Saturday → Friday (or Monday the 3rd)
  if (wd === 1) return day === daysIn(y, m) ? day - 2 : day + 1 // Sunday → Monday (or Friday)
  return day
}

function dowTest(field: string): DowTest | undefined {
  if (field === 'L') return (y, m, d) => weekday(y, m, d) === 7
  const last = /^([A-Za-z0-9]+)L$/.exec(field)
  if (last !== null) {
    const wd = value(last[1]!, 1, 7, DAYS)
    return wd === undefined ? undefined : (y, m, d) => weekday(y, m, d) === wd && d + 7 > daysIn(y, m)
  }
  const nth = /^([A-Za-z0-9]+)#([1-5])$/.exec(field)
  if (nth !== null) {
    const wd = value(nth[1]!, 1, 7, DAYS)
    const n = Number(nth[2])
    return wd === undefined ? undefined : (y, m, d) => weekday(y, m, d) === wd && Math.ceil(d / 7) === n
  }
  const set = numberSet(field, 1, 7, DAYS)
  return set === undefined ? undefined : (y, m, d) => set.has(weekday(y, m, d))
}
