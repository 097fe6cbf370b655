// DynamoDB's Number type: up to 38 significant digits, magnitudes 1E-130 to 9.99…E+125, stored and
// returned in a canonical form ("1.0" → "1", "-0" → "0", "1E2" → "100"), compared and added exactly.
import { dynamoErrors } from './errors.ts'

/** A decimal as sign × coefficient × 10^exponent, with the coefficient free of trailing zeros. */
export interface Decimal {
  /** -1, 0 or 1. */
  sign: number
  /** Significant digits, no leading or trailing zeros ('' for zero). */
  digits: string
  /** Power of ten of the coefficient's last digit. */
  exponent: number
}

const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const maxDigits = 38

/** Parses and range-checks a number as DynamoDB does; throws its ValidationException wording. */
export function parseNumber(text: string): Decimal {
  if (!numberPattern.test(text)) throw dynamoErrors.validation(`The parameter cannot be converted to a numeric value: ${text}`)
  const decimal = toDecimal(text)
  checkRange(decimal)
  return decimal
}

function toDecimal(text: string): Decimal {
  let i = 0
  let sign = 1
  if (text[0] === '-' || text[0] === '+') {
    if (text[0] === '-') sign = -1
    i = 1
  }
  const e = text.search(/[eE]/)
  const mantissa = text.slice(i, e < 0 ? text.length : e)
  const exp = e < 0 ? 0 : Number(text.slice(e + 1))
  const dot = mantissa.indexOf('.')
  const intPart = dot < 0 ? mantissa : mantissa.slice(0, dot)
  const fracPart = dot < 0 ? '' : mantissa.slice(dot + 1)
  let digits = intPart + fracPart
  let exponent = exp - fracPart.length
  digits = digits.replace(/^0+/, '')
  const trimmed = digits.replace(/0+$/, '')
  exponent += digits.length - trimmed.length
  digits = trimmed
  if (digits === '') return { sign: 0, digits: '', exponent: 0 }
  return { sign, digits, exponent }
}

/** AWS checks precision first, then magnitude [R: the order when both are wrong]. */
export function checkRange(d: Decimal): void {
  if (d.sign === 0) return
  if (d.digits.length > maxDigits) throw dynamoErrors.validation('Attempting to store more than 38 significant digits in a Number')
  // The decimal exponent of the leading digit: 1E125 is fine, 1E126 overflows; 1E-130 is fine, below underflows.
  const leading = d.exponent + d.digits.length - 1
  if (leading > 125) throw dynamoErrors.validation('Number overflow. Attempting to store a number with magnitude larger than supported range')
  if (leading < -130) throw dynamoErrors.validation('Number underflow. Attempting to store a number with magnitude smaller than supported range')
}

/** The canonical text DynamoDB returns: plain notation, no exponent, no superfluous zeros. */
export function formatDecimal(d: Decimal): string {
  if (d.sign === 0) return '0'
  const sign = d.sign < 0 ? '-' : ''
  if (d.exponent >= 0) return sign + d.digits + '0'.repeat(d.exponent)
  const point = d.digits.length + d.exponent
  if (point > 0) return `${sign}${d.digits.slice(0, point)}.${d.digits.slice(point)}`
  return `${sign}0.${'0'.repeat(-point)}${d.digits}`
}

/** Validates and canonicalises a number's text. */
export function normalizeNumber(text: string): string {
  return formatDecimal(parseNumber(text))
}

/** Compares two canonical (or any valid) number texts numerically. */
export function compareNumbers(a: string, b: string): number {
  if (a === b) return 0
  return compareDecimals(toDecimal(a), toDecimal(b))
}

function compareDecimals(a: Decimal, b: Decimal): number {
  if (a.sign !== b.sign) return a.sign < b.sign ? -1 : 1
  if (a.sign === 0) return 0
  const magA = a.exponent + a.digits.length
  const magB = b.exponent + b.digits.length
  if (magA !== magB) return (magA < magB ? -1 : 1) * a.sign
  const len = Math.max(a.digits.length, b.digits.length)
  const da = a.digits.padEnd(len, '0')
  const db = b.digits.padEnd(len, '0')
  return da === db ? 0 : (da < db ? -1 : 1) * a.sign
}

/** Exact a + b (or a − b), range-checked as a stored result is. */
export function addNumbers(a: string, b: string, subtract = false): string {
  const x = toDecimal(a)
  const y = toDecimal(b)
  if (subtract) y.sign = -y.sign
  const exponent = Math.min(x.exponent, y.exponent)
  const big = (d: Decimal) => d.sign === 0 ? 0n : BigInt(d.sign) * BigInt(d.digits) * 10n ** BigInt(d.exponent - exponent)
  const sum = big(x) + big(y)
  const text = sum < 0n ? `-${(-sum).toString()}E${exponent}` : `${sum.toString()}E${exponent}`
  const result = toDecimal(text)
  checkRange(result)
  return formatDecimal(result)
}
