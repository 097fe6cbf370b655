// Metric math's functions over arrays of time series (CloudWatch User Guide, "Metric math syntax and
// functions"): SORT, SLICE, FIRST, LAST and METRIC_COUNT — the "top N" building blocks, e.g.
// FIRST(SORT(METRICS(), AVG, DESC)) or SLICE(SORT(METRICS(), SUM, DESC), 1, 5).
import type { Node } from './parser.ts'
import { asSeriesList, MathEvaluationError, scalar, type Series, single, type Value } from './values.ts'

export const arrayFunctionNames = new Set(['SORT', 'SLICE', 'FIRST', 'LAST', 'METRIC_COUNT'])

/** The statistics SORT ranks series by; AWS lists AVG, MIN, MAX and SUM. */
const rankers: Record<string, (v: number[]) => number> = {
  AVG: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  MIN: (v) => Math.min(...v),
  MAX: (v) => Math.max(...v),
  SUM: (v) => v.reduce((a, b) => a + b, 0),
}

/** A bare word argument (SORT's AVG, DESC): the parser reads it as an id reference. */
function word(node: Node | undefined): string | undefined {
  if (node?.type === 'ref') return node.id.toUpperCase()
  if (node?.type === 'keyword') return node.name
  return undefined
}

function integer(v: Value, name: string): number {
  if (v.kind !== 'scalar' || !Number.isInteger(v.value) || v.value < 0) {
    throw new MathEvaluationError(`${name} requires a non-negative integer`)
  }
  return v.value
}

/**
 * Evaluates an array function; `evaluate` evaluates an argument node (SORT's function and order are
 * words, not values, so the nodes are passed as they are).
 */
export function callArrayFunction(name: string, args: Node[], evaluate: (node: Node) => Value): Value {
  const array = (node: Node | undefined): Series[] => {
    if (node === undefined) throw new MathEvaluationError(`${name} is missing an argument`)
    return asSeriesList(evaluate(node), name)
  }
  switch (name) {
    case 'SORT': {
      if (args.length < 3 || args.length > 4) throw new MathEvaluationError('SORT takes an array, a function (AVG, MIN, MAX or SUM), ASC or DESC and an optional limit')
      const items = array(args[0])
      const by = word(args[1])
      const ranker = by === undefined ? undefined : rankers[by]
      if (ranker === undefined) throw new MathEvaluationError('The function of SORT must be AVG, MIN, MAX or SUM')
      const order = word(args[2])
      if (order !== 'ASC' && order !== 'DESC') throw new MathEvaluationError('The sort order of SORT must be ASC or DESC')
      const limit = args[3] === undefined ? undefined : integer(evaluate(args[3]), 'The limit of SORT')
      // Series without datapoints have no rank: they go last in either order [R].
      const ranked = items.map((s, i) => ({ s, i, rank: s.points.size === 0 ? undefined : ranker([...s.points.values()]) }))
      ranked.sort((a, b) => {
        if (a.rank === undefined || b.rank === undefined) return (a.rank === undefined ? 1 : 0) - (b.rank === undefined ? 1 : 0) || a.i - b.i
        return (order === 'ASC' ? a.rank - b.rank : b.rank - a.rank) || a.i - b.i
      })
      const sorted = ranked.map((r) => r.s)
      return { kind: 'array', items: limit === undefined ? sorted : sorted.slice(0, limit) }
    }
    case 'SLICE': {
      // SLICE(array, start[, end]): zero-based, start inclusive, end exclusive; without an end, to the last.
      if (args.length < 2 || args.length > 3) throw new MathEvaluationError('SLICE takes an array, a start and an optional end')
      const items = array(args[0])
      const from = integer(evaluate(args[1]!), 'The start of SLICE')
      const to = args[2] === undefined ? items.length : integer(evaluate(args[2]), 'The end of SLICE')
      return { kind: 'array', items: items.slice(from, to) }
    }
    case 'FIRST':
    case 'LAST': {
      if (args.length !== 1) throw new MathEvaluationError(`${name} takes one argument`)
      const items = array(args[0])
      const picked = name === 'FIRST' ? items[0] : items[items.length - 1]
      if (picked === undefined) return { kind: 'array', items: [] }
      return single(picked)
    }
    case 'METRIC_COUNT': {
      if (args.length !== 1) throw new MathEvaluationError('METRIC_COUNT takes one argument')
      return scalar(array(args[0]).length)
    }
  }
  throw new MathEvaluationError(`Unknown function ${name}`)
}
