// jq's builtin functions: the ones written in TypeScript (registered into the evaluator's table)
// and the ones jq itself defines in jq, written here as a jq prelude (our own definitions). Dates,
// math and the streaming/I-O builtins are in their own files, registered on import.
import { natives, run, values, iterate, type Closure, type Native } from './evaluator.ts'
import { DATE_PRELUDE } from './dates.ts'
import './math.ts'
import './streaming.ts'
import { captureObject, matches, splitRe, substitute } from './regex.ts'
import { asPath, delpaths, getpath, paths, setpath } from './paths.ts'
import { arith, built, codepoints, compare, fail, indices, isObj, shown, split, step, truthy, typeName, JqError, type Json, type Obj } from './values.ts'

/** A builtin of plain values: called once per combination of its arguments' outputs. */
function fn(name: string, arity: number, f: (input: Json, ...args: Json[]) => Json): void {
  natives.set(`${name}/${arity}`, function* (input: Json, args: Closure[]) {
    for (const vs of values(args, input)) {
      const out = f(input, ...vs)
      // A new value (not the input or an argument handed back) costs its size (values.ts built).
      yield out === input || vs.includes(out) ? out : built(out)
    }
  })
}
const gen = (name: string, arity: number, f: Native) => natives.set(`${name}/${arity}`, f)

const str = (v: Json, what: string): string => typeof v === 'string' ? v : fail(`${shown(v)} ${what}`)
const arr = (v: Json, what: string): Json[] => Array.isArray(v) ? v : fail(`${shown(v)} ${what}`)
const num = (v: Json): number => typeof v === 'number' ? v : fail(`${shown(v)} number required`)
const sorted = (xs: Json[]) => [...xs].sort(compare)

