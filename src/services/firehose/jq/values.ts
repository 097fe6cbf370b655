// JSON values as jq sees them: type names, jq 1.6's total order of values, its arithmetic on
// numbers/strings/arrays/objects, and error texts worded as jq 1.6 words them.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
export type Obj = { [k: string]: Json }

/** A jq runtime or syntax error; `value` is what `error(v)` raised (what `try … catch` sees). */
export class JqError extends Error {
  readonly value: Json
  constructor(message: string, value?: Json) {
    super(message)
    this.value = value === undefined ? message : value
  }
}

/**
 * A query's work is bounded: Firehose runs it on every record inside Nimbus's one thread, so a query
 * that loops (`last(range(1e12))`, `reduce range(…)`) or builds huge strings must fail its record, not
 * stop the process. Every expression evaluated and every number a `range` yields is a step, and so
 * are 16 characters of a string repeated or split into codepoints; past `budget.max` in one run the
 * run ends with StepsExceeded (not a JqError: `try` and `?` don't catch it) [R: AWS documents no limit].
 */
export class StepsExceeded extends Error {}
export const budget = { max: Infinity, steps: 0, regexMsLeft: Infinity }
export function step(n = 1): void {
  budget.steps += n
  if (budget.steps > budget.max) throw new StepsExceeded(`the query took more than ${budget.max.toLocaleString('en-US')} steps`)
}
/** The steps a string of `length` UTF-16 units costs to build or walk. */
const stringSteps = (length: number) => Math.ceil(length / 16)
/**
 * The steps building a value costs, charged where a value is copied or made whole (`+`, `-`, `*`,
 * `[…]`, interpolation, assignment, a builtin's new result): 16 characters or array elements a step,
 * an object key a step (V8 copies a large object's keys at about a step's cost, ~0.5 µs). Without it
 * `reduce range(30) as $i ([1]; . + .)` would take 30 steps and 8 GiB.
 */
export function built(v: Json): Json {
  if (typeof v === 'string' || Array.isArray(v)) step(stringSteps(v.length))
  else if (isObj(v)) step(Object.keys(v).length)
  return v
}

export function fail(message: string): never {
  throw new JqError(message)
}

export function typeName(v: Json): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v === 'object' ? 'object' : typeof v
}

export const isObj = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
export const truthy = (v: Json) => v !== null && v !== false

/** jq's value dump in messages: JSON, cut to 11 characters and "..." past 14 (jq's 15-byte buffer). */
export function dump(v: Json): string {
  const s = JSON.stringify(v)
  return s.length > 14 ? `${s.slice(0, 11)}...` : s
}

/** `type (value)` as jq's messages show a value. */
export const shown = (v: Json) => `${typeName(v)} (${dump(v)})`

const rank = (v: Json): number => v === null ? 0 : v === false ? 1 : v === true ? 2 : typeof v === 'number' ? 3 : typeof v === 'string' ? 4 : Array.isArray(v) ? 5 : 6

/** jq's order: null < false < true < numbers < strings < arrays < objects (keys first, then values). */
export function compare(a: Json, b: Json): number {
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  if (typeof a === 'number') return a < (b as number) ? -1 : a > (b as number) ? 1 : 0
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0
  if (Array.isArray(a)) {
    const bb = b as Json[]
    for (let i = 0; i < Math.min(a.length, bb.length); i++) {
      const c = compare(a[i]!, bb[i]!)
      if (c !== 0) return c
    }
    return a.length - bb.length
  }
  if (isObj(a)) {
    const bo = b as Obj
    const ka = Object.keys(a).sort()
    const kb = Object.keys(bo).sort()
    const c = compare(ka, kb)
    if (c !== 0) return c
    for (const k of ka) {
      const cv = compare(a[k]!, bo[k]!)
      if (cv !== 0) return cv
    }
  }
  return 0
}

function deepMerge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = isObj(v) && isObj(out[k] ?? null) ? deepMerge(out[k] as Obj, v) : v
  return out
}

