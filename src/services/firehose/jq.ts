// A JQ engine for Firehose's MetadataExtraction processor (JsonParsingEngine JQ-1.6): jq 1.6's core
// language — generators, slices, comparisons, arithmetic on every type, `if`, `reduce`/`foreach`,
// variables and destructuring, `def`, `try`, `label`, `@formats` and jq 1.6's builtins (see
// jq/builtins.ts, jq/dates.ts, jq/math.ts, jq/streams.ts and the README).
// Lexer, parser, evaluator and builtins live in ./jq/; this file compiles a query and checks that
// every function and variable it names exists, so a bad query is refused at CreateDeliveryStream.
import { natives, run, type Env } from './jq/evaluator.ts'
import { PRELUDE } from './jq/builtins.ts'
import { regexBudget } from '../../core/bounded-regex.ts'
import { jqClock } from './jq/dates.ts'
import { parse, type Node } from './jq/parser.ts'
import { patternVars, type Pattern } from './jq/patterns.ts'
import { Halt } from './jq/streaming.ts'
import { budget, JqError, type Json } from './jq/values.ts'

export { JqError, type Json }

/** The prelude's functions, defined once: every query runs in their scope. */
const preludeEnv: Env = (() => {
  const funcs = new Map<string, never>() as Map<string, unknown>
  // $ENV is jq's process environment; Firehose's is not the caller's business, nor is Nimbus's: empty.
  const env = { vars: new Map<string, Json>([['ENV', {}]]), funcs } as unknown as Env
  let n: Node = parse(PRELUDE)
  while (n.t === 'def') {
    funcs.set(`${n.name}/${n.params.length}`, { params: n.params, body: n.body, env })
    n = n.rest
  }
  return env
})()

/** `builtins`: every function a query can call, as "name/arity" (jq lists its own; `_` helpers left out). */
natives.set('builtins/0', function* () {
  yield [...new Set([...natives.keys(), ...preludeEnv.funcs.keys()])].filter((k) => !k.startsWith('_'))
})

function checkPattern(p: Pattern, funcs: ReadonlySet<string>, vars: ReadonlySet<string>): void {
  if (p.p === 'array') p.items.forEach((x) => checkPattern(x, funcs, vars))
  if (p.p !== 'object') return
  const inner = new Set([...vars, ...patternVars(p)])
  for (const e of p.entries) {
    check(e.key, funcs, inner)
    if (e.value !== undefined) checkPattern(e.value, funcs, vars)
  }
}

/** Every call and `$variable` in a query must be defined where it is used (jq checks at compile time). */
function check(n: Node, funcs: ReadonlySet<string>, vars: ReadonlySet<string>): void {
  const sub = (x: Node | null, f = funcs, v = vars) => { if (x !== null) check(x, f, v) }
  switch (n.t) {
    case 'var': if (!vars.has(n.name)) throw new JqError(`$${n.name} is not defined`); return
    case 'call': {
      const key = `${n.name}/${n.args.length}`
      if (!funcs.has(key) && !preludeEnv.funcs.has(key) && !natives.has(key)) throw new JqError(`${key} is not defined`)
      n.args.forEach((a) => sub(a))
      return
    }
    case 'def': {
      const inner = new Set(funcs).add(`${n.name}/${n.params.length}`)
      const bodyFuncs = new Set(inner)
      const bodyVars = new Set(vars)
      for (const p of n.params) {
        if (p.startsWith('$')) { bodyVars.add(p.slice(1)); bodyFuncs.add(`${p.slice(1)}/0`) } else bodyFuncs.add(`${p}/0`)
      }
      sub(n.body, bodyFuncs, bodyVars)
      sub(n.rest, inner)
      return
    }
    case 'as': {
      sub(n.source)
      n.patterns.forEach((p) => checkPattern(p, funcs, vars))
      sub(n.body, funcs, new Set([...vars, ...n.patterns.flatMap(patternVars)]))
      return
    }
    case 'label': sub(n.body, funcs, new Set(vars).add(`*label-${n.name}`)); return
    case 'break': if (!vars.has(`*label-${n.name}`)) throw new JqError(`$*label-${n.name} is not defined`); return
    case 'reduce': case 'foreach': {
      checkPattern(n.pattern, funcs, vars)
      const inner = new Set([...vars, ...patternVars(n.pattern)])
      sub(n.source); sub(n.init); sub(n.update, funcs, inner)
      if (n.t === 'foreach') sub(n.extract, funcs, inner)
      return
    }
    case 'index': sub(n.of); sub(n.key); return
    case 'slice': sub(n.of); sub(n.from); sub(n.to); return
    case 'iterate': case 'neg': sub(n.of); return
    case 'try': sub(n.body); sub(n.handler); return
    case 'pipe': case 'comma': case 'alt': case 'and': case 'or': case 'binop': sub(n.l); sub(n.r); return
    case 'assign': sub(n.l); sub(n.r); return
    case 'array': sub(n.body); return
    case 'object': n.entries.forEach(([k, v]) => { sub(k); sub(v) }); return
    case 'interp': n.parts.forEach((p) => { if (typeof p !== 'string') sub(p) }); return
    case 'if': sub(n.cond); sub(n.then); sub(n.else); return
    default:
  }
}

/** When a query runs: `now` (epoch ms) is what jq's `now` answers — Firehose passes the record's arrival on its clock. */
export interface JqRun {
  now?: number
  /** The run's step budget (jq/evaluator.ts), else `defaultMaxSteps`. */
  maxSteps?: number
}

export const defaultMaxSteps = 1_000_000

/** A compiled query giving all its outputs, in order (throws JqError on a syntax error or an undefined name). */
export function compileJqAll(query: string): (input: Json, at?: JqRun) => Json[] {
  const tree = parse(query)
  check(tree, new Set(), new Set(['ENV']))
  return (input, at) => {
    // Queries run synchronously, start to end: the time source is set for this run only.
    const before = jqClock.now
    if (at?.now !== undefined) jqClock.now = () => at.now!
    budget.steps = 0 // each run has the whole budget (jq/evaluator.ts)
    budget.max = at?.maxSteps ?? defaultMaxSteps
    // The regex bound is the run's, not each match's: the main thread waits for every match (jq/regex.ts).
    budget.regexMsLeft = regexBudget()
    const out: Json[] = []
    try {
      for (const x of run(tree, input, preludeEnv)) out.push(x)
    } catch (e) {
      if (!(e instanceof Halt)) throw e // `halt` ends the program with what it gave so far
    } finally {
      jqClock.now = before
    }
    return out
  }
}

/**
 * A compiled query for Firehose: the one value it outputs. MetadataExtraction takes the object the
 * query builds, so a query with no output or several is a failed extraction (a JqError) [R].
 */
export function compileJq(query: string): (input: Json, at?: JqRun) => Json {
  const all = compileJqAll(query)
  return (input, at) => {
    const out = all(input, at)
    if (out.length !== 1) throw new JqError(`the query produced ${out.length} outputs; exactly one is needed`)
    return out[0]!
  }
}
