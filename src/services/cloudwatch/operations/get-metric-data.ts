// GetMetricData: MetricStat queries and metric math, ScanBy, MaxDatapoints pagination, labels.
import type { OperationTable } from '../../service.ts'
import { cloudWatchErrors } from '../errors.ts'
import type { CloudWatchOperations, MetricDataQuery, MetricDataResult } from '../generated/types.ts'
import { limits } from '../limits.ts'
import { QueryError, runQueries } from '../metric-queries.ts'
import { isValidPeriod, roundStart } from '../periods.ts'
import { isKnownStat } from '../statistics.ts'
import type { CloudWatchState } from '../store.ts'
import { checkEnum, ms, pageToken, readPageToken } from './common.ts'

type Ops = Pick<CloudWatchOperations, 'GetMetricData'>

export function getMetricDataOperations(state: CloudWatchState): OperationTable<Ops> {
  return {
    GetMetricData: (input, ctx) => {
      const queries = input.MetricDataQueries
      checkQueries(queries)
      checkEnum(input.ScanBy, 'scanBy', ['TimestampDescending', 'TimestampAscending'])
      const now = ctx.clock.now()
      const end = ms(input.EndTime)
      if (ms(input.StartTime) >= end) throw cloudWatchErrors.invalidValue('The parameter StartTime must be less than the parameter EndTime.')
      const period = Math.min(...queries.map((q) => q.MetricStat?.Period ?? q.Period ?? Infinity))
      const start = roundStart(ms(input.StartTime), Number.isFinite(period) ? period : 60, now)
      let results
      try {
        results = runQueries(state.region(ctx.caller.account, ctx.caller.region).metrics, queries, start, end, now)
      } catch (error) {
        if (error instanceof QueryError) throw cloudWatchErrors.invalidValue(`Error in expression ${error.id}: ${error.message}`)
        throw error
      }
      const ascending = input.ScanBy === 'TimestampAscending'
      const out: MetricDataResult[] = []
      for (const q of queries) {
        if (q.ReturnData === false) continue
        for (const s of results.get(q.Id)!.series) {
          const pairs = [...s.points].sort((a, b) => (ascending ? a[0] - b[0] : b[0] - a[0]))
          out.push({ Id: q.Id, Label: s.label, Timestamps: pairs.map(([t]) => new Date(t)), Values: pairs.map(([, v]) => v), StatusCode: 'Complete', Messages: [] })
        }
      }
      return paginate(out, input.NextToken, input.MaxDatapoints ?? limits.defaultMaxDatapoints)
    },
  }
}

function checkQueries(queries: readonly MetricDataQuery[]): void {
  if (queries.length === 0) throw cloudWatchErrors.missingParameter('MetricDataQueries')
  if (queries.length > limits.maxMetricDataQueries) {
    throw cloudWatchErrors.invalidValue(`The collection MetricDataQueries must not have a size greater than ${limits.maxMetricDataQueries}.`)
  }
  const ids = new Set<string>()
  queries.forEach((q, i) => {
    const path = `MetricDataQueries.member.${i + 1}`
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.Id)) {
      throw cloudWatchErrors.invalidValue(`The value ${q.Id} for parameter ${path}.Id is invalid. It must start with a lowercase letter and contain only letters, numbers and underscores.`)
    }
    if (ids.has(q.Id)) throw cloudWatchErrors.invalidValue(`The value ${q.Id} for parameter ${path}.Id is duplicated.`)
    ids.add(q.Id)
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
      throw cloudWatchErrors.combination(`Exactly one element of the ${path}.MetricStat and ${path}.Expression must be specified.`)
    }
    const stat = q.MetricStat
    if (stat !== undefined) {
      if (!isValidPeriod(stat.Period)) throw cloudWatchErrors.invalidValue(`The parameter ${path}.MetricStat.Period must be 1, 5, 10, 20, 30, or any multiple of 60.`)
      if (!isKnownStat(stat.Stat)) throw cloudWatchErrors.invalidValue(`The value ${stat.Stat} for parameter ${path}.MetricStat.Stat is invalid.`)
    }
  })
}

/**
 * MaxDatapoints bounds the datapoints of one page across results; the token says where the next
 * page resumes. A result cut short says PartialData (the rest comes with the token).
 */
function paginate(results: MetricDataResult[], token: string | undefined, max: number) {
  let skip = readPageToken('GetMetricData', token)
  const offset = skip
  let budget = max
  const page: MetricDataResult[] = []
  let consumed = 0
  for (const r of results) {
    const n = r.Values!.length
    if (n === 0) {
      if (offset === 0) page.push(r)
      continue
    }
    if (skip >= n) {
      skip -= n
      consumed += n
      continue
    }
    const from = skip
    skip = 0
    const take = Math.min(n - from, budget)
    budget -= take
    consumed += from + take
    const partial = from + take < n
    page.push({ ...r, Timestamps: r.Timestamps!.slice(from, from + take), Values: r.Values!.slice(from, from + take),
      StatusCode: partial ? 'PartialData' : 'Complete' })
    if (budget === 0) break
  }
  const total = results.reduce((a, r) => a + r.Values!.length, 0)
  return { MetricDataResults: page, Messages: [], ...(consumed < total && { NextToken: pageToken('GetMetricData', consumed) }) }
}