gen('empty', 0, function* () { /* no output */ })
fn('error', 0, (v) => { throw new JqError(typeof v === 'string' ? v : `${JSON.stringify(v)} (not a string)`, v) })
fn('error', 1, (_, m) => { throw new JqError(typeof m === 'string' ? m : `${JSON.stringify(m)} (not a string)`, m) })
fn('not', 0, (v) => !truthy(v))
fn('type', 0, (v) => typeName(v))
fn('length', 0, (v) => {
  if (v === null) return 0
  if (typeof v === 'boolean') return fail(`${shown(v)} has no length`)
  if (typeof v === 'number') return Math.abs(v)
  if (typeof v === 'string') return codepoints(v).length
  return Array.isArray(v) ? v.length : Object.keys(v).length
})
fn('utf8bytelength', 0, (v) => Buffer.byteLength(str(v, 'only strings have UTF-8 byte length'), 'utf8'))
fn('keys', 0, (v) => Array.isArray(v) ? v.map((_, i) => i) : isObj(v) ? Object.keys(v).sort() : fail(`${shown(v)} has no keys`))
fn('keys_unsorted', 0, (v) => Array.isArray(v) ? v.map((_, i) => i) : isObj(v) ? Object.keys(v) : fail(`${shown(v)} has no keys`))
fn('has', 1, (v, k) => {
  if (isObj(v) && typeof k === 'string') return Object.hasOwn(v, k)
  if (Array.isArray(v) && typeof k === 'number') return k >= 0 && k < v.length
  return fail(`Cannot check whether ${typeName(v)} has a ${typeName(k)} key`)
})
fn('contains', 1, (a, b) => typeName(a) === typeName(b) ? contains(a, b) : fail(`${shown(a)} and ${shown(b)} cannot have their containment checked`))
fn('tostring', 0, (v) => typeof v === 'string' ? v : JSON.stringify(v))
fn('tojson', 0, (v) => JSON.stringify(v))
fn('fromjson', 0, (v) => parseJson(str(v, 'only strings can be parsed')))
fn('tonumber', 0, (v) => {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  return fail(`Cannot parse '${typeof v === 'string' ? v : JSON.stringify(v)}' as JSON`)
})
fn('ascii_downcase', 0, (v) => str(v, 'cannot be ascii_downcased').replace(/[A-Z]/g, (c) => c.toLowerCase()))
fn('ascii_upcase', 0, (v) => str(v, 'cannot be ascii_upcased').replace(/[a-z]/g, (c) => c.toUpperCase()))
fn('ascii', 0, (v) => String.fromCodePoint(num(v)))
fn('explode', 0, (v) => codepoints(str(v, 'cannot be exploded')).map((c) => c.codePointAt(0)!))
fn('implode', 0, (v) => Array.isArray(v) ? String.fromCodePoint(...v.map(num)) : fail('Implode input must be an array'))
fn('ltrimstr', 1, (v, p) => typeof v === 'string' && typeof p === 'string' && v.startsWith(p) ? v.slice(p.length) : v)
fn('rtrimstr', 1, (v, p) => typeof v === 'string' && typeof p === 'string' && v.endsWith(p) && p !== '' ? v.slice(0, v.length - p.length) : v)
fn('startswith', 1, (v, p) => typeof v === 'string' && typeof p === 'string' ? v.startsWith(p) : fail('startswith() requires string inputs'))
fn('endswith', 1, (v, p) => typeof v === 'string' && typeof p === 'string' ? v.endsWith(p) : fail('endswith() requires string inputs'))
fn('split', 1, (v, s) => typeof v === 'string' && typeof s === 'string' ? split(v, s) : fail('split input and separator must be strings'))
fn('join', 1, (v, sep) => {
  const parts = iterate(v).map((x) => x === null ? '' : typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? JSON.stringify(x) : fail(`Cannot join with ${typeName(x)}`))
  return parts.length === 0 ? '' : parts.reduce((acc, p) => arith('+', arith('+', acc, sep), p) as string)
})
fn('test', 1, (v, re) => matches(v, re, null).length > 0)
fn('test', 2, (v, re, flags) => matches(v, re, flags).length > 0)
gen('match', 1, function* (v, args) { for (const [re] of values(args, v)) yield* matches(v, re!, null) })
gen('match', 2, function* (v, args) { for (const [re, flags] of values(args, v)) yield* matches(v, re!, flags!) })
fn('split', 2, (v, re, flags) => splitRe(v, re, flags))
const replacing = (f: Closure) => (captures: Obj): string => {
  for (const x of run(f.node, captures, f.env)) return typeof x === 'string' ? x : fail(`${shown(x)} cannot be added to a string`)
  return ''
}
gen('sub', 2, function* (v, [re, f]) { for (const r of run(re!.node, v, re!.env)) yield substitute(v, r, null, replacing(f!)) })
gen('sub', 3, function* (v, [re, f, fl]) { for (const flags of run(fl!.node, v, fl!.env)) for (const r of run(re!.node, v, re!.env)) yield substitute(v, r, flags, replacing(f!)) })
gen('gsub', 2, function* (v, [re, f]) { for (const r of run(re!.node, v, re!.env)) yield substitute(v, r, 'g', replacing(f!)) })
gen('gsub', 3, function* (v, [re, f, fl]) { for (const flags of run(fl!.node, v, fl!.env)) for (const r of run(re!.node, v, re!.env)) yield substitute(v, r, `g${typeof flags === 'string' ? flags : ''}`, replacing(f!)) })
fn('_capture_object', 0, (m) => captureObject(m as Obj))
fn('sort', 0, (v) => sorted(arr(v, 'cannot be sorted, as it is not an array')))
fn('unique', 0, (v) => sorted(arr(v, 'cannot be sorted, as it is not an array')).filter((x, i, xs) => i === 0 || compare(xs[i - 1]!, x) !== 0))
fn('min', 0, (v) => arr(v, 'cannot be sorted, as it is not an array').reduce<Json>((m, x, i) => i === 0 || compare(x, m) < 0 ? x : m, null))
fn('max', 0, (v) => arr(v, 'cannot be sorted, as it is not an array').reduce<Json>((m, x, i) => i === 0 || compare(x, m) >= 0 ? x : m, null))
fn('reverse', 0, (v) => v === null ? [] : Array.isArray(v) ? [...v].reverse() : fail(`Cannot index ${typeName(v)} with number`))
fn('flatten', 0, (v) => flatten(arr(v, 'cannot be flattened'), Infinity))
fn('flatten', 1, (v, d) => num(d) < 0 ? fail('flatten depth must not be negative') : flatten(arr(v, 'cannot be flattened'), d as number))
fn('from_entries', 0, (v) => {
  const out: Obj = {}
  for (const e of iterate(v)) {
    const o: Obj = isObj(e) ? e : fail(`Cannot index ${typeName(e)} with "key"`)
    const k = [o.key, o.k, o.name, o.Name, o.K, o.Key].find((x) => x !== undefined && truthy(x)) ?? null
    out[typeof k === 'string' ? k : k === null ? fail(`Cannot use null (null) as object key`) : JSON.stringify(k)] = Object.hasOwn(o, 'value') ? o.value! : o.v ?? null
  }
  return out
})
// jq prints infinite as the largest double, and so does Nimbus: that value counts as infinite.
fn('infinite', 0, () => Number.MAX_VALUE)
fn('nan', 0, () => NaN)
fn('isnan', 0, (v) => Number.isNaN(num(v)))
fn('isinfinite', 0, (v) => !Number.isNaN(num(v)) && (!Number.isFinite(v as number) || Math.abs(v as number) === Number.MAX_VALUE))
fn('isnormal', 0, (v) => Number.isFinite(num(v)) && Math.abs(v as number) >= 2.2250738585072014e-308 && Math.abs(v as number) !== Number.MAX_VALUE)
fn('indices', 1, (v, i) => indices(v, i))

