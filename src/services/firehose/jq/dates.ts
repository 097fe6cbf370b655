// jq 1.6's date builtins: `now`, `gmtime`/`localtime` (UTC here), `mktime`, `strftime`/
// `strflocaltime` and `strptime` with C's conversion letters. A "broken down time" is jq's array
// [year, month (0-11), day (1-31), hours, minutes, seconds (with the input's fraction), weekday
// (0 = Sunday), day of the year (0-365)]. The jq-defined ones (todate, fromdate…) are in the prelude.
import { natives, values, type Closure } from './evaluator.ts'
import { fail, type Json } from './values.ts'

/** Where `now` reads the time: jq.ts points it at the caller's clock while a query runs. */
export const jqClock = { now: (): number => Date.now() }

function fn(name: string, arity: number, f: (input: Json, ...args: Json[]) => Json): void {
  natives.set(`${name}/${arity}`, function* (input: Json, args: Closure[]) {
    for (const vs of values(args, input)) yield f(input, ...vs)
  })
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

export function gmtime(t: number): number[] {
  const d = new Date(Math.floor(t) * 1000)
  const yday = Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000)
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(),
    d.getUTCSeconds() + (t - Math.floor(t)), d.getUTCDay(), yday]
}

/** A broken-down time's fields as integers (jq reads each with C's (int) cast). */
function tm(v: Json, who: string): number[] {
  if (typeof v === 'number') return gmtime(v).map((x) => Math.trunc(x))
  if (!Array.isArray(v) || v.length < 6) return fail(`${who} requires array of 6 numbers`)
  if (!v.every((x) => typeof x === 'number')) return fail(`${who} requires parsed datetime inputs`)
  return (v as number[]).map((x) => Math.trunc(x))
}

export function mktime(v: Json): number {
  if (!Array.isArray(v) || v.length < 6) return fail('mktime requires array of 6 numbers')
  if (!v.every((x) => typeof x === 'number')) return fail('mktime requires parsed datetime inputs')
  const [y, mo, d, h, mi, s] = (v as number[]).map((x) => Math.trunc(x))
  return Math.floor(Date.UTC(y!, mo!, d!, h!, mi!, s!) / 1000)
}

const pad = (n: number, width: number, fill = '0') => String(n).padStart(width, fill)

/** The ISO 8601 week-based year and week of a date (for %G, %g, %V). */
function isoWeek(y: number, mo: number, d: number): [number, number] {
  const date = new Date(Date.UTC(y, mo, d))
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7) + 3) // the week's Thursday decides its year
  const year = date.getUTCFullYear()
  const jan4 = new Date(Date.UTC(year, 0, 4))
  const week = 1 + Math.round(((date.getTime() - jan4.getTime()) / 86_400_000 - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7)
  return [year, week]
}

export function strftime(v: Json, format: Json, who = 'strftime/1'): string {
  if (typeof format !== 'string') return fail(`${who} requires a string format`)
  if (typeof v !== 'number' && !Array.isArray(v)) return fail(`${who} requires parsed datetime inputs`)
  const [y, mo, d, h, mi, s, wd, yd] = tm(v, who)
  // Weekday and day of the year as given; when absent, from the date.
  const date = new Date(Date.UTC(y!, mo!, d!, h!, mi!, s!))
  const wday = wd ?? date.getUTCDay()
  const yday = yd ?? Math.floor((Date.UTC(y!, mo!, d!) - Date.UTC(y!, 0, 1)) / 86_400_000)
  const h12 = h! % 12 === 0 ? 12 : h! % 12
  const conv = (c: string): string => {
    switch (c) {
      case 'a': return (DAYS[wday] ?? '?').slice(0, 3)
      case 'A': return DAYS[wday] ?? '?'
      case 'b': case 'h': return (MONTHS[mo!] ?? '?').slice(0, 3)
      case 'B': return MONTHS[mo!] ?? '?'
      case 'c': return `${conv('a')} ${conv('b')} ${conv('e')} ${conv('T')} ${y}`
      case 'C': return pad(Math.floor(y! / 100), 2)
      case 'd': return pad(d!, 2)
      case 'D': return `${conv('m')}/${conv('d')}/${conv('y')}`
      case 'e': return pad(d!, 2, ' ')
      case 'F': return `${y}-${conv('m')}-${conv('d')}`
      case 'g': return pad(isoWeek(y!, mo!, d!)[0] % 100, 2)
      case 'G': return String(isoWeek(y!, mo!, d!)[0])
      case 'H': return pad(h!, 2)
      case 'I': return pad(h12, 2)
      case 'j': return pad(yday + 1, 3)
      case 'k': return pad(h!, 2, ' ')
      case 'l': return pad(h12, 2, ' ')
      case 'm': return pad(mo! + 1, 2)
      case 'M': return pad(mi!, 2)
      case 'n': return '\n'
      case 'p': return h! < 12 ? 'AM' : 'PM'
      case 'r': return `${conv('I')}:${conv('M')}:${conv('S')} ${conv('p')}`
      case 'R': return `${conv('H')}:${conv('M')}`
      case 's': return String(Math.floor(date.getTime() / 1000))
      case 'S': return pad(s!, 2)
      case 't': return '\t'
      case 'T': return `${conv('H')}:${conv('M')}:${conv('S')}`
      case 'u': return String(wday === 0 ? 7 : wday)
      case 'U': return pad(Math.floor((yday + 7 - wday) / 7), 2)
      case 'V': return pad(isoWeek(y!, mo!, d!)[1], 2)
      case 'w': return String(wday)
      case 'W': return pad(Math.floor((yday + 7 - ((wday + 6) % 7)) / 7), 2)
      case 'x': return conv('D')
      case 'X': return conv('T')
      case 'y': return pad(y! % 100, 2)
      case 'Y': return String(y)
      case 'z': return '+0000'
      case 'Z': return 'UTC' // [R] glibc may print GMT
      case '%': return '%'
      default: return `%${c}`
    }
  }
  return format.replace(/%([a-zA-Z%])/g, (_, c: string) => conv(c))
}

