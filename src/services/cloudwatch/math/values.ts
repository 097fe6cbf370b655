// The values metric math computes with: a scalar, one time series (timestamp → value), or an array of series.

export interface Series {
  id: string
  label: string
  /** Period start (epoch ms) → value, in ascending timestamp order. */
  points: Map<number, number>
}

export type Value =
  | { kind: 'scalar'; value: number }
  | { kind: 'series'; series: Series }
  | { kind: 'array'; items: Series[] }

export class MathEvaluationError extends Error {}

export const scalar = (value: number): Value => ({ kind: 'scalar', value })
export const single = (series: Series): Value => ({ kind: 'series', series })

/** A series built from (timestamp, value) pairs, kept in timestamp order. */
export function seriesOf(id: string, label: string, pairs: Iterable<[number, number]>): Series {
  const sorted = [...pairs].filter(([, v]) => Number.isFinite(v)).sort((a, b) => a[0] - b[0])
  return { id, label, points: new Map(sorted) }
}

export function mapSeries(s: Series, fn: (v: number, t: number) => number): Series {
  return seriesOf(s.id, s.label, [...s.points].map(([t, v]) => [t, fn(v, t)]))
}

/** Applies a per-series function to a series or to every series of an array. */
export function eachSeries(v: Value, fn: (s: Series) => Series, name: string): Value {
  if (v.kind === 'series') return single(fn(v.series))
  if (v.kind === 'array') return { kind: 'array', items: v.items.map(fn) }
  throw new MathEvaluationError(`${name} requires a time series or an array of time series`)
}

export function asSeriesList(v: Value, name: string): Series[] {
  if (v.kind === 'series') return [v.series]
  if (v.kind === 'array') return v.items
  throw new MathEvaluationError(`${name} requires a time series or an array of time series`)
}