// Path builtins (paths.ts).
gen('path', 1, function* (v, [f]) { for (const [p] of paths(f!.node, [[], v], f!.env)) yield p })
gen('getpath', 1, function* (v, [q]) { for (const x of run(q!.node, v, q!.env)) yield getpath(v, x) })
gen('setpath', 2, function* (v, [q, x]) {
  for (const val of run(x!.node, v, x!.env)) for (const p of run(q!.node, v, q!.env)) yield setpath(v, asPath(p), val)
})
gen('delpaths', 1, function* (v, [q]) { for (const ps of run(q!.node, v, q!.env)) yield delpaths(v, ps) })
gen('del', 1, function* (v, [f]) { yield delpaths(v, [...paths(f!.node, [[], v], f!.env)].map(([p]) => p)) })

/** Builtins taking filters (not values) as arguments. */
const sortKeys = (v: Json, f: Closure, what: string) => arr(v, what).map((x) => ({ x, k: [...run(f.node, x, f.env)] as Json }))
gen('sort_by', 1, function* (v, [f]) { yield sortKeys(v, f!, 'cannot be sorted, as it is not an array').sort((a, b) => compare(a.k, b.k)).map((e) => e.x) })
gen('group_by', 1, function* (v, [f]) {
  const groups: Array<{ k: Json; xs: Json[] }> = []
  for (const e of sortKeys(v, f!, 'cannot be grouped, as it is not an array').sort((a, b) => compare(a.k, b.k))) {
    const last = groups.at(-1)
    if (last !== undefined && compare(last.k, e.k) === 0) last.xs.push(e.x)
    else groups.push({ k: e.k, xs: [e.x] })
  }
  yield groups.map((g) => g.xs)
})
gen('unique_by', 1, function* (v, [f]) {
  const seen: Array<{ x: Json; k: Json }> = []
  for (const e of sortKeys(v, f!, 'cannot be grouped, as it is not an array').sort((a, b) => compare(a.k, b.k))) if (seen.length === 0 || compare(seen.at(-1)!.k, e.k) !== 0) seen.push(e)
  yield seen.map((e) => e.x)
})
gen('min_by', 1, function* (v, [f]) { yield sortKeys(v, f!, 'cannot be sorted, as it is not an array').reduce<{ x: Json; k: Json } | null>((m, e) => m === null || compare(e.k, m.k) < 0 ? e : m, null)?.x ?? null })
gen('max_by', 1, function* (v, [f]) { yield sortKeys(v, f!, 'cannot be sorted, as it is not an array').reduce<{ x: Json; k: Json } | null>((m, e) => m === null || compare(e.k, m.k) >= 0 ? e : m, null)?.x ?? null })
gen('limit', 2, function* (v, [n, f]) {
  for (const max of run(n!.node, v, n!.env)) {
    if (num(max) === 0) continue
    if ((max as number) < 0) { yield* run(f!.node, v, f!.env); continue } // jq 1.6: a negative limit is no limit
    let count = 0
    for (const x of run(f!.node, v, f!.env)) { yield x; if (++count >= (max as number)) break }
  }
})
gen('first', 1, function* (v, [f]) { for (const x of run(f!.node, v, f!.env)) { yield x; return } })
gen('range', 2, function* (v, args) {
  for (const [from, upto] of values(args, v)) for (let i = num(from!); i < num(upto!); i++) { step(); yield i }
})
gen('range', 3, function* (v, args) {
  for (const [from, upto, increment] of values(args, v)) {
    const by = num(increment!)
    if (by > 0) for (let i = num(from!); i < num(upto!); i += by) { step(); yield i }
    else if (by < 0) for (let i = num(from!); i > num(upto!); i += by) { step(); yield i }
  }
})

