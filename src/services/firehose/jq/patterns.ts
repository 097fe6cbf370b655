// jq's destructuring: `… as [$a, {b: $c, $d}] | …` (and in reduce/foreach), with the destructuring
// alternatives `P1 ?// P2 ?// … | body` — the next pattern is tried when binding or the body fails,
// and every variable of every alternative is bound (null where its pattern has none), as in jq 1.6.
import type { Tok } from './lexer.ts'
export type { Pattern } from './ast.ts'
import type { Node, Pattern } from './ast.ts'
import { JqError, type Json } from './values.ts'

/** What the pattern parser needs of the parser (parser.ts implements it). */
export interface PatternCursor {
  peek(v: string, at?: number): boolean
  eat(v: string): boolean
  expect(v: string): void
  current(): Tok | undefined
  skip(): void
  where(): string
  pipe(): Node
  stringNode(t: Tok & { k: 'str' }, fmt: string): Node
}

export function parsePattern(c: PatternCursor): Pattern {
  const t = c.current()
  if (t?.k === 'var') {
    c.skip()
    return { p: 'var', name: t.v }
  }
  if (c.eat('[')) {
    const items: Pattern[] = []
    do items.push(parsePattern(c))
    while (c.eat(','))
    c.expect(']')
    return { p: 'array', items }
  }
  if (c.eat('{')) {
    const entries: Array<{ key: Node; bind?: string; value?: Pattern }> = []
    do entries.push(objectEntry(c))
    while (c.eat(','))
    c.expect('}')
    return { p: 'object', entries }
  }
  throw new JqError(`syntax error: expected a $variable, [ or { in a destructuring pattern ${c.where()}`)
}

/** `$name`, `$name: pattern`, `key: pattern`, `"key": pattern`, `(expr): pattern`. */
function objectEntry(c: PatternCursor): { key: Node; bind?: string; value?: Pattern } {
  const t = c.current()
  if (t?.k === 'var') {
    c.skip()
    const key: Node = { t: 'lit', v: t.v }
    return c.eat(':') ? { key, bind: t.v, value: parsePattern(c) } : { key, bind: t.v }
  }
  let key: Node
  if (t?.k === 'id') {
    c.skip()
    key = { t: 'lit', v: t.v }
  } else if (t?.k === 'str') {
    c.skip()
    key = c.stringNode(t, 'text')
  } else if (c.eat('(')) {
    key = c.pipe()
    c.expect(')')
  } else throw new JqError(`syntax error: expected an object key in a destructuring pattern ${c.where()}`)
  c.expect(':')
  return { key, value: parsePattern(c) }
}

/** Every variable a pattern binds, in order. */
export function patternVars(p: Pattern): string[] {
  if (p.p === 'var') return [p.name]
  if (p.p === 'array') return p.items.flatMap(patternVars)
  return p.entries.flatMap((e) => [...(e.bind === undefined ? [] : [e.bind]), ...(e.value === undefined ? [] : patternVars(e.value))])
}

/** How the evaluator runs a key expression and indexes a value (passed in: this file can't import the evaluator). */
export interface Destructuring {
  run(n: Node, input: Json, vars: ReadonlyMap<string, Json>): Iterable<Json>
  index(v: Json, k: Json): Json
}

/** Each set of bindings the pattern gives `value` (several when an `(expr)` key has several outputs). */
export function* destructure(p: Pattern, value: Json, input: Json, vars: ReadonlyMap<string, Json>,
  d: Destructuring): Generator<ReadonlyMap<string, Json>> {
  if (p.p === 'var') {
    yield new Map(vars).set(p.name, value)
    return
  }
  if (p.p === 'array') {
    if (value !== null && !Array.isArray(value)) d.index(value, 0) // jq's error: Cannot index object with number
    yield* items(p.items, 0, value, input, vars, d)
    return
  }
  yield* entries(p.entries, 0, value, input, vars, d)
}

function* items(ps: Pattern[], i: number, value: Json, input: Json, vars: ReadonlyMap<string, Json>,
  d: Destructuring): Generator<ReadonlyMap<string, Json>> {
  if (i === ps.length) { yield vars; return }
  for (const scope of destructure(ps[i]!, d.index(value, i), input, vars, d)) yield* items(ps, i + 1, value, input, scope, d)
}

function* entries(es: Array<{ key: Node; bind?: string; value?: Pattern }>, i: number, value: Json, input: Json,
  vars: ReadonlyMap<string, Json>, d: Destructuring): Generator<ReadonlyMap<string, Json>> {
  if (i === es.length) { yield vars; return }
  const e = es[i]!
  // Keys are evaluated against the pattern's input, with the variables bound so far (jq allows `{$a, ($a): $b}`).
  for (const key of d.run(e.key, input, vars)) {
    if (typeof key !== 'string') throw new JqError(`Cannot index ${value === null ? 'null' : typeof value} with ${key === null ? 'null' : typeof key}`)
    const v = d.index(value, key)
    const bound = e.bind === undefined ? vars : new Map(vars).set(e.bind, v)
    if (e.value === undefined) { yield* entries(es, i + 1, value, input, bound, d); continue }
    for (const scope of destructure(e.value, v, input, bound, d)) yield* entries(es, i + 1, value, input, scope, d)
  }
}

/**
 * `value as P1 ?// P2 … | body`: every alternative's variables start null; an error while binding
 * or in the body moves on to the next alternative; the last one's error is the expression's.
 */
export function* alternatives(ps: Pattern[], value: Json, input: Json, vars: ReadonlyMap<string, Json>, d: Destructuring,
  body: (vars: ReadonlyMap<string, Json>) => Iterable<Json>): Generator<Json> {
  if (ps.length === 1) {
    for (const scope of destructure(ps[0]!, value, input, vars, d)) yield* body(scope)
    return
  }
  const all = new Map(vars)
  for (const name of ps.flatMap(patternVars)) all.set(name, null)
  for (let i = 0; i < ps.length; i++) {
    try {
      for (const scope of destructure(ps[i]!, value, input, all, d)) yield* body(scope)
      return
    } catch (e) {
      if (!(e instanceof JqError) || i === ps.length - 1) throw e
    }
  }
}
