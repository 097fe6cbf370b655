// Runs a set of MetricDataQuery entries (GetMetricData, metric-math alarms): MetricStat queries
// read stored datapoints period by period, expressions are parsed and evaluated against them.
import type { MetricDataQuery } from './generated/types.ts'
import { evaluate, type MathScope } from './math/evaluate.ts'
import { MathSyntaxError } from './math/lexer.ts'
import { type Node, parseExpression } from './math/parser.ts'
import { MathEvaluationError, type Series, seriesOf, type Value } from './math/values.ts'
import type { Metrics } from './metrics.ts'
import { bucketsOf } from './periods.ts'
import { statistic } from './statistics.ts'

export class QueryError extends Error {
  readonly id: string
  constructor(id: string, message: string) {
    super(message)
    this.id = id
  }
}

export interface QueryResult {
  query: MetricDataQuery
  /** One series for a MetricStat or a series-valued expression; several for an array-valued one. */
  series: Series[]
}

/** Parses every expression up front: a syntax error fails the whole request, as AWS does. */
export function parseQueries(queries: readonly MetricDataQuery[]): Map<string, Node> {
  const parsed = new Map<string, Node>()
  for (const q of queries) {
    if (q.Expression === undefined) continue
    try {
      parsed.set(q.Id, parseExpression(q.Expression))
    } catch (error) {
      if (error instanceof MathSyntaxError) throw new QueryError(q.Id, error.message)
      throw error
    }
  }
  return parsed
}

/** `start` is already rounded; every query shares the grid of the smallest period. */
export function runQueries(metrics: Metrics, queries: readonly MetricDataQuery[], start: number, end: number, now: number): Map<string, QueryResult> {
  const parsed = parseQueries(queries)
  const byId = new Map(queries.map((q) => [q.Id, q]))
  const periods = queries.map((q) => q.MetricStat?.Period ?? q.Period).filter((p): p is number => p !== undefined)
  const periodSeconds = periods.length > 0 ? Math.min(...periods) : 60
  const grid: number[] = []
  for (let t = start; t < end && grid.length < 100_800; t += periodSeconds * 1000) grid.push(t)
  const values = new Map<string, Value>()
  const visiting = new Set<string>()

  const statSeries = (q: MetricDataQuery): Series => {
    const stat = q.MetricStat!
    const m = stat.Metric
    const metric = metrics.find(m.Namespace ?? '', m.MetricName ?? '', m.Dimensions ?? [])
    const label = q.Label ?? m.MetricName ?? q.Id
    if (metric === undefined) return seriesOf(q.Id, label, [])
    const pairs: [number, number][] = []
    for (const b of bucketsOf(metric, stat.Period, start, end, now, stat.Unit)) {
      const v = statistic(b.points, stat.Stat)
      if (v !== undefined) pairs.push([b.t, v])
    }
    return seriesOf(q.Id, label, pairs)
  }

  const scope: MathScope = {
    grid,
    periodSeconds,
    resolve: (id) => valueOf(id),
    metrics: (filter) => queries.filter((q) => q.MetricStat !== undefined && (filter === undefined || q.Id.includes(filter) ||
      (q.Label ?? '').includes(filter))).map((q) => statSeries(q)),
  }

  function valueOf(id: string): Value | undefined {
    const cached = values.get(id)
    if (cached !== undefined) return cached
    const q = byId.get(id)
    if (q === undefined) return undefined
    if (visiting.has(id)) throw new QueryError(id, `Circular reference involving ${id}`)
    visiting.add(id)
    let value: Value
    try {
      value = q.MetricStat !== undefined ? { kind: 'series', series: statSeries(q) } : evaluate(parsed.get(id)!, scope)
    } catch (error) {
      if (error instanceof MathEvaluationError) throw new QueryError(id, error.message)
      throw error
    } finally {
      visiting.delete(id)
    }
    values.set(id, value)
    return value
  }

  const results = new Map<string, QueryResult>()
  for (const q of queries) {
    const value = valueOf(q.Id)!
    const label = q.Label ?? (q.MetricStat !== undefined ? q.MetricStat.Metric.MetricName ?? q.Id : q.Id)
    const series = value.kind === 'scalar' ? [seriesOf(q.Id, label, grid.map((t) => [t, value.value]))]
      : value.kind === 'series' ? [{ ...value.series, id: q.Id, label }] : value.items.map((s) => ({ ...s, id: q.Id, label: s.label || label }))
    results.set(q.Id, { query: q, series })
  }
  return results
}
