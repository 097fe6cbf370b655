// `{"numeric": [">", 0, "<=", 5]}`: validation in Event Ruler's order and wording, compiled to a
// range test. Only JSON numbers match: "300" as a string never satisfies a numeric condition.
import type { DialectRules } from './dialects.ts'
import { fail } from './errors.ts'

/** Jackson's `getText()` for a token, which Event Ruler quotes in its messages. */
export function tokenText(value: unknown): string {
  if (value === undefined) return ']'
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return '['
  if (typeof value === 'object' && value !== null) return '{'
  return JSON.stringify(value)
}

/** Java's Double.toString for the limits AWS prints (5e9 → "5.0E9"). */
function javaDouble(n: number): string {
  const exponent = Math.floor(Math.log10(Math.abs(n)))
  const mantissa = String(n / 10 ** exponent)
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent}`
}

function decimalPlaces(n: number): number {
  const [mantissa, exponent] = String(Math.abs(n)).split('e') as [string, string | undefined]
  const fraction = mantissa.split('.')[1]?.length ?? 0
  return Math.max(0, fraction - Number(exponent ?? 0))
}

/**
 * Event Ruler turns every number it compares into a fixed-point "comparable number"; values it
 * cannot represent are refused when a rule is saved.
 */
export function checkComparable(n: number, rules: DialectRules): void {
  if (decimalPlaces(n) > rules.numericDecimals) fail(`Only values upto ${rules.numericDecimals} decimals are supported`)
  if (n < -rules.numericLimit || n > rules.numericLimit) {
    fail(`Value must be between ${javaDouble(-rules.numericLimit)} and ${javaDouble(rules.numericLimit)}, inclusive`)
  }
}

interface Bound { value: number; open: boolean }
const LOWER = new Set(['>', '>='])
const UPPER = new Set(['<', '<='])

function operand(op: string, value: unknown): number {
  if (typeof value !== 'number') fail(`Value of ${op === '=' ? 'equals' : op} must be numeric`)
  return value
}

function upperBound(list: readonly unknown[], lower: number, rules: DialectRules): Bound {
  const op = list[2]
  if (typeof op !== 'string') fail(`Bad value in numeric range: ${tokenText(op)}`)
  if (!UPPER.has(op)) fail(`Bad numeric range operator: ${op}`)
  const value = operand(op, list[3])
  if (list.length > 4) fail('Too many terms in numeric range expression')
  checkComparable(lower, rules)
  checkComparable(value, rules)
  if (lower >= value) fail('Bottom must be less than top')
  return { value, open: op === '<' }
}

/** Validates a numeric expression and returns its test on event values. */
export function compileNumeric(list: unknown, rules: DialectRules): (value: number) => boolean {
  if (!Array.isArray(list)) fail('Value of numeric must be an array.')
  const op = list[0]
  if (typeof op !== 'string') fail(`Invalid member in numeric match: ${tokenText(op)}`)
  if (op !== '=' && !LOWER.has(op) && !UPPER.has(op)) fail(`Unrecognized numeric range operator: ${op}`)
  const first = operand(op, list[1])
  let lower: Bound | undefined
  let upper: Bound | undefined
  if (op === '=' || UPPER.has(op)) {
    if (list.length > 2) fail('Too many elements in numeric expression')
    checkComparable(first, rules)
    if (op === '=') return (v) => v === first
    upper = { value: first, open: op === '<' }
  } else {
    lower = { value: first, open: op === '>' }
    if (list.length > 2) upper = upperBound(list, first, rules)
    else checkComparable(first, rules)
  }
  return rangeTest(lower, upper)
}

function rangeTest(lower: Bound | undefined, upper: Bound | undefined): (value: number) => boolean {
  const lo = lower?.value ?? -Infinity
  const hi = upper?.value ?? Infinity
  const loOpen = lower?.open ?? false
  const hiOpen = upper?.open ?? false
  return (v) => (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi)
}
