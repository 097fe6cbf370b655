// jq's path expressions: which places of the input an expression denotes (`path(f)`), and what is
// built on them — the assignment operators (`=`, `|=`, `+=`, …, `//=`), getpath/setpath/delpaths.
import type { Node } from './parser.ts'
import { bind, bindPattern, index, iterate, run, setAssign, type Env } from './evaluator.ts'
import { arith, built, compare, dump, fail, isObj, truthy, typeName, JqError, type Json, type Obj } from './values.ts'

type Place = [Json[], Json]

/** The (path, value) pairs an expression denotes, from `at` (jq's path tracking). */
export function* paths(n: Node, at: Place, env: Env): Generator<Place> {
  const [p, v] = at
  switch (n.t) {
    case 'identity': yield at; return
    case 'recurse': yield* recurse(at); return
    case 'index':
      for (const [op, ov] of paths(n.of, at, env)) for (const k of run(n.key, v, env)) yield [[...op, k], index(ov, k)]
      return
    case 'slice':
      for (const [op, ov] of paths(n.of, at, env)) {
        for (const to of n.to === null ? [null] : run(n.to, v, env)) {
          for (const from of n.from === null ? [null] : run(n.from, v, env)) {
            const key = { start: from, end: to }
            yield [[...op, key], index(ov, key)]
          }
        }
      }
      return
    case 'iterate':
      for (const [op, ov] of paths(n.of, at, env)) {
        if (ov === null) continue
        const keys: Json[] = Array.isArray(ov) ? ov.map((_, i) => i) : isObj(ov) ? Object.keys(ov) : iterate(ov)
        for (const k of keys) yield [[...op, k], index(ov, k)]
      }
      return
    case 'pipe': for (const x of paths(n.l, at, env)) yield* paths(n.r, x, env); return
    case 'comma': yield* paths(n.l, at, env); yield* paths(n.r, at, env); return
    case 'try':
      try {
        for (const x of paths(n.body, at, env)) yield x
      } catch (e) {
        if (!(e instanceof JqError)) throw e
      }
      return
    case 'alt': {
      let any = false
      try {
        for (const x of paths(n.l, at, env)) if (truthy(x[1])) { any = true; yield x }
      } catch (e) {
        if (!(e instanceof JqError)) throw e
      }
      if (!any) yield* paths(n.r, at, env)
      return
    }
    case 'if':
      for (const c of run(n.cond, v, env)) {
        if (truthy(c)) yield* paths(n.then, at, env)
        else if (n.else !== null) yield* paths(n.else, at, env)
        else yield at
      }
      return
    // A path through `… as $x | …` (or a pattern: its first alternative) is the body's.
    case 'as':
      for (const x of run(n.source, v, env)) for (const scope of bindPattern(n.patterns[0]!, x, v, env)) yield* paths(n.body, at, scope)
      return
    case 'def': {
      const funcs = new Map(env.funcs)
      const scope: Env = { vars: env.vars, funcs }
      funcs.set(`${n.name}/${n.params.length}`, { params: n.params, body: n.body, env: scope })
      yield* paths(n.rest, at, scope)
      return
    }
    case 'call': {
      const f = env.funcs.get(`${n.name}/${n.args.length}`)
      if (f !== undefined && 'node' in f) { yield* paths(f.node, at, f.env); return }
      if (f !== undefined) {
        for (const scope of bind(f, n.args.map((node) => ({ node, env })), v)) yield* paths(f.body, at, scope)
        return
      }
      if (n.name === 'empty') return
      if (n.name === 'getpath' && n.args.length === 1) {
        for (const q of run(n.args[0]!, v, env)) yield [[...p, ...asPath(q)], getpath(v, q)]
        return
      }
      if ((n.name === 'first' || n.name === 'last') && n.args.length === 1) {
        let last: Place | undefined
        for (const x of paths(n.args[0]!, at, env)) { if (n.name === 'first') { yield x; return } last = x }
        if (last !== undefined) yield last
        return
      }
      if (n.name === 'error') { yield* run(n, v, env) as Generator<never>; return }
    }
  }
  // Anything else computes a value that is not a place in the input.
  for (const x of run(n, v, env)) fail(`Invalid path expression with result ${dump(x)}`)
}

function* recurse(at: Place): Generator<Place> {
  yield at
  const [p, v] = at
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* recurse([[...p, i], v[i]!])
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) yield* recurse([[...p, k], x])
}

export const asPath = (q: Json): Json[] => Array.isArray(q) ? q : fail('Path must be specified as an array')

