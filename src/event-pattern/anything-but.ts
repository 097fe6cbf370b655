// `{"anything-but": …}`: matches any *present* value outside the set, including null and values
// of another type; the prefix/suffix/wildcard/equals-ignore-case forms let non-strings through.
import type { AnythingButOperator, DialectRules } from './dialects.ts'
import { fail } from './errors.ts'
import { checkComparable } from './numeric.ts'
import { compileWildcard } from './wildcard.ts'
import type { Leaf } from './leaf.ts'

const NESTED: ReadonlySet<string> = new Set<AnythingButOperator>(['prefix', 'suffix', 'equals-ignore-case', 'wildcard'])
const BAD_VALUE = 'Value of anything-but must be an array or single string/number value.'
const TOO_MANY = 'Too many elements in numeric expression' // Event Ruler's wording for any extra key here

export interface AnythingBut {
  readonly test: (value: Leaf) => boolean
  /** The wildcard patterns inside, for the complexity check. */
  readonly wildcards: readonly string[]
}

export function compileAnythingBut(operand: unknown, rules: DialectRules): AnythingBut {
  if (Array.isArray(operand)) return { test: plainList(operand, rules), wildcards: [] }
  if (typeof operand === 'string' || typeof operand === 'number') return { test: plainList([operand], rules), wildcards: [] }
  if (typeof operand !== 'object' || operand === null) fail(BAD_VALUE)
  return nested(operand as Record<string, unknown>, rules)
}

function plainList(values: readonly unknown[], rules: DialectRules): (value: Leaf) => boolean {
  let strings = 0
  let numbers = 0
  for (const v of values) {
    if (typeof v === 'string') strings++
    else if (typeof v === 'number') numbers++
    else fail('Inside anything but list, start|null|boolean is not supported.')
  }
  if ((strings > 0) === (numbers > 0)) {
    fail('Inside anything but list, either all values are number or string, mixed type is not supported')
  }
  if (numbers > 0) {
    for (const n of values as number[]) checkComparable(n, rules)
    const set = new Set(values as number[])
    return (v) => typeof v !== 'number' || !set.has(v)
  }
  const set = new Set(values as string[])
  return (v) => typeof v !== 'string' || !set.has(v)
}

function elementError(op: string): string {
  if (op === 'equals-ignore-case') return 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'
  if (op === 'wildcard') return 'wildcard match pattern must be a string'
  return 'prefix/suffix match pattern must be a string'
}

function nested(operand: Record<string, unknown>, rules: DialectRules): AnythingBut {
  const keys = Object.keys(operand)
  const op = keys[0]
  if (op === undefined) fail('Anything-But expression name not found')
  if (!NESTED.has(op) || !rules.anythingBut.has(op as AnythingButOperator)) fail(`Unsupported anything-but pattern: ${op}`)
  const inner = operand[op]
  if (!Array.isArray(inner) && typeof inner !== 'string' && typeof inner !== 'number') fail(BAD_VALUE)
  const values = Array.isArray(inner) ? inner : [inner]
  for (const v of values) {
    if (typeof v !== 'string') fail(elementError(op))
    if (v === '' && (op === 'prefix' || op === 'suffix')) fail('Null prefix/suffix not allowed')
  }
  if (keys.length > 1) fail(TOO_MANY)
  const strings = values as string[]
  const excluded = excluder(op as AnythingButOperator, strings)
  return { test: (v) => typeof v !== 'string' || !excluded(v), wildcards: op === 'wildcard' ? strings : [] }
}

function excluder(op: AnythingButOperator, values: readonly string[]): (value: string) => boolean {
  switch (op) {
    case 'prefix':
      return (v) => values.some((p) => v.startsWith(p))
    case 'suffix':
      return (v) => values.some((s) => v.endsWith(s))
    case 'equals-ignore-case': {
      const lowered = new Set(values.map((s) => s.toLowerCase()))
      return (v) => lowered.has(v.toLowerCase())
    }
    case 'wildcard': {
      const tests = values.map(compileWildcard)
      return (v) => tests.some((t) => t(v))
    }
  }
}
