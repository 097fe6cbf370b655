// Metric math's functions (CloudWatch User Guide, "Metric math syntax and functions"): the
// aggregations over a series (to a scalar) or an array (to a series), FILL, IF, RATE, DIFF, the
// element-wise ones and the time-of-period ones (MINUTE … EPOCH).
import { asSeriesList, eachSeries, MathEvaluationError, mapSeries, scalar, type Series, seriesOf, single, type Value } from './values.ts'

type Reducer = (values: number[]) => number
const reducers: Record<string, Reducer> = {
  SUM: (v) => v.reduce((a, b) => a + b, 0),
  AVG: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  MIN: (v) => Math.min(...v),
  MAX: (v) => Math.max(...v),
  STDDEV: (v) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length
    return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length)
  },
  // How many datapoints reported a value (of an array: per timestamp, how many series have one).
  DATAPOINT_COUNT: (v) => v.length,
}

/** Of one series: a scalar over all its points; of an array: one series, timestamp by timestamp. */
function reduce(name: string, arg: Value): Value {
  const fn = reducers[name]!
  if (arg.kind === 'scalar') return arg
  if (arg.kind === 'series') {
    const values = [...arg.series.points.values()]
    if (values.length === 0) return name === 'DATAPOINT_COUNT' ? scalar(0) : single(seriesOf(arg.series.id, arg.series.label, []))
    return scalar(fn(values))
  }
  const byTime = new Map<number, number[]>()
  for (const s of arg.items) for (const [t, v] of s.points) (byTime.get(t) ?? byTime.set(t, []).get(t)!).push(v)
  return single(seriesOf('', '', [...byTime].map(([t, vs]) => [t, fn(vs)])))
}

const elementwise: Record<string, (v: number) => number> = {
  ABS: Math.abs, CEIL: Math.ceil, FLOOR: Math.floor, LOG: Math.log, LOG10: Math.log10,
}

/**
 * Each point replaced by a part of its period's start time, in UTC: MINUTE 0–59, HOUR 0–23, DAY the
 * day of the week (1 Monday … 7 Sunday), DATE the day of the month, MONTH 1–12, YEAR, EPOCH seconds.
 */
const timeParts: Record<string, (t: Date) => number> = {
  MINUTE: (t) => t.getUTCMinutes(),
  HOUR: (t) => t.getUTCHours(),
  DAY: (t) => t.getUTCDay() === 0 ? 7 : t.getUTCDay(),
  DATE: (t) => t.getUTCDate(),
  MONTH: (t) => t.getUTCMonth() + 1,
  YEAR: (t) => t.getUTCFullYear(),
  EPOCH: (t) => Math.floor(t.getTime() / 1000),
}

/** Consecutive points: RATE (per second), DIFF, DIFF_TIME (seconds); the first point has no predecessor. */
function consecutive(s: Series, fn: (v: number, prev: number, dtSeconds: number) => number): Series {
  const out: [number, number][] = []
  let prev: [number, number] | undefined
  for (const [t, v] of s.points) {
    if (prev !== undefined) out.push([t, fn(v, prev[1], (t - prev[0]) / 1000)])
    prev = [t, v]
  }
  return seriesOf(s.id, s.label, out)
}

function runningSum(s: Series): Series {
  let total = 0
  return mapSeries(s, (v) => (total += v))
}

/** FILL(series, value | REPEAT | LINEAR): every timestamp of the grid gets a value. */
function fill(s: Series, how: Value | 'REPEAT' | 'LINEAR', grid: readonly number[]): Series {
  const known = [...s.points]
  const out: [number, number][] = []
  let k = 0
  for (const t of grid) {
    while (k < known.length && known[k]![0] < t) k++
    const exact = s.points.get(t)
    if (exact !== undefined) {
      out.push([t, exact])
      continue
    }
    const before = k > 0 ? known[k - 1] : undefined
    const after = known[k]
    if (how === 'REPEAT') {
      if (before !== undefined) out.push([t, before[1]])
    } else if (how === 'LINEAR') {
      if (before !== undefined && after !== undefined) {
        out.push([t, before[1] + ((after[1] - before[1]) * (t - before[0])) / (after[0] - before[0])])
      }
    } else if (how.kind === 'scalar') {
      out.push([t, how.value])
    } else if (how.kind === 'series') {
      const v = how.series.points.get(t)
      if (v !== undefined) out.push([t, v])
    }
  }
  return seriesOf(s.id, s.label, out)
}

export interface CallContext {
  grid: readonly number[]
  periodSeconds: number
}

export function callFunction(name: string, args: (Value | 'REPEAT' | 'LINEAR')[], ctx: CallContext): Value {
  const value = (i: number): Value => {
    const a = args[i]
    if (a === undefined || typeof a === 'string') throw new MathEvaluationError(`${name} is missing an argument`)
    return a
  }
  if (name in reducers) {
    if (args.length !== 1) throw new MathEvaluationError(`${name} takes one argument`)
    return reduce(name, value(0))
  }
  if (name in elementwise) {
    const fn = elementwise[name]!
    const v = value(0)
    return v.kind === 'scalar' ? scalar(fn(v.value)) : eachSeries(v, (s) => mapSeries(s, fn), name)
  }
  if (name in timeParts) {
    const part = timeParts[name]!
    if (args.length !== 1) throw new MathEvaluationError(`${name} takes one argument`)
    return eachSeries(value(0), (s) => mapSeries(s, (_v, t) => part(new Date(t))), name)
  }
  switch (name) {
    case 'RATE': return eachSeries(value(0), (s) => consecutive(s, (v, p, dt) => (v - p) / dt), name)
    case 'DIFF': return eachSeries(value(0), (s) => consecutive(s, (v, p) => v - p), name)
    case 'DIFF_TIME': return eachSeries(value(0), (s) => consecutive(s, (_v, _p, dt) => dt), name)
    case 'RUNNING_SUM': return eachSeries(value(0), runningSum, name)
    case 'PERIOD': return eachSeries(value(0), (s) => mapSeries(s, () => ctx.periodSeconds), name)
    case 'FILL': {
      const how = args[1]
      if (how === undefined) throw new MathEvaluationError('FILL requires a value, REPEAT or LINEAR')
      return eachSeries(value(0), (s) => fill(s, how, ctx.grid), name)
    }
    case 'REMOVE_EMPTY': return { kind: 'array', items: asSeriesList(value(0), name).filter((s) => s.points.size > 0) }
    case 'TIME_SERIES': {
      const v = value(0)
      if (v.kind !== 'scalar') throw new MathEvaluationError('TIME_SERIES requires a scalar')
      return single(seriesOf('', '', ctx.grid.map((t) => [t, v.value])))
    }
  }
  throw new MathEvaluationError(`Unknown function ${name}`)
}
