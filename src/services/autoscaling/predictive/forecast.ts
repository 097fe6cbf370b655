// Predictive scaling's forecast, a documented simplification of AWS's model: the load of each hour of
// the next 48 is the mean of the same hour of day over up to 14 days of history (at least 24 hours
// of it are needed, as AWS requires), and the capacity it needs is ceil(load / target per instance).

const HOUR = 3_600_000
export const forecastHours = 48
const historyDays = 14

export interface Forecast {
  /** Hour starts (epoch ms), ascending. */
  timestamps: number[]
  load: number[]
  capacity: number[]
}

/**
 * `history`: hourly load values by hour start (total load across the group, e.g. the sum of its
 * instances' CPU). Undefined when there is under 24 hours of it before `now`.
 */
export function forecast(history: ReadonlyMap<number, number>, now: number, targetPerInstance: number): Forecast | undefined {
  const firstHour = Math.floor(now / HOUR) * HOUR
  const from = firstHour - historyDays * 24 * HOUR
  const byHourOfDay = new Map<number, number[]>()
  let hours = 0
  for (const [t, value] of history) {
    if (t < from || t >= firstHour || !Number.isFinite(value)) continue
    hours++
    const h = new Date(t).getUTCHours()
    const list = byHourOfDay.get(h) ?? byHourOfDay.set(h, []).get(h)!
    list.push(value)
  }
  if (hours < 24) return undefined
  const out: Forecast = { timestamps: [], load: [], capacity: [] }
  for (let i = 0; i < forecastHours; i++) {
    const t = firstHour + i * HOUR
    const values = byHourOfDay.get(new Date(t).getUTCHours()) ?? []
    const load = values.length === 0 ? 0 : Number((values.reduce((a, b) => a + b, 0) / values.length).toPrecision(12))
    out.timestamps.push(t)
    out.load.push(load)
    out.capacity.push(targetPerInstance > 0 ? Math.ceil(Number((load / targetPerInstance).toPrecision(12))) : 0)
  }
  return out
}

/** The forecast's capacity for the hour holding `t`, or undefined outside it. */
export function capacityAt(f: Forecast, t: number): number | undefined {
  const hour = Math.floor(t / HOUR) * HOUR
  const i = f.timestamps.indexOf(hour)
  return i < 0 ? undefined : f.capacity[i]
}