/** `+ - * / %` with jq 1.6's meaning on each pair of types. */
export function arith(op: string, l: Json, r: Json): Json {
  const bad = (verb: string, why = '') => fail(`${shown(l)} and ${shown(r)} cannot be ${verb}${why}`)
  switch (op) {
    case '+':
      if (l === null) return r
      if (r === null) return l
      if (typeof l === 'number' && typeof r === 'number') return l + r
      if (typeof l === 'string' && typeof r === 'string') {
        // V8 joins two strings without copying them (a rope, flattened when next walked, which `length`,
        // regexes and the rest charge): the shorter side is the growth, so `join` and `. + $x` in a reduce
        // cost their parts, and doubling (`. + .`) still costs the final string once.
        step(stringSteps(Math.min(l.length, r.length)))
        return l + r
      }
      if (Array.isArray(l) && Array.isArray(r)) return built([...l, ...r])
      if (isObj(l) && isObj(r)) return built({ ...l, ...r })
      return bad('added')
    case '-':
      if (typeof l === 'number' && typeof r === 'number') return l - r
      if (Array.isArray(l) && Array.isArray(r)) {
        step(stringSteps(l.length * r.length)) // each element of l compared with those of r
        return l.filter((x) => !r.some((y) => compare(x, y) === 0))
      }
      return bad('subtracted')
    case '*': {
      if (typeof l === 'number' && typeof r === 'number') return l * r
      const str = typeof l === 'string' ? l : typeof r === 'string' ? r : undefined
      const num = typeof l === 'number' ? l : typeof r === 'number' ? r : undefined
      if (str !== undefined && num !== undefined) {
        // jq 1.6 appends the string trunc(n - 1) more times; below that, null.
        const more = Math.trunc(num - 1)
        if (more < 0) return null
        step(stringSteps(str.length * (more + 1)))
        return str.repeat(more + 1)
      }
      if (isObj(l) && isObj(r)) return built(deepMerge(l, r))
      return bad('multiplied')
    }
    case '/':
      if (typeof l === 'number' && typeof r === 'number') return r === 0 ? bad('divided', ' because the divisor is zero') : l / r
      if (typeof l === 'string' && typeof r === 'string') return split(l, r)
      return bad('divided')
    default: // '%': jq 1.6 truncates both to integers
      if (typeof l === 'number' && typeof r === 'number') {
        const d = Math.trunc(r)
        return d === 0 ? bad('divided', ' because the divisor is zero') : Math.trunc(l) % d
      }
      return bad('divided')
  }
}

export function split(s: string, sep: string): string[] {
  if (s === '') return []
  return s.split(sep)
}

/** A string's Unicode codepoints: jq's `length`, slices and `explode` count codepoints, not UTF-16 units. */
export const codepoints = (s: string): string[] => {
  step(stringSteps(s.length))
  return Array.from(s)
}

/** Where `i` occurs in a string (codepoint offsets, overlapping) or an array (an element, or a sub-array). */
export function indices(v: Json, i: Json): Json {
  if (v === null) return null
  if (typeof v === 'string' && typeof i === 'string') {
    if (i === '') return null
    const cps = codepoints(v)
    const needle = codepoints(i)
    return occurrences(cps.length, needle.length, (k, j) => cps[k + j] === needle[j])
  }
  if (!Array.isArray(v)) return fail(`Cannot determine the indices of ${shown(i)} in ${shown(v)}`)
  const needle = Array.isArray(i) ? i : [i]
  if (needle.length === 0) return null
  return occurrences(v.length, needle.length, (k, j) => compare(v[k + j]!, needle[j]!) === 0)
}

/**
 * Where a needle of `m` items occurs in a haystack of `n` (overlapping), comparing item by item. The
 * compares are steps, 16 a step: `("a" * 200000) | indices(("a" * 100000) + "b")` makes 10¹⁰ of them.
 */
function occurrences(n: number, m: number, same: (k: number, j: number) => boolean): number[] {
  const out: number[] = []
  let compares = 0
  for (let k = 0; k + m <= n; k++) {
    let j = 0
    while (j < m && same(k, j)) j++
    compares += j + 1
    if (compares >= 1024) { step(compares >> 4); compares &= 15 }
    if (j === m) out.push(k)
  }
  step(Math.ceil(compares / 16))
  return out
}