function contains(a: Json, b: Json): boolean {
  if (isObj(a) && isObj(b)) return Object.entries(b).every(([k, v]) => Object.hasOwn(a, k) && contains(a[k]!, v))
  // Each element of b against those of a: steps, 16 a step (a reversed 100,000-element array made 5·10⁹).
  if (Array.isArray(a) && Array.isArray(b)) return b.every((y) => { const at = a.findIndex((x) => contains(x, y)); step(Math.ceil((at < 0 ? a.length : at + 1) / 16)); return at >= 0 })
  if (typeof a === 'string' && typeof b === 'string') return a.includes(b)
  // Values of different types inside arrays/objects are simply not contained (jq checks types only at the top).
  return compare(a, b) === 0
}

function flatten(xs: Json[], depth: number): Json[] {
  return xs.flatMap((x) => Array.isArray(x) && depth > 0 ? flatten(x, depth - 1) : [x])
}

function parseJson(s: string): Json {
  try {
    return JSON.parse(s) as Json
  } catch {
    return fail(`${s} (while parsing '${s}')`)
  }
}

/** jq's own jq-defined builtins, as our definitions (parsed once, in scope of every query). */
export const PRELUDE = `
def map(f): [.[] | f];
def map_values(f): .[] |= f;
def select(f): if f then . else empty end;
def recurse(f): def r: ., (f | r); r;
def recurse(f; cond): def r: ., (f | select(cond) | r); r;
def recurse: recurse(.[]?);
def to_entries: [keys_unsorted[] as $k | {key: $k, value: .[$k]}];
def with_entries(f): to_entries | map(f) | from_entries;
def add: reduce .[] as $x (null; . + $x);
def any: any(.[]; .);
def all: all(.[]; .);
def any(f): any(.[]; f);
def all(f): all(.[]; f);
def IN(s): any(s == .; .);
def IN(src; s): any(src == s; .);
def INDEX(stream; f): reduce stream as $row ({}; . + {($row | f | tostring): $row});
def INDEX(f): INDEX(.[]; f);
def index($i): indices($i) | if . == null then null else .[0] end;
def rindex($i): indices($i) | if . == null then null else .[-1] end;
def repeat(f): def r: ., (f | r); r;
def recurse_down: recurse;
def combinations: if length == 0 then [] else .[0][] as $x | (.[1:] | combinations) as $rest | [$x] + $rest end;
def combinations(n): . as $in | [range(n)] | map($in) | combinations;
def transpose: if . == [] then [] else (map(length) | max) as $n | [range(0; $n) as $j | [.[][$j]]] end;
def env: $ENV;
def finites: select(isinfinite or isnan | not);
def normals: select(isnormal);

def in(xs): . as $x | xs | has($x);
def inside(xs): . as $x | xs | contains($x);
def first: .[0];
def last: .[-1];
def nth($n): .[$n];
def last(f): reduce f as $x (null; $x);
def nth($n; f): if $n < 0 then error("Out of bounds negative array index") else last(limit($n + 1; f)) end;
def isempty(g): first((g | false), true);
def range($n): range(0; $n);
def values: select(. != null);
def nulls: select(. == null);
def booleans: select(type == "boolean");
def numbers: select(type == "number");
def strings: select(type == "string");
def arrays: select(type == "array");
def objects: select(type == "object");
def iterables: select(type | . == "array" or . == "object");
def scalars: select(type | . != "array" and . != "object");
def while(cond; update): def w: if cond then ., (update | w) else empty end; w;
def until(cond; update): def u: if cond then . else (update | u) end; u;
def paths: path(..) | select(length > 0);
def paths(node_filter): . as $in | paths | select(. as $p | $in | getpath($p) | node_filter);
def leaf_paths: paths(scalars);
def capture(re): match(re) | _capture_object;
def capture(re; flags): match(re; flags) | _capture_object;
def scan(re): match(re; "g") | if (.captures | length) > 0 then [.captures[].string] else .string end;
def splits($re): split($re; null) | .[];
def splits($re; flags): split($re; flags) | .[];
def walk(f): def w: if type == "object" then map_values(w) elif type == "array" then map(w) else . end | f; w;
${DATE_PRELUDE}
.`

