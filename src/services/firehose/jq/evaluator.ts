// The JQ evaluator: every expression is a generator of outputs (jq's backtracking), with
// variables, closures for function parameters (`def f(g): …`), `reduce`/`foreach`, `try`/`?`,
// destructuring (patterns.ts) and `label`/`break`.
import type { Node } from './parser.ts'
import { alternatives, destructure, type Destructuring, type Pattern } from './patterns.ts'
import { arith, built, codepoints, compare, fail, indices, isObj, JqError, shown, step, truthy, typeName, type Json } from './values.ts'
import { format } from './formats.ts'

/** A function argument: the expression with the environment it was written in (jq's closures). */
export interface Closure { node: Node; env: Env }
export interface FuncDef { params: string[]; body: Node; env: Env | null }
export interface Env {
  vars: ReadonlyMap<string, Json>
  funcs: ReadonlyMap<string, FuncDef | Closure>
}
/** A builtin written in TypeScript: its input, its arguments as closures, and how to run them. */
export type Native = (input: Json, args: Closure[]) => Iterable<Json>

export const natives = new Map<string, Native>()

/** `break $name`: unwinds to its `label` (not a JqError, so `try` and `?` let it through, as in jq). */
class Break extends Error {
  readonly id: number
  constructor(id: number) {
    super('break')
    this.id = id
  }
}
let labels = 0
const labelVar = (name: string) => `*label-${name}`

/** Destructuring runs key expressions and indexes values with this evaluator. */
export function destructuring(env: Env): Destructuring {
  return { run: (n, input, vars) => run(n, input, { vars, funcs: env.funcs }), index }
}

export function* bindPattern(p: Pattern, value: Json, input: Json, env: Env): Generator<Env> {
  for (const vars of destructure(p, value, input, env.vars, destructuring(env))) yield { vars, funcs: env.funcs }
}

type Assign = (op: string, l: Node, r: Node, input: Json, env: Env) => Generator<Json>
let assign: Assign = () => fail('assignment is not loaded')
/** paths.ts installs the assignment operators (it builds on this evaluator, so it can't be imported here). */
export function setAssign(f: Assign): void {
  assign = f
}

