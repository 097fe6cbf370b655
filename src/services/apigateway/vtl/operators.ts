// Velocity's arithmetic and ordering: integers stay integers (7 / 2 is 3), a double makes a double,
// `+` with a string concatenates (1.7), and anything else (null, a map, division by zero) is null.
import type { BinaryOp } from './ast.ts'
import { isNumber, JavaDouble, numberOf, render, type Value } from './values.ts'

export function arithmetic(op: BinaryOp, left: Value, right: Value): Value {
  if (!isNumber(left) || !isNumber(right)) {
    if (op === '+' && left !== null && right !== null && (typeof left === 'string' || typeof right === 'string')) return render(left) + render(right)
    return null
  }
  const a = numberOf(left)
  const b = numberOf(right)
  const integers = typeof left === 'number' && typeof right === 'number'
  let r: number
  switch (op) {
    case '+': r = a + b; break
    case '-': r = a - b; break
    case '*': r = a * b; break
    case '/':
      if (b === 0) return null
      r = integers ? Math.trunc(a / b) : a / b
      break
    case '%':
      if (b === 0) return null
      r = a % b
      break
    default: return null
  }
  return integers ? r : new JavaDouble(r)
}

/** `<`, `>`, `<=`, `>=` compare numbers only; anything else is false (Velocity logs an error). */
export function compare(op: '<' | '>' | '<=' | '>=', left: Value, right: Value): boolean {
  if (!isNumber(left) || !isNumber(right)) return false
  const a = numberOf(left)
  const b = numberOf(right)
  return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b
}
