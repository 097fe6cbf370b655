// JSONPath as `$input.path` / `$input.json` read it (Jayway's dialect): `$`, `.name`, `['name']`,
// `[0]`, `[-1]`, `[0:2]`, `[*]`, `.*`, `..name`, `[?(@.x == 1)]` and `.length()`. A definite path
// answers its value (null when absent); a wildcard, slice, deep scan or filter answers a list.
import { isNumber, numberOf, type Value, vtlEquals, VtlError } from './values.ts'

type Step =
  | { kind: 'child'; names: string[] }
  | { kind: 'index'; indexes: number[] }
  | { kind: 'slice'; from: number | undefined; to: number | undefined }
  | { kind: 'wildcard' }
  | { kind: 'deep'; name: string | undefined }
  | { kind: 'filter'; path: string[]; op: string | undefined; value: Value }
  | { kind: 'length' }

const cache = new Map<string, Step[]>()

export function jsonPath(root: Value, path: string): Value {
  const steps = parse(path)
  let nodes: Value[] = [root]
  let definite = true
  for (const step of steps) {
    if (step.kind === 'length') {
      nodes = nodes.map((n) => (Array.isArray(n) ? n.length : n instanceof Map ? n.size : typeof n === 'string' ? n.length : null))
      continue
    }
    if (!(step.kind === 'child' && step.names.length === 1) && !(step.kind === 'index' && step.indexes.length === 1)) definite = false
    nodes = nodes.flatMap((n) => apply(step, n))
  }
  return definite ? (nodes[0] ?? null) : nodes
}

function apply(step: Step, node: Value): Value[] {
  switch (step.kind) {
    case 'child':
      return node instanceof Map ? step.names.filter((n) => node.has(n)).map((n) => node.get(n)!) : []
    case 'index':
      if (!Array.isArray(node)) return []
      return step.indexes.map((i) => node[i < 0 ? node.length + i : i]).filter((v): v is Value => v !== undefined)
    case 'slice': {
      if (!Array.isArray(node)) return []
      const norm = (i: number | undefined, d: number) => (i === undefined ? d : i < 0 ? Math.max(0, node.length + i) : Math.min(i, node.length))
      return node.slice(norm(step.from, 0), norm(step.to, node.length))
    }
    case 'wildcard':
      return Array.isArray(node) ? node : node instanceof Map ? [...node.values()] : []
    case 'deep':
      return deepScan(node, step.name)
    case 'filter': {
      const items = Array.isArray(node) ? node : node instanceof Map ? [...node.values()] : []
      return items.filter((item) => test(item, step))
    }
    case 'length':
      return []
  }
}

function deepScan(node: Value, name: string | undefined): Value[] {
  const out: Value[] = []
  const visit = (n: Value) => {
    if (n instanceof Map) {
      for (const [k, v] of n) {
        if (name === undefined || k === name) out.push(v)
        visit(v)
      }
    } else if (Array.isArray(n)) {
      for (const v of n) {
        if (name === undefined) out.push(v)
        visit(v)
      }
    }
  }
  visit(node)
  return out
}

function test(item: Value, step: Extract<Step, { kind: 'filter' }>): boolean {
  let v: Value | undefined = item
  for (const name of step.path) v = v instanceof Map ? v.get(name) : undefined
  if (step.op === undefined) return v !== undefined && v !== null && v !== false
  if (v === undefined) return false
  switch (step.op) {
    case '==': return same(v, step.value)
    case '!=': return !same(v, step.value)
    default: {
      if (!isNumber(v) || !isNumber(step.value)) return false
      const a = numberOf(v)
      const b = numberOf(step.value)
      return step.op === '<' ? a < b : step.op === '<=' ? a <= b : step.op === '>' ? a > b : a >= b
    }
  }
}

/** Filter equality: numbers by value, else the same kind and value (a string never equals a number). */
function same(a: Value, b: Value): boolean {
  if (isNumber(a) && isNumber(b)) return numberOf(a) === numberOf(b)
  return typeof a === typeof b && vtlEquals(a, b)
}

function parse(path: string): Step[] {
  const cached = cache.get(path)
  if (cached !== undefined) return cached
  const steps = parseSteps(path.trim())
  if (cache.size > 1000) cache.clear()
  cache.set(path, steps)
  return steps
}

const name = /[^.[\]()\s]+/y

function parseSteps(path: string): Step[] {
  const fail = (): never => {
    throw new VtlError(`Invalid JSONPath: ${path}`)
  }
  // Jayway reads a path without the leading `$` as relative to the root.
  let p = path.startsWith('$') ? 1 : 0
  if (p === 0 && path !== '' && path[0] !== '.' && path[0] !== '[') path = `.${path}`
  const steps: Step[] = []
  const word = (): string => {
    name.lastIndex = p
    const m = name.exec(path) ?? fail()
    p += m[0].length
    return m[0]
  }
  while (p < path.length) {
    if (path.startsWith('..', p)) {
      p += 2
      if (path[p] === '*') {
        p++
        steps.push({ kind: 'deep', name: undefined })
      } else steps.push({ kind: 'deep', name: word() })
    } else if (path[p] === '.') {
      p++
      if (path[p] === '*') {
        p++
        steps.push({ kind: 'wildcard' })
      } else if (path.startsWith('length()', p)) {
        p += 8
        steps.push({ kind: 'length' })
      } else steps.push({ kind: 'child', names: [word()] })
    } else if (path[p] === '[') {
      const end = path.indexOf(']', p)
      if (end === -1) fail()
      steps.push(bracket(path.slice(p + 1, end).trim(), fail))
      p = end + 1
    } else fail()
  }
  return steps
}

function bracket(inner: string, fail: () => never): Step {
  if (inner === '*') return { kind: 'wildcard' }
  if (/^(['"]).*\1(\s*,\s*(['"]).*\3)*$/.test(inner)) {
    return { kind: 'child', names: [...inner.matchAll(/(['"])(.*?)\1/g)].map((m) => m[2]!) }
  }
  if (/^-?\d+(\s*,\s*-?\d+)*$/.test(inner)) return { kind: 'index', indexes: inner.split(',').map((s) => Number(s.trim())) }
  const slice = /^(-?\d+)?\s*:\s*(-?\d+)?$/.exec(inner)
  if (slice !== null) {
    return { kind: 'slice', from: slice[1] === undefined ? undefined : Number(slice[1]), to: slice[2] === undefined ? undefined : Number(slice[2]) }
  }
  const filter = /^\?\(\s*@((?:\.[\w-]+)*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*\)$/.exec(inner)
  if (filter === null) return fail()
  const path = filter[1]!.split('.').filter((s) => s !== '')
  return { kind: 'filter', path, op: filter[2], value: filter[3] === undefined ? null : literal(filter[3], fail) }
}

function literal(text: string, fail: () => never): Value {
  const quoted = /^(['"])(.*)\1$/.exec(text)
  if (quoted !== null) return quoted[2]!
  if (text === 'true' || text === 'false') return text === 'true'
  if (text === 'null') return null
  const n = Number(text)
  return Number.isNaN(n) ? fail() : n
}