export function getpath(v: Json, q: Json): Json {
  let cur = v
  for (const k of asPath(q)) {
    if (cur === null) return null
    cur = index(cur, k)
  }
  return cur
}

export function setpath(v: Json, q: Json[], x: Json, from = 0): Json {
  if (from === q.length) return x
  const k = q[from]!
  if (typeof k === 'string') {
    if (v !== null && !isObj(v)) fail(`Cannot index ${typeName(v)} with "${k}"`)
    const o = v ?? {}
    return built({ ...o, [k]: setpath(o[k] ?? null, q, x, from + 1) }) as Obj
  }
  if (typeof k === 'number') {
    if (v !== null && !Array.isArray(v)) fail(`Cannot index ${typeName(v)} with number`)
    const a = built([...(v ?? [])]) as Json[]
    const i = Math.floor(k) < 0 ? a.length + Math.floor(k) : Math.floor(k)
    if (i < 0) fail('Out of bounds negative array index')
    while (a.length < i) a.push(null)
    a[i] = setpath(a[i] ?? null, q, x, from + 1)
    return a
  }
  if (isObj(k) && (v === null || Array.isArray(v))) {
    const a = v ?? []
    const slice = index(a, k) as Json[]
    const start = Math.max(0, Math.min(a.length, typeof k.start === 'number' ? (k.start < 0 ? a.length + k.start : Math.floor(k.start)) : 0))
    const repl = setpath(slice, q, x, from + 1)
    if (!Array.isArray(repl)) fail('A slice of an array can only be assigned another array')
    return built([...a.slice(0, start), ...repl, ...a.slice(start + slice.length)])
  }
  return fail(`Cannot update field at object index of ${typeName(v)}`)
}

function delpath(v: Json, q: Json[]): Json {
  if (q.length === 0 || v === null) return null
  const k = q[0]!
  const rest = q.slice(1)
  if (rest.length > 0) {
    const child = index(v, k)
    return child === null ? v : setpath(v, [k], delpath(child, rest))
  }
  if (typeof k === 'string' && isObj(v)) { const o = built({ ...v }) as Obj; delete o[k]; return o }
  if (typeof k === 'number' && Array.isArray(v)) {
    const i = Math.floor(k) < 0 ? v.length + Math.floor(k) : Math.floor(k)
    return built(v.filter((_, j) => j !== i))
  }
  if (isObj(k) && Array.isArray(v)) return setpath(v, [k], [])
  return fail(`Cannot delete field at index of ${typeName(v)}`)
}

export function delpaths(v: Json, ps: Json): Json {
  // Longest/last paths first, so deleting one does not shift the others.
  const sorted = [...(Array.isArray(ps) ? ps : fail('Paths must be specified as an array'))].sort((a, b) => compare(b, a))
  return sorted.reduce<Json>((acc, q) => delpath(acc, asPath(q)), v)
}

/**
 * `setpath` for an assignment's places in turn. Once a place has been set the top container is the
 * assignment's own copy (`fresh`), never seen outside it yet, so a further top-level place is written
 * into it rather than copied again: `.[] |= f` (map_values) over n elements copied the array n times.
 */
function place(out: Json, fresh: boolean, p: Json[], value: Json): Json {
  const k = p.length === 1 ? p[0]! : undefined
  if (fresh && typeof k === 'string' && isObj(out)) { out[k] = value; return out }
  if (fresh && typeof k === 'number' && Array.isArray(out) && Number.isInteger(k) && k >= 0 && k < out.length) { out[k] = value; return out }
  return setpath(out, p, value)
}

/** `l = r`, `l |= f`, `l op= r`, `l //= r` over the places `l` denotes. */
function* assign(op: string, l: Node, r: Node, input: Json, env: Env): Generator<Json> {
  const places = () => [...paths(l, [[], input], env)].map(([p]) => p)
  if (op === '|=') {
    let out = input
    let fresh = false
    for (const p of places()) {
      let next: Json = null
      for (const x of run(r, getpath(out, p), env)) { next = x; break }
      out = place(out, fresh, p, next)
      fresh = p.length > 0
    }
    yield out
    return
  }
  for (const x of run(r, input, env)) {
    let out = input
    let fresh = false
    for (const p of places()) {
      const old = getpath(out, p)
      out = place(out, fresh, p, op === '=' ? x : op === '//=' ? (truthy(old) ? old : x) : arith(op.slice(0, -1), old, x))
      fresh = p.length > 0
    }
    yield out
  }
}

setAssign(assign)
