// Java DateTimeFormatter patterns, as Firehose evaluates `!{timestamp:<pattern>}` in S3 prefixes:
// letters are fields, text in single quotes is literal ('' is a quote), other characters are literal.
// The common fields are supported; a letter Java reserves but Nimbus doesn't format is rejected at
// configuration time (README Gaps), never silently printed.

export type Token = { literal: string } | { field: string; width: number }

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
/** Fields Nimbus formats (Java letters): year, month, day, day of year, hours, minutes, seconds, fraction, AM/PM, day name, quarter. */
const supported = new Set(['y', 'u', 'M', 'L', 'd', 'D', 'H', 'h', 'k', 'K', 'm', 's', 'S', 'a', 'E', 'e', 'Q'])

/** The pattern's tokens, or an error message when Java would reject it (or Nimbus can't format it). */
export function parseDatePattern(pattern: string): Token[] | string {
  const tokens: Token[] = []
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]!
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1)
      if (end === -1) return `Pattern ends with an incomplete string literal: ${pattern}`
      tokens.push({ literal: end === i + 1 ? "'" : pattern.slice(i + 1, end).replaceAll("''", "'") })
      i = end + 1
      continue
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i
      while (pattern[j] === c) j++
      if (!supported.has(c)) return `Unknown pattern letter: ${c}`
      tokens.push({ field: c, width: j - i })
      i = j
      continue
    }
    // Optional sections print their content; Java reserves #, { and }.
    if (c === '#' || c === '{' || c === '}') return `Pattern includes reserved character: '${c}'`
    if (c !== '[' && c !== ']') tokens.push({ literal: c })
    i++
  }
  return tokens
}

export interface DateFields {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  millis: number
  weekday: number
  dayOfYear: number
}

/** The instant's calendar fields in a time zone (UTC by default, as Firehose's CustomTimeZone). */
export function dateFields(ms: number, timeZone = 'UTC'): DateFields {
  let shifted = ms
  if (timeZone !== 'UTC' && timeZone !== '') {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(ms))
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
    shifted = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'), ms % 1000)
  }
  const d = new Date(shifted)
  const year = d.getUTCFullYear()
  return {
    year, month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
    millis: d.getUTCMilliseconds(), weekday: d.getUTCDay(), dayOfYear: Math.floor((shifted - Date.UTC(year, 0, 1)) / 86_400_000) + 1,
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')

function text(names: readonly string[], index: number, width: number): string {
  const name = names[index]!
  return width >= 4 ? name : name.slice(0, 3)
}

function field(token: { field: string; width: number }, f: DateFields): string {
  const { width } = token
  switch (token.field) {
    case 'y': case 'u': return width === 2 ? pad(f.year % 100, 2) : pad(f.year, width)
    case 'M': case 'L': return width >= 3 ? text(monthNames, f.month - 1, width) : pad(f.month, width)
    case 'd': return pad(f.day, width)
    case 'D': return pad(f.dayOfYear, width)
    case 'H': return pad(f.hour, width)
    case 'h': return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, width)
    case 'k': return pad(f.hour === 0 ? 24 : f.hour, width)
    case 'K': return pad(f.hour % 12, width)
    case 'm': return pad(f.minute, width)
    case 's': return pad(f.second, width)
    case 'S': return pad(f.millis, 3).padEnd(width, '0').slice(0, width)
    case 'a': return f.hour < 12 ? 'AM' : 'PM'
    case 'E': return text(dayNames, f.weekday, width)
    case 'e': return width >= 3 ? text(dayNames, f.weekday, width) : pad(f.weekday + 1, width)
    case 'Q': return width >= 3 ? `Q${Math.ceil(f.month / 3)}` : pad(Math.ceil(f.month / 3), width)
    default: return ''
  }
}

export function formatDate(tokens: readonly Token[], fields: DateFields): string {
  return tokens.map((t) => 'literal' in t ? t.literal : field(t, fields)).join('')
}
