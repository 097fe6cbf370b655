// Evaluates a parsed metric math expression against the request's other results: arithmetic and
// comparisons between scalars, series (on the timestamps both have) and arrays, IF, METRICS(), SORT/SLICE/FIRST/LAST.
import { arrayFunctionNames, callArrayFunction } from './array-functions.ts'
import { callFunction } from './functions.ts'
import type { Node } from './parser.ts'
import { MathEvaluationError, scalar, type Series, seriesOf, single, type Value } from './values.ts'

export interface MathScope {
  /** Another query's result by Id (evaluated on demand). */
  resolve(id: string): Value | undefined
  /** METRICS() and METRICS('text'): every MetricStat query's series (whose Id or label contains the text). */
  metrics(filter: string | undefined): Series[]
  /** Every period start of the request: what FILL and TIME_SERIES fill. */
  grid: readonly number[]
  periodSeconds: number
}

export function evaluate(node: Node, scope: MathScope): Value {
  switch (node.type) {
    case 'number': return scalar(node.value)
    case 'string': throw new MathEvaluationError('A string is only valid as an argument of METRICS()')
    case 'keyword': throw new MathEvaluationError(`${node.name} is only valid as an argument of FILL()`)
    case 'ref': {
      const value = scope.resolve(node.id)
      if (value === undefined) throw new MathEvaluationError(`Unrecognized metric or expression id: ${node.id}`)
      return value
    }
    case 'array': {
      const items: Series[] = []
      for (const item of node.items) {
        const v = evaluate(item, scope)
        if (v.kind === 'scalar') throw new MathEvaluationError('An array may contain only time series')
        items.push(...(v.kind === 'series' ? [v.series] : v.items))
      }
      return { kind: 'array', items }
    }
    case 'unary': {
      const v = evaluate(node.operand, scope)
      return node.op === '-' ? apply(v, scalar(-1), (a, b) => a * b) : apply(v, scalar(0), (a) => (a === 0 ? 1 : 0))
    }
    case 'binary': return apply(evaluate(node.left, scope), evaluate(node.right, scope), binary(node.op))
    case 'call': return call(node, scope)
  }
}

function call(node: Extract<Node, { type: 'call' }>, scope: MathScope): Value {
  if (node.name === 'METRICS') {
    const arg = node.args[0]
    if (arg !== undefined && arg.type !== 'string') throw new MathEvaluationError('METRICS() takes an optional string')
    return { kind: 'array', items: scope.metrics(arg?.value) }
  }
  if (node.name === 'IF') return conditional(node.args, scope)
  if (arrayFunctionNames.has(node.name)) return callArrayFunction(node.name, node.args, (arg) => evaluate(arg, scope))
  const args = node.args.map((a) => (a.type === 'keyword' ? (a.name as 'REPEAT' | 'LINEAR') : evaluate(a, scope)))
  return callFunction(node.name, args, { grid: scope.grid, periodSeconds: scope.periodSeconds })
}

/** IF(condition, trueValue[, falseValue]): per timestamp; without a false value, false points are dropped. */
function conditional(args: Node[], scope: MathScope): Value {
  if (args.length < 2 || args.length > 3) throw new MathEvaluationError('IF takes two or three arguments')
  const cond = evaluate(args[0]!, scope)
  const yes = evaluate(args[1]!, scope)
  const no = args[2] === undefined ? undefined : evaluate(args[2], scope)
  if (cond.kind === 'scalar') return cond.value !== 0 ? yes : (no ?? single(seriesOf('', '', [])))
  if (cond.kind === 'array') throw new MathEvaluationError('The condition of IF must be a time series or a scalar')
  const at = (v: Value | undefined, t: number): number | undefined =>
    v === undefined ? undefined : v.kind === 'scalar' ? v.value : v.kind === 'series' ? v.series.points.get(t) : undefined
  const out: [number, number][] = []
  for (const [t, c] of cond.series.points) {
    const v = at(c !== 0 ? yes : no, t)
    if (v !== undefined) out.push([t, v])
  }
  return single(seriesOf(cond.series.id, cond.series.label, out))
}

function binary(op: string): (a: number, b: number) => number {
  switch (op) {
    case '+': return (a, b) => a + b
    case '-': return (a, b) => a - b
    case '*': return (a, b) => a * b
    case '/': return (a, b) => a / b
    case '^': return (a, b) => a ** b
    case '==': return (a, b) => (a === b ? 1 : 0)
    case '!=': return (a, b) => (a !== b ? 1 : 0)
    case '<': return (a, b) => (a < b ? 1 : 0)
    case '<=': return (a, b) => (a <= b ? 1 : 0)
    case '>': return (a, b) => (a > b ? 1 : 0)
    case '>=': return (a, b) => (a >= b ? 1 : 0)
    case 'AND': return (a, b) => (a !== 0 && b !== 0 ? 1 : 0)
    case 'OR': return (a, b) => (a !== 0 || b !== 0 ? 1 : 0)
  }
  throw new MathEvaluationError(`Unknown operator ${op}`)
}

/** Scalars broadcast; two series combine on the timestamps both have; arrays apply item by item. */
function apply(a: Value, b: Value, fn: (x: number, y: number) => number): Value {
  if (a.kind === 'scalar' && b.kind === 'scalar') return scalar(fn(a.value, b.value))
  if (a.kind === 'array' && b.kind === 'array') throw new MathEvaluationError('Cannot combine two arrays of time series')
  if (a.kind === 'array') return { kind: 'array', items: a.items.map((s) => combine(s, b, fn, false)) }
  if (b.kind === 'array') return { kind: 'array', items: b.items.map((s) => combine(s, a, fn, true)) }
  if (a.kind === 'series') return single(combine(a.series, b, fn, false))
  return single(combine((b as { series: Series }).series, a, fn, true))
}

function combine(s: Series, other: Value, fn: (x: number, y: number) => number, swapped: boolean): Series {
  const out: [number, number][] = []
  for (const [t, v] of s.points) {
    const w = other.kind === 'scalar' ? other.value : other.kind === 'series' ? other.series.points.get(t) : undefined
    if (w === undefined) continue
    out.push([t, swapped ? fn(w, v) : fn(v, w)])
  }
  return seriesOf(s.id, s.label, out)
}
