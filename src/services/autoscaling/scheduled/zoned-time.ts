// Wall-clock time in an IANA time zone (a scheduled action's TimeZone), from Node's own ICU data:
// the UTC offset at an instant, and the instant a local date-time names (DST gaps and overlaps too).

export interface LocalTime {
  year: number
  /** 1–12 */
  month: number
  day: number
  hour: number
  minute: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric' })
    formatters.set(zone, f)
  }
  return f
}

/** Whether Node knows the zone (AWS accepts the canonical IANA names, e.g. Etc/GMT+9 or America/New_York). */
export function isTimeZone(zone: string): boolean {
  if (zone === '' || zone.length > 255) return false
  try {
    formatter(zone)
    return true
  } catch {
    return false
  }
}

/** The zone's offset from UTC (ms, east positive) at instant `t`. */
export function offsetAt(zone: string, t: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0
  const parts: Record<string, number> = {}
  for (const p of formatter(zone).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!)
  return local - Math.floor(t / 1000) * 1000
}

/**
 * The instant a local wall-clock time names in a zone. In a DST overlap (the hour that happens twice)
 * the earlier instant; in a gap (the hour that never happens) undefined — cron skips it.
 */
export function instantOf(zone: string, local: LocalTime): number | undefined {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute)
  // The offset can differ by at most a day's worth either side; two candidates cover every real zone.
  const candidates = new Set([naive - offsetAt(zone, naive - 86_400_000), naive - offsetAt(zone, naive + 86_400_000),
    naive - offsetAt(zone, naive)])
  const valid = [...candidates].filter((t) => t + offsetAt(zone, t) === naive).sort((a, b) => a - b)
  return valid[0]
}

/** The local wall-clock time at instant `t`. */
export function localAt(zone: string, t: number): LocalTime {
  const d = new Date(t + offsetAt(zone, t))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() }
}
