// Walks a pattern object into its branches: fields are ANDed, `$or` forks the branch list (as
// Event Ruler's JsonRuleCompiler does), nested objects extend the dotted path.
import type { DialectRules } from './dialects.ts'
import { fail } from './errors.ts'
import { compileField } from './conditions.ts'
import type { FieldTest } from './leaf.ts'

/** One way for the pattern to match: every field must. */
export type Branch = ReadonlyMap<string, FieldTest>

const OR = '$or'

// Names Event Ruler reserves inside `$or` (operators, comparison symbols, future keywords).
const RESERVED_IN_OR: ReadonlySet<string> = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr',
  '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'date-after', 'date-on-or-after',
  'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range', 'ip-address-not-in-range',
])

interface Walk {
  readonly rules: DialectRules
  branches: Map<string, FieldTest>[]
}

export function compileBranches(pattern: Record<string, unknown>, rules: DialectRules): Branch[] {
  const walk: Walk = { rules, branches: [] }
  walkObject(walk, pattern, '', false)
  return walk.branches
}

function walkObject(walk: Walk, object: Record<string, unknown>, path: string, insideOr: boolean): void {
  const keys = Object.keys(object)
  if (keys.length === 0) fail('Empty objects are not allowed', 'invalid-structure')
  for (const key of keys) {
    const value = object[key]
    if (key === OR) {
      walkOr(walk, value, path)
      continue
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      fail(`${key} is Ruler reserved fieldName which cannot be used inside $or.`, 'invalid-structure')
    }
    const fieldPath = path === '' ? key : `${path}.${key}`
    if (Array.isArray(value)) {
      const field = compileField(fieldPath, value, walk.rules)
      if (walk.branches.length === 0) walk.branches.push(new Map())
      for (const branch of walk.branches) branch.set(fieldPath, field)
    } else if (typeof value === 'object' && value !== null) {
      // SNS attribute scope: attributes are flat, so a nested policy is refused outright.
      if (!walk.rules.nesting) {
        fail('Filter policy scope MessageAttributes does not support nested filter policy', 'nested-not-allowed')
      }
      walkObject(walk, value as Record<string, unknown>, fieldPath, insideOr)
    } else {
      fail(`"${key}" must be an object or an array`, 'invalid-structure')
    }
  }
}

function walkOr(walk: Walk, value: unknown, path: string): void {
  if (!Array.isArray(value)) fail('It must be an Array followed with $or.', 'invalid-structure')
  const before = walk.branches
  const after: Map<string, FieldTest>[] = []
  for (const option of value) {
    if (typeof option !== 'object' || option === null || Array.isArray(option)) {
      fail('Only JSON object is allowed in array of $or relationship.', 'invalid-structure')
    }
    walk.branches = before.length === 0 ? [new Map()] : before.map((b) => new Map(b))
    walkObject(walk, option as Record<string, unknown>, path, true)
    after.push(...walk.branches)
  }
  if (value.length < 2) fail('There must have at least 2 Objects in $or relationship.', 'invalid-structure')
  walk.branches = after
}

/**
 * SNS's complexity measure: the product of every value array's length times its key's depth, with
 * `$or` options adding up (AWS's documented example: 3 x 4 x 2 x 3 = 72).
 */
export function snsCombinations(policy: Record<string, unknown>, depth = 1, start = 1): number {
  let combinations = start
  for (const [key, value] of Object.entries(policy)) {
    if (key === OR && Array.isArray(value)) {
      combinations = value.reduce<number>((sum, option) =>
        sum + (typeof option === 'object' && option !== null ? snsCombinations(option as Record<string, unknown>, depth, combinations) : 0), 0)
    } else if (Array.isArray(value)) {
      combinations *= value.length * depth
    } else if (typeof value === 'object' && value !== null) {
      combinations = snsCombinations(value as Record<string, unknown>, depth + 1, combinations)
    }
  }
  return combinations
}