export function* run(n: Node, input: Json, env: Env): Generator<Json> {
  step()
  switch (n.t) {
    case 'identity': yield input; return
    case 'recurse': yield* recurse(input); return
    case 'lit': yield n.v; return
    case 'var': {
      if (!env.vars.has(n.name)) fail(`$${n.name} is not defined`)
      yield env.vars.get(n.name)!
      return
    }
    case 'pipe': for (const x of run(n.l, input, env)) yield* run(n.r, x, env); return
    case 'comma': yield* run(n.l, input, env); yield* run(n.r, input, env); return
    case 'index':
      for (const of of run(n.of, input, env)) for (const k of run(n.key, input, env)) yield index(of, k)
      return
    case 'slice':
      for (const of of run(n.of, input, env)) {
        for (const to of n.to === null ? [null] : run(n.to, input, env)) {
          for (const from of n.from === null ? [null] : run(n.from, input, env)) yield slice(of, from, to)
        }
      }
      return
    case 'iterate': for (const of of run(n.of, input, env)) yield* iterate(of); return
    case 'try':
      try {
        for (const x of run(n.body, input, env)) yield x
      } catch (e) {
        if (!(e instanceof JqError)) throw e
        if (n.handler !== null) yield* run(n.handler, e.value, env)
      }
      return
    case 'alt': {
      let any = false
      try {
        for (const x of run(n.l, input, env)) if (truthy(x)) { any = true; yield x }
      } catch (e) {
        if (!(e instanceof JqError)) throw e
      }
      if (!any) yield* run(n.r, input, env)
      return
    }
    case 'and': case 'or':
      for (const l of run(n.l, input, env)) {
        if (n.t === 'and' ? !truthy(l) : truthy(l)) { yield n.t === 'or'; continue }
        for (const r of run(n.r, input, env)) yield truthy(r)
      }
      return
    case 'binop':
      for (const r of run(n.r, input, env)) for (const l of run(n.l, input, env)) yield binop(n.op, l, r)
      return
    case 'neg':
      for (const v of run(n.of, input, env)) yield typeof v === 'number' ? -v : fail(`${shown(v)} cannot be negated`)
      return
    case 'array': yield n.body === null ? [] : built([...run(n.body, input, env)]); return
    case 'object': yield* object(n.entries, 0, {}, input, env); return
    case 'interp': yield* interp(n.parts, 0, '', n.fmt, input, env); return
    case 'format': yield built(format(n.fmt, input)); return
    case 'if':
      for (const c of run(n.cond, input, env)) {
        if (truthy(c)) yield* run(n.then, input, env)
        else if (n.else !== null) yield* run(n.else, input, env)
        else yield input
      }
      return
    case 'as':
      for (const v of run(n.source, input, env)) {
        yield* alternatives(n.patterns, v, input, env.vars, destructuring(env), (vars) => run(n.body, input, { vars, funcs: env.funcs }))
      }
      return
    case 'label': {
      const id = ++labels
      try {
        yield* run(n.body, input, withVar(env, labelVar(n.name), id))
      } catch (e) {
        if (!(e instanceof Break) || e.id !== id) throw e
      }
      return
    }
    case 'break': {
      const id = env.vars.get(labelVar(n.name))
      if (typeof id !== 'number') fail(`$*label-${n.name} is not defined`)
      throw new Break(id)
    }
    case 'reduce':
      for (const init of run(n.init, input, env)) {
        let acc: Json = init
        for (const v of run(n.source, input, env)) {
          for (const scope of bindPattern(n.pattern, v, input, env)) {
            let last: Json = null
            for (const x of run(n.update, acc, scope)) last = x
            acc = last
          }
        }
        yield acc
      }
      return
    case 'foreach':
      for (const init of run(n.init, input, env)) {
        let acc: Json = init
        for (const v of run(n.source, input, env)) {
          for (const scope of bindPattern(n.pattern, v, input, env)) {
            for (const x of run(n.update, acc, scope)) {
              acc = x
              if (n.extract === null) yield x
              else yield* run(n.extract, x, scope)
            }
          }
        }
      }
      return
    case 'def': {
      const funcs = new Map(env.funcs)
      const def: FuncDef = { params: n.params, body: n.body, env: null }
      const scope: Env = { vars: env.vars, funcs }
      def.env = scope // recursive: the function sees itself
      funcs.set(`${n.name}/${n.params.length}`, def)
      yield* run(n.rest, input, scope)
      return
    }
    case 'call': yield* call(n.name, n.args, input, env); return
    case 'assign': yield* assign(n.op, n.l, n.r, input, env)
  }
}

function withVar(env: Env, name: string, v: Json): Env {
  return { vars: new Map(env.vars).set(name, v), funcs: env.funcs }
}

function* call(name: string, args: Node[], input: Json, env: Env): Generator<Json> {
  const key = `${name}/${args.length}`
  const f = env.funcs.get(key)
  if (f !== undefined) {
    if ('node' in f) { yield* run(f.node, input, f.env); return } // a closure parameter
    for (const scope of bind(f, args.map((node) => ({ node, env })), input)) yield* run(f.body, input, scope)
    return
  }
  const native = natives.get(key)
  if (native === undefined) fail(`${key} is not defined`)
  yield* native(input, args.map((node) => ({ node, env })))
}

/** A jq-defined function's scopes: closure parameters bound by name, `$x` parameters once per value. */
export function* bind(f: FuncDef, args: Closure[], input: Json, from = 0, scope?: Env): Generator<Env> {
  let env = scope ?? { vars: f.env!.vars, funcs: new Map(f.env!.funcs) }
  if (from === f.params.length) { yield env; return }
  const p = f.params[from]!
  const arg = args[from]!
  if (p.startsWith('$')) {
    for (const v of run(arg.node, input, arg.env)) {
      const funcs = new Map(env.funcs).set(`${p.slice(1)}/0`, { node: { t: 'lit', v }, env })
      yield* bind(f, args, input, from + 1, { vars: new Map(env.vars).set(p.slice(1), v), funcs })
    }
    return
  }
  env = { vars: env.vars, funcs: new Map(env.funcs).set(`${p}/0`, arg) }
  yield* bind(f, args, input, from + 1, env)
}