/** C's strptime for the common letters; the weekday and day of the year are then computed, as jq does. */
export function strptime(v: Json, format: Json): number[] {
  if (typeof v !== 'string' || typeof format !== 'string') return fail('strptime/1 requires string inputs and arguments')
  const t = { y: 1900, mo: 0, d: 1, h: 0, mi: 0, s: 0, pm: undefined as boolean | undefined, epoch: undefined as number | undefined }
  let at = 0
  const nomatch = () => fail(`date "${v}" does not match format "${format}"`)
  const int = (min: number, max: number, width: number, signed = false): number => {
    const m = new RegExp(`^${signed ? '[+-]?' : ''}\\d{1,${width}}`).exec(v.slice(at))
    if (m === null) return nomatch()
    at += m[0].length
    const n = Number(m[0])
    return n < min || n > max ? nomatch() : n
  }
  const name = (names: string[]): number => {
    const rest = v.slice(at).toLowerCase()
    for (let i = 0; i < names.length; i++) {
      for (const candidate of [names[i]!.toLowerCase(), names[i]!.slice(0, 3).toLowerCase()]) {
        if (rest.startsWith(candidate)) { at += candidate.length; return i }
      }
    }
    return nomatch()
  }
  const directive = (c: string): void => {
    switch (c) {
      case 'Y': t.y = int(0, 9999, 4, true); return
      case 'm': t.mo = int(1, 12, 2) - 1; return
      case 'd': case 'e': while (v[at] === ' ') at++; t.d = int(1, 31, 2); return
      case 'H': case 'k': while (v[at] === ' ') at++; t.h = int(0, 23, 2); return
      case 'I': case 'l': while (v[at] === ' ') at++; t.h = int(1, 12, 2) % 12; return
      case 'M': t.mi = int(0, 59, 2); return
      case 'S': t.s = int(0, 61, 2); return
      case 'j': { const yday = int(1, 366, 3); t.mo = 0; t.d = yday; return }
      case 'y': { const yy = int(0, 99, 2); t.y = yy < 69 ? 2000 + yy : 1900 + yy; return }
      case 'C': t.y = int(0, 99, 2) * 100 + (t.y % 100); return
      case 'b': case 'B': case 'h': t.mo = name(MONTHS); return
      case 'a': case 'A': name(DAYS); return
      case 'p': { const m = /^(am|pm)/i.exec(v.slice(at)); if (m === null) nomatch(); t.pm = m![0].toLowerCase() === 'pm'; at += 2; return }
      case 'Z': { const m = /^[A-Za-z]*/.exec(v.slice(at))!; at += m[0].length; return }
      case 'z': { const m = /^(Z|[+-]\d{2}:?\d{2})/.exec(v.slice(at)); if (m === null) nomatch(); at += m![0].length; return } // the offset is read, not applied (jq 1.6's mktime ignores it)
      case 's': t.epoch = int(-Infinity, Infinity, 20, true); return
      case 'T': directive('H'); literal(':'); directive('M'); literal(':'); directive('S'); return
      case 'R': directive('H'); literal(':'); directive('M'); return
      case 'D': directive('m'); literal('/'); directive('d'); literal('/'); directive('y'); return
      case 'F': directive('Y'); literal('-'); directive('m'); literal('-'); directive('d'); return
      case 'n': case 't': while (/\s/.test(v[at] ?? '')) at++; return
      case '%': literal('%'); return
      default: nomatch()
    }
  }
  const literal = (ch: string) => { if (v[at] !== ch) nomatch(); at++ }
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!
    if (c === '%' && i + 1 < format.length) directive(format[++i]!)
    else if (/\s/.test(c)) while (/\s/.test(v[at] ?? '')) at++
    else literal(c)
  }
  if (at !== v.length) nomatch()
  if (t.epoch !== undefined) return gmtime(t.epoch)
  if (t.pm === true) t.h += 12
  return gmtime(Date.UTC(t.y, t.mo, t.d, t.h, t.mi, t.s) / 1000)
}

natives.set('now/0', function* () { yield jqClock.now() / 1000 })
fn('gmtime', 0, (v) => typeof v === 'number' ? gmtime(v) : fail('gmtime() requires a number'))
// Nimbus's local time zone is UTC for jq (Firehose's is not the caller's either).
fn('localtime', 0, (v) => typeof v === 'number' ? gmtime(v) : fail('localtime() requires a number'))
fn('mktime', 0, (v) => mktime(v))
fn('strftime', 1, (v, f) => strftime(v, f))
fn('strflocaltime', 1, (v, f) => strftime(v, f, 'strflocaltime/1'))
fn('strptime', 1, (v, f) => strptime(v, f))

/** jq 1.6's jq-defined date functions. */
export const DATE_PRELUDE = `
def todateiso8601: strftime("%Y-%m-%dT%H:%M:%SZ");
def fromdateiso8601: strptime("%Y-%m-%dT%H:%M:%SZ") | mktime;
def todate: todateiso8601;
def fromdate: fromdateiso8601;
def date: todate;
def dateadd(u; n): . + n;
def datesub(u; n): . - n;
`
