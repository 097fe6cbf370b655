// IAM's condition operators (String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress/NotIpAddress,
// Arn*, Null), their …IfExists forms and the ForAllValues:/ForAnyValue: set qualifiers, as AWS
// documents them. A block's operators and keys are ANDed; a key's values ORed.
import { arnMatches, type ContextValues, contextValue, glob, substitute } from './match.ts'

type Compare = (requestValue: string, policyValue: string) => boolean

const dateOf = (value: string): number => (/^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value))
const numberOf = (value: string): number => (value.trim() === '' ? Number.NaN : Number(value))
const numeric = (test: (a: number, b: number) => boolean): Compare => (a, b) => {
  const x = numberOf(a)
  const y = numberOf(b)
  return !Number.isNaN(x) && !Number.isNaN(y) && test(x, y)
}
const date = (test: (a: number, b: number) => boolean): Compare => (a, b) => {
  const x = dateOf(a)
  const y = dateOf(b)
  return !Number.isNaN(x) && !Number.isNaN(y) && test(x, y)
}

/** Positive operators; each `…Not…` form is the negation of its positive one. */
const operators: Record<string, { compare: Compare; negated: boolean }> = {}
function define(name: string, compare: Compare, negation?: string): void {
  operators[name.toLowerCase()] = { compare, negated: false }
  if (negation !== undefined) operators[negation.toLowerCase()] = { compare, negated: true }
}
define('StringEquals', (a, b) => a === b, 'StringNotEquals')
define('StringEqualsIgnoreCase', (a, b) => a.toLowerCase() === b.toLowerCase(), 'StringNotEqualsIgnoreCase')
define('StringLike', (a, b) => glob(b, a), 'StringNotLike')
define('NumericEquals', numeric((a, b) => a === b), 'NumericNotEquals')
define('NumericLessThan', numeric((a, b) => a < b))
define('NumericLessThanEquals', numeric((a, b) => a <= b))
define('NumericGreaterThan', numeric((a, b) => a > b))
define('NumericGreaterThanEquals', numeric((a, b) => a >= b))
define('DateEquals', date((a, b) => a === b), 'DateNotEquals')
define('DateLessThan', date((a, b) => a < b))
define('DateLessThanEquals', date((a, b) => a <= b))
define('DateGreaterThan', date((a, b) => a > b))
define('DateGreaterThanEquals', date((a, b) => a >= b))
define('Bool', (a, b) => a.toLowerCase() === b.toLowerCase())
define('BinaryEquals', (a, b) => a === b)
define('IpAddress', (a, b) => inCidr(a, b), 'NotIpAddress')
define('ArnEquals', (a, b) => arnMatches(b, a), 'ArnNotEquals')
define('ArnLike', (a, b) => arnMatches(b, a), 'ArnNotLike')

export class UnknownConditionOperator extends Error {}

/** Whether `name` (with a ForAllValues:/ForAnyValue: qualifier, an …IfExists suffix, or Null) is an operator evaluated here. */
export function isConditionOperator(name: string): boolean {
  const bare = name.replace(/^(ForAllValues|ForAnyValue):/i, '')
  if (bare.toLowerCase() === 'null') return true
  return operators[bare.replace(/IfExists$/i, '').toLowerCase()] !== undefined
}

/** Whether a statement's Condition block holds for the request. */
export function conditionsHold(block: Record<string, Record<string, string[]>>, context: ContextValues): boolean {
  for (const [rawOperator, keys] of Object.entries(block)) {
    for (const [key, rawValues] of Object.entries(keys)) {
      const values = rawValues.map((v) => substitute(v, context)).filter((v): v is string => v !== undefined)
      if (!operatorHolds(rawOperator, key, values, context)) return false
    }
  }
  return true
}

function operatorHolds(rawOperator: string, key: string, policyValues: string[], context: ContextValues): boolean {
  let operator = rawOperator
  let qualifier: 'all' | 'any' | undefined
  if (/^ForAllValues:/i.test(operator)) {
    qualifier = 'all'
    operator = operator.slice('ForAllValues:'.length)
  } else if (/^ForAnyValue:/i.test(operator)) {
    qualifier = 'any'
    operator = operator.slice('ForAnyValue:'.length)
  }
  const requestValues = contextValue(context, key)
  if (operator.toLowerCase() === 'null') {
    // "true": the key must be absent; "false": present.
    const absent = requestValues === undefined || requestValues.length === 0
    return policyValues.some((v) => (v.toLowerCase() === 'true') === absent)
  }
  const ifExists = /IfExists$/i.test(operator)
  if (ifExists) operator = operator.slice(0, -'IfExists'.length)
  const spec = operators[operator.toLowerCase()]
  if (spec === undefined) throw new UnknownConditionOperator(rawOperator)
  const matchesOne = (value: string) => policyValues.some((p) => spec.compare(value, p))
  if (requestValues === undefined || requestValues.length === 0) {
    // AWS: a missing key fails a condition, except …IfExists, negated operators, and ForAllValues (vacuously true).
    if (qualifier === 'all') return true
    return ifExists || spec.negated
  }
  if (qualifier === 'all') return requestValues.every((v) => (spec.negated ? !matchesOne(v) : matchesOne(v)))
  if (qualifier === 'any') return requestValues.some((v) => (spec.negated ? !matchesOne(v) : matchesOne(v)))
  const any = requestValues.some(matchesOne)
  return spec.negated ? !any : any
}

/** Whether an IPv4 or IPv6 address is in a CIDR block (a bare address is a /32 or /128). */
export function inCidr(address: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/') as [string, string | undefined]
  const a = ipBits(address)
  const b = ipBits(base)
  if (a === undefined || b === undefined || a.length !== b.length) return false
  const bits = bitsText === undefined ? a.length : Number(bitsText)
  if (!Number.isInteger(bits) || bits < 0 || bits > a.length) return false
  return a.slice(0, bits) === b.slice(0, bits)
}

function ipBits(address: string): string | undefined {
  if (address.includes('.') && !address.includes(':')) {
    const parts = address.split('.').map(Number)
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined
    return parts.map((p) => p.toString(2).padStart(8, '0')).join('')
  }
  if (!address.includes(':')) return undefined
  const [head, tail] = address.split('::') as [string, string | undefined]
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined
  return groups.map((g) => Number.parseInt(g, 16).toString(2).padStart(16, '0')).join('')
}