function binop(op: string, l: Json, r: Json): Json {
  switch (op) {
    case '==': return compare(l, r) === 0
    case '!=': return compare(l, r) !== 0
    case '<': return compare(l, r) < 0
    case '<=': return compare(l, r) <= 0
    case '>': return compare(l, r) > 0
    case '>=': return compare(l, r) >= 0
    default: return arith(op, l, r)
  }
}

export function index(v: Json, k: Json): Json {
  if (typeof k === 'string') {
    if (v === null) return null
    if (isObj(v)) return Object.hasOwn(v, k) ? v[k]! : null
    return fail(`Cannot index ${typeName(v)} with "${k}"`)
  }
  if (typeof k === 'number') {
    if (v === null) return null
    if (Array.isArray(v)) {
      const i = Math.floor(k) < 0 ? v.length + Math.floor(k) : Math.floor(k)
      return v[i] ?? null
    }
    return fail(`Cannot index ${typeName(v)} with number`)
  }
  if (isObj(k) && (Array.isArray(v) || v === null) && ('start' in k || 'end' in k)) return slice(v, k.start ?? null, k.end ?? null)
  // `.[[1, 2]]`: where the sub-array occurs (jq's indices).
  if (Array.isArray(v) && Array.isArray(k)) return indices(v, k)
  if (v === null && k === null) return null
  return fail(`Cannot index ${typeName(v)} with ${typeName(k)}`)
}

function slice(v: Json, from: Json, to: Json): Json {
  if (v === null) return null
  if ((from !== null && typeof from !== 'number') || (to !== null && typeof to !== 'number')) return fail('Start and end indices of an array slice must be numbers')
  if (typeof v !== 'string' && !Array.isArray(v)) return fail(`Cannot index ${typeName(v)} with object`)
  // Strings slice by codepoint, as jq does.
  const items = typeof v === 'string' ? codepoints(v) : v
  const len = items.length
  const at = (n: number) => Math.min(len, Math.max(0, n < 0 ? len + n : n))
  const start = at(from === null ? 0 : Math.floor(from))
  const end = Math.max(start, at(to === null ? len : Math.ceil(to)))
  return typeof v === 'string' ? items.slice(start, end).join('') : (items as Json[]).slice(start, end)
}

export function iterate(v: Json): Json[] {
  if (Array.isArray(v)) return v
  if (isObj(v)) return Object.values(v)
  return fail(`Cannot iterate over ${v === null ? 'null' : shown(v)}`)
}

function* recurse(v: Json): Generator<Json> {
  yield v
  if (Array.isArray(v) || isObj(v)) for (const child of iterate(v)) yield* recurse(child)
}

function* object(entries: Array<[Node, Node]>, i: number, acc: { [k: string]: Json }, input: Json, env: Env): Generator<Json> {
  if (i === entries.length) { yield { ...acc }; return }
  const [k, v] = entries[i]!
  for (const key of run(k, input, env)) {
    if (typeof key !== 'string') fail(`Object keys must be strings`)
    for (const value of run(v, input, env)) yield* object(entries, i + 1, { ...acc, [key]: value }, input, env)
  }
}

/** `longest`: the longest part so far. Joined as a rope, the rest is the growth (arith's `+` on strings). */
function* interp(parts: Array<string | Node>, i: number, acc: string, fmt: string, input: Json, env: Env, longest = 0): Generator<Json> {
  if (i === parts.length) { step(Math.ceil((acc.length - longest) / 16)); yield acc; return }
  const p = parts[i]!
  if (typeof p === 'string') { yield* interp(parts, i + 1, acc + p, fmt, input, env, Math.max(longest, p.length)); return }
  for (const v of run(p, input, env)) {
    const s = format(fmt, v)
    yield* interp(parts, i + 1, acc + s, fmt, input, env, Math.max(longest, s.length))
  }
}

/** Each combination of the arguments' values (jq's cartesian product for `$x` parameters). */
export function* values(args: Closure[], input: Json, from = 0, acc: Json[] = []): Generator<Json[]> {
  if (from === args.length) { yield acc; return }
  for (const v of run(args[from]!.node, input, args[from]!.env)) yield* values(args, input, from + 1, [...acc, v])
}
