// A JQ engine for Firehose's MetadataExtraction processor (JsonParsingEngine JQ-1.6): jq 1.6's core
// language — generators, slices, comparisons, arithmetic on every type, `if`, `reduce`/`foreach`,
// variables, `def`, `try`, `@formats` and the common builtins (see jq/builtins.ts and the README).
// Lexer, parser, evaluator and builtins live in ./jq/; this file compiles a query and checks that
// every function and variable it names exists, so a bad query is refused at CreateDeliveryStream.
import { natives, run, type Env } from './jq/evaluator.ts'
import { PRELUDE } from './jq/builtins.ts'
import { parse, type Node } from './jq/parser.ts'
import { JqError, type Json } from './jq/values.ts'

export { JqError, type Json }

/** The prelude's functions, defined once: every query runs in their scope. */
const preludeEnv: Env = (() => {
  const funcs = new Map<string, never>() as Map<string, unknown>
  const env = { vars: new Map<string, Json>(), funcs } as unknown as Env
  let n: Node = parse(PRELUDE)
  while (n.t === 'def') {
    funcs.set(`${n.name}/${n.params.length}`, { params: n.params, body: n.body, env })
    n = n.rest
  }
  return env
})()

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
    case 'as': sub(n.source); sub(n.body, funcs, new Set(vars).add(n.name)); return
    case 'reduce': case 'foreach': {
      const inner = new Set(vars).add(n.name)
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

/** A compiled query giving all its outputs, in order (throws JqError on a syntax error or an undefined name). */
export function compileJqAll(query: string): (input: Json) => Json[] {
  const tree = parse(query)
  check(tree, new Set(), new Set())
  return (input) => [...run(tree, input, preludeEnv)]
}

/**
 * A compiled query for Firehose: the one value it outputs. MetadataExtraction takes the object the
 * query builds, so a query with no output or several is a failed extraction (a JqError) [R].
 */
export function compileJq(query: string): (input: Json) => Json {
  const all = compileJqAll(query)
  return (input) => {
    const out = all(input)
    if (out.length !== 1) throw new JqError(`the query produced ${out.length} outputs; exactly one is needed`)
    return out[0]!
  }
}
