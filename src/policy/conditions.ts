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

/** Whether an operator's policy values are patterns (`*`, `?` wildcards), where `${*}` and `${?}` must stay literal. */
const wildcards = (operator: string): boolean => /^(ForAllValues:|ForAnyValue:)?(StringNotLike|StringLike|ArnLike|ArnNotLike|ArnEquals|ArnNotEquals)(IfExists)?$/i.test(operator)

/** Whether a statement's Condition block holds for the request. */
export function conditionsHold(block: Record<string, Record<string, string[]>>, context: ContextValues): boolean {
  for (const [rawOperator, keys] of Object.entries(block)) {
    const pattern = wildcards(rawOperator)
    for (const [key, rawValues] of Object.entries(keys)) {
      const values = rawValues.map((v) => substitute(v, context, pattern)).filter((v): v is string => v !== undefined)
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

/** The first 96 bits of an IPv4-mapped IPv6 address (`::ffff:0:0/96`). */
const mappedPrefix = `${'0'.repeat(80)}${'1'.repeat(16)}`

/** Whether `cidr` names an address block (`203.0.113.0/24`, `2001:db8::/32`, a bare address): what IpAddress values must be. */
export function isCidr(cidr: string): boolean {
  const slash = cidr.indexOf('/')
  const bits = ipBits(slash === -1 ? cidr : cidr.slice(0, slash))
  if (bits === undefined) return false
  return slash === -1 || (/^\d{1,3}$/.test(cidr.slice(slash + 1)) && Number(cidr.slice(slash + 1)) <= bits.length)
}

/**
 * Whether an IPv4 or IPv6 address is in a CIDR block (a bare address is a /32 or /128). An IPv4-mapped
 * IPv6 address (`::ffff:127.0.0.1`, what a dual-stack socket reports for an IPv4 client) is read as its
 * IPv4 address on either side; a prefix length is decimal digits only.
 */
export function inCidr(address: string, cidr: string): boolean {
  const slash = cidr.indexOf('/')
  const base = slash === -1 ? cidr : cidr.slice(0, slash)
  const bitsText = slash === -1 ? undefined : cidr.slice(slash + 1)
  const raw = ipBits(address)
  let b = ipBits(base)
  if (raw === undefined || b === undefined) return false
  const a = raw.length === 128 && raw.startsWith(mappedPrefix) ? raw.slice(96) : raw
  let bits = bitsText === undefined ? b.length : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : Number.NaN
  if (!(bits >= 0 && bits <= b.length)) return false
  // A mapped block (`::ffff:10.0.0.0/104`) is the IPv4 block it maps.
  if (b.length === 128 && b.startsWith(mappedPrefix) && bits >= 96) {
    b = b.slice(96)
    bits -= 96
  }
  if (a.length !== b.length) return false
  return a.slice(0, bits) === b.slice(0, bits)
}

/** The address's bits: 32 for IPv4, 128 for IPv6 (a dotted IPv4 tail too); undefined when it is neither. */
function ipBits(address: string): string | undefined {
  if (!address.includes(':')) return ipv4Bits(address)
  const parts = address.split('::')
  if (parts.length > 2) return undefined
  const [head, tail] = parts as [string, string | undefined]
  const left = head === '' ? [] : head.split(':')
  let right = tail === undefined || tail === '' ? [] : tail.split(':')
  // A dotted IPv4 tail (`::ffff:1.2.3.4`) is the last two groups.
  const last = (tail === undefined ? left : right).at(-1)
  let v4: string | undefined
  if (last !== undefined && last.includes('.')) {
    v4 = ipv4Bits(last)
    if (v4 === undefined) return undefined
    if (tail === undefined) left.pop()
    else right = right.slice(0, -1)
  }
  const width = v4 === undefined ? 8 : 6
  if (tail !== undefined && left.length + right.length >= width) return undefined
  const groups = tail === undefined ? left : [...left, ...Array<string>(width - left.length - right.length).fill('0'), ...right]
  if (groups.length !== width || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined
  return groups.map((g) => Number.parseInt(g, 16).toString(2).padStart(16, '0')).join('') + (v4 ?? '')
}

function ipv4Bits(address: string): string | undefined {
  const parts = address.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined
  return parts.map((p) => Number(p).toString(2).padStart(8, '0')).join('')
}
