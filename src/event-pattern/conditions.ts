// One field's array of conditions (`["a", {"prefix": "b"}, {"exists": false}]`) compiled into a
// single test. Validation order and messages follow Event Ruler's JsonRuleCompiler.
import type { DialectRules, Operator } from './dialects.ts'
import { fail } from './errors.ts'
import { compileAnythingBut } from './anything-but.ts'
import { compileCidr, exactIpRange, inRange } from './ip.ts'
import type { FieldTest, Leaf } from './leaf.ts'
import { compileNumeric } from './numeric.ts'
import { compileWildcard } from './wildcard.ts'

type Test = (value: Leaf) => boolean

interface Condition {
  readonly test?: Test
  readonly absent?: true
  readonly exact?: string
  readonly wildcards?: readonly string[]
}

const KNOWN: ReadonlySet<string> = new Set<Operator>([
  'prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'cidr', 'wildcard',
])

export function compileField(path: string, conditions: readonly unknown[], rules: DialectRules): FieldTest {
  if (conditions.length === 0) fail('Empty arrays are not allowed', 'invalid-structure')
  const compiled = conditions.map((c) => compileCondition(c, rules))
  const exact = new Set<string>()
  const others: Test[] = []
  for (const c of compiled) {
    if (c.exact !== undefined) exact.add(c.exact)
    else if (c.test !== undefined) others.push(c.test)
  }
  const onlyExact = compiled.every((c) => c.exact !== undefined)
  const test: Test = others.length === 0
    ? (v) => typeof v === 'string' && exact.has(v)
    : exact.size === 0 && others.length === 1
      ? others[0]!
      : (v) => (typeof v === 'string' && exact.has(v)) || others.some((t) => t(v))
  return {
    path,
    test,
    matchesAbsent: compiled.some((c) => c.absent === true),
    matchesPresent: compiled.some((c) => c.absent !== true),
    exactStrings: onlyExact ? [...exact] : undefined,
    wildcards: compiled.flatMap((c) => c.wildcards ?? []),
  }
}

function compileCondition(condition: unknown, rules: DialectRules): Condition {
  if (typeof condition === 'string') {
    // Event Ruler stores an IP-literal value as a range, so every spelling of the address matches.
    const ip = exactIpRange(condition)
    return ip === undefined ? { exact: condition } : { test: (v) => typeof v === 'string' && inRange(ip, v) }
  }
  if (typeof condition === 'number') return { test: (v) => v === condition }
  if (typeof condition === 'boolean' || condition === null) return { test: (v) => v === condition }
  if (typeof condition !== 'object' || Array.isArray(condition)) fail('Match value must be String, number, true, false, or null')
  return compileOperator(condition as Record<string, unknown>, rules)
}

function compileOperator(expression: Record<string, unknown>, rules: DialectRules): Condition {
  const keys = Object.keys(expression)
  const name = keys[0]
  if (name === undefined) fail('Match expression name not found')
  if (!KNOWN.has(name) || !rules.operators.has(name as Operator)) fail(`Unrecognized match type ${name}`)
  const operand = expression[name]
  const condition = operatorCondition(name as Operator, operand, rules)
  if (keys.length > 1) {
    fail(name === 'numeric' || name === 'anything-but' ? 'Too many elements in numeric expression' : 'Only one key allowed in match expression')
  }
  return condition
}

function operatorCondition(name: Operator, operand: unknown, rules: DialectRules): Condition {
  switch (name) {
    case 'prefix':
    case 'suffix':
      return affix(name, operand, rules)
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') fail('equals-ignore-case match pattern must be a string')
      const lowered = operand.toLowerCase()
      return { test: (v) => typeof v === 'string' && v.toLowerCase() === lowered }
    }
    case 'anything-but': {
      const { test, wildcards } = compileAnythingBut(operand, rules)
      return { test, wildcards }
    }
    case 'numeric': {
      const inside = compileNumeric(operand, rules)
      const limit = rules.numericLimit
      // Event Ruler can't compare numbers outside its comparable range: they never match a range.
      return { test: (v) => typeof v === 'number' && v >= -limit && v <= limit && inside(v) }
    }
    case 'exists':
      if (typeof operand !== 'boolean') fail('exists match pattern must be either true or false.')
      return operand ? { test: () => true } : { absent: true }
    case 'cidr': {
      if (typeof operand !== 'string') fail('prefix match pattern must be a string') // sic: Event Ruler's text
      const range = compileCidr(operand)
      return { test: (v) => typeof v === 'string' && inRange(range, v) }
    }
    case 'wildcard': {
      if (typeof operand !== 'string') fail('wildcard match pattern must be a string')
      const matches = compileWildcard(operand)
      return { test: (v) => typeof v === 'string' && matches(v), wildcards: [operand] }
    }
  }
}

/** `{"prefix": "a"}` or `{"prefix": {"equals-ignore-case": "A"}}`, and the same for suffix. */
function affix(name: 'prefix' | 'suffix', operand: unknown, rules: DialectRules): Condition {
  const starts = name === 'prefix'
  if (typeof operand === 'string') {
    return { test: (v) => typeof v === 'string' && (starts ? v.startsWith(operand) : v.endsWith(operand)) }
  }
  if (typeof operand !== 'object' || operand === null || Array.isArray(operand) || !rules.prefixSuffixIgnoreCase) {
    fail(`${name} match pattern must be a string`)
  }
  const keys = Object.keys(operand)
  const Name = starts ? 'Prefix' : 'Suffix'
  if (keys[0] === undefined) fail(`${Name} expression name not found`)
  if (keys[0] !== 'equals-ignore-case') fail(`Unsupported ${name} pattern: ${keys[0]}`)
  const text = (operand as Record<string, unknown>)['equals-ignore-case']
  if (typeof text !== 'string') fail('equals-ignore-case match pattern must be a string')
  if (keys.length > 1) fail('Only one key allowed in match expression')
  const lowered = text.toLowerCase()
  return {
    test: (v) => typeof v === 'string' && (starts ? v.toLowerCase().startsWith(lowered) : v.toLowerCase().endsWith(lowered)),
  }
}
