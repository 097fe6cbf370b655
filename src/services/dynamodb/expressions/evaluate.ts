// Evaluates conditions against an item and projects items by document paths, as DynamoDB documents
// (a comparison with a missing attribute is false, except `<>`; contains on strings, sets and lists).
import { type AttributeValue, type Item, base64, compareScalars, typeOf, valuesEqual } from '../attribute-value.ts'
import type { Condition, Operand, Path } from './ast.ts'

/** The value at a document path, or undefined. */
export function resolvePath(item: Item, path: Path): AttributeValue | undefined {
  const [first, ...rest] = path.elements
  let value: AttributeValue | undefined = item[first as string]
  for (const e of rest) {
    if (value === undefined) return undefined
    if (typeof e === 'number') value = value.L?.[e]
    else value = value.M?.[e]
  }
  return value
}

function operandValue(item: Item, o: Operand): AttributeValue | undefined {
  if (o.kind === 'value') return o.value
  if (o.kind === 'path') return resolvePath(item, o)
  const v = resolvePath(item, o.path)
  if (v === undefined) return undefined
  const n = sizeOf(v)
  return n === undefined ? undefined : { N: String(n) }
}

/** size(): string length, bytes of binary, elements of sets, lists and maps; none for numbers and booleans [R: S counts UTF-16 units]. */
function sizeOf(v: AttributeValue): number | undefined {
  if (v.S !== undefined) return v.S.length
  if (v.B !== undefined) return v.B.length
  const collection = v.SS ?? v.NS ?? v.BS ?? v.L
  if (collection !== undefined) return collection.length
  if (v.M !== undefined) return Object.keys(v.M).length
  return undefined
}

export function evaluate(item: Item, c: Condition): boolean {
  switch (c.kind) {
    case 'and': return evaluate(item, c.left) && evaluate(item, c.right)
    case 'or': return evaluate(item, c.left) || evaluate(item, c.right)
    case 'not': return !evaluate(item, c.operand)
    case 'compare': {
      const a = operandValue(item, c.left)
      const b = operandValue(item, c.right)
      if (c.op === '<>') return a === undefined || b === undefined || !valuesEqual(a, b)
      if (a === undefined || b === undefined) return false
      if (c.op === '=') return valuesEqual(a, b)
      const order = compareScalars(a, b)
      if (order === undefined) return false
      return c.op === '<' ? order < 0 : c.op === '<=' ? order <= 0 : c.op === '>' ? order > 0 : order >= 0
    }
    case 'between': {
      const v = operandValue(item, c.value)
      const lo = operandValue(item, c.low)
      const hi = operandValue(item, c.high)
      if (v === undefined || lo === undefined || hi === undefined) return false
      const a = compareScalars(v, lo)
      const b = compareScalars(v, hi)
      return a !== undefined && b !== undefined && a >= 0 && b <= 0
    }
    case 'in': {
      const v = operandValue(item, c.value)
      if (v === undefined) return false
      return c.list.some((o) => {
        const w = operandValue(item, o)
        return w !== undefined && valuesEqual(v, w)
      })
    }
    case 'function': return callFunction(item, c.name, c.args)
  }
}

function callFunction(item: Item, name: string, args: Operand[]): boolean {
  const target = operandValue(item, args[0]!)
  switch (name) {
    case 'attribute_exists': return target !== undefined
    case 'attribute_not_exists': return target === undefined
    case 'attribute_type': {
      const wanted = operandValue(item, args[1]!)
      return target !== undefined && wanted?.S === typeOf(target)
    }
    case 'begins_with': {
      const prefix = operandValue(item, args[1]!)
      if (target === undefined || prefix === undefined) return false
      if (target.S !== undefined && prefix.S !== undefined) return target.S.startsWith(prefix.S)
      if (target.B !== undefined && prefix.B !== undefined) {
        return prefix.B.length <= target.B.length && Buffer.compare(Buffer.from(target.B).subarray(0, prefix.B.length), prefix.B) === 0
      }
      return false
    }
    case 'contains': {
      const needle = operandValue(item, args[1]!)
      if (target === undefined || needle === undefined) return false
      if (target.S !== undefined) return needle.S !== undefined && target.S.includes(needle.S)
      if (target.SS !== undefined) return needle.S !== undefined && target.SS.includes(needle.S)
      if (target.NS !== undefined) return needle.N !== undefined && target.NS.some((n) => valuesEqual({ N: n }, needle))
      if (target.BS !== undefined) return needle.B !== undefined && target.BS.some((b) => base64(b) === base64(needle.B!))
      if (target.L !== undefined) return target.L.some((v) => valuesEqual(v, needle))
      return false
    }
  }
  return false
}

/** A projection as a tree of path elements; `true` takes the whole value there. */
type Tree = Map<string | number, Tree | true>

/** The item cut down to the given paths (list elements picked by index keep their order, compacted). */
export function project(item: Item, paths: readonly Path[]): Item {
  const tree: Tree = new Map()
  for (const path of paths) {
    let node = tree
    path.elements.forEach((e, i) => {
      if (i === path.elements.length - 1) node.set(e, true)
      else {
        let child = node.get(e)
        if (child === undefined || child === true) node.set(e, (child = new Map()))
        node = child
      }
    })
  }
  const out: Item = {}
  for (const [name, sub] of tree) {
    const value = item[name as string]
    if (value === undefined) continue
    const picked = sub === true ? value : pick(value, sub)
    if (picked !== undefined) out[name as string] = picked
  }
  return out
}

function pick(value: AttributeValue, tree: Tree): AttributeValue | undefined {
  if (value.M !== undefined) {
    const m: Record<string, AttributeValue> = {}
    for (const [k, sub] of tree) {
      const v = typeof k === 'string' ? value.M[k] : undefined
      const p = v === undefined ? undefined : sub === true ? v : pick(v, sub)
      if (p !== undefined) m[k as string] = p
    }
    return Object.keys(m).length === 0 ? undefined : { M: m }
  }
  if (value.L !== undefined) {
    const indexes = [...tree.keys()].filter((k): k is number => typeof k === 'number').sort((a, b) => a - b)
    const l: AttributeValue[] = []
    for (const i of indexes) {
      const v = value.L[i]
      const sub = tree.get(i)!
      const p = v === undefined ? undefined : sub === true ? v : pick(v, sub)
      if (p !== undefined) l.push(p)
    }
    return l.length === 0 ? undefined : { L: l }
  }
  return undefined
}
