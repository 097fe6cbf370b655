// jq 1.6's math builtins (its libm list): one-input functions (`4 | sqrt`), two- and three-argument
// ones (`pow(2; 10)`, `fma(2; 3; 4)`), and frexp/modf/lgamma_r's pairs. Where JavaScript has no
// libm function (gamma family, Bessel functions, rint, drem, nextafter…) they are written here.
import { natives, values, type Closure } from './evaluator.ts'
import { fail, shown, type Json } from './values.ts'

const num = (v: Json): number => typeof v === 'number' ? v : fail(`${shown(v)} number required`)

function unary(name: string, f: (x: number) => Json): void {
  natives.set(`${name}/0`, function* (input: Json) { yield f(num(input)) })
}
function nary(name: string, arity: number, f: (...xs: number[]) => number): void {
  natives.set(`${name}/${arity}`, function* (input: Json, args: Closure[]) {
    for (const vs of values(args, input)) yield f(...vs.map(num))
  })
}

/** Round half to even (C's rint/nearbyint in the default rounding mode). */
function rint(x: number): number {
  if (!Number.isFinite(x)) return x
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** [mantissa in [0.5, 1), exponent] with x = m · 2^e (C's frexp). */
function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0]
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1)
  let m = x * Math.pow(2, -e)
  while (Math.abs(m) < 0.5) { m *= 2; e-- }
  while (Math.abs(m) >= 1) { m /= 2; e++ }
  return [m, e]
}

// Lanczos approximation (g = 7, 9 terms) of the gamma function.
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7]

/** ln|Γ(x)| and the sign of Γ(x). */
function lgammaSigned(x: number): [number, number] {
  if (Number.isNaN(x)) return [x, 1]
  if (x === Infinity) return [Infinity, 1]
  if (x <= 0 && Number.isInteger(x)) return [Infinity, 1]
  if (x === 1 || x === 2) return [0, 1] // exactly, as libm gives
  if (x < 0.5) {
    // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
    const s = Math.sin(Math.PI * x)
    const [l] = lgammaSigned(1 - x)
    return [Math.log(Math.PI / Math.abs(s)) - l, s < 0 ? -1 : 1]
  }
  const z = x - 1
  let a = LANCZOS[0]!
  const t = z + 7.5
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i)
  return [0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a), 1]
}

function tgamma(x: number): number {
  if (x === 0) return 1 / x > 0 ? Infinity : -Infinity
  if (x < 0 && Number.isInteger(x)) return NaN
  // Exact for small positive integers (a factorial), as libm is.
  if (Number.isInteger(x) && x > 0 && x <= 171) {
    let f = 1
    for (let i = 2; i < x; i++) f *= i
    return f
  }
  const [l, sign] = lgammaSigned(x)
  return sign * Math.exp(l)
}

/** Simpson's rule over [a, b] (the Bessel integrals below are smooth). */
function integrate(f: (t: number) => number, a: number, b: number, steps = 2000): number {
  const h = (b - a) / steps
  let sum = f(a) + f(b)
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h)
  return (sum * h) / 3
}

/** Bessel functions of the first and second kind, orders 0 and 1, from their integral forms. */
const besselJ = (n: number, x: number) => integrate((t) => Math.cos(n * t - x * Math.sin(t)), 0, Math.PI) / Math.PI
function besselY(n: number, x: number): number {
  if (x < 0) return NaN
  if (x === 0) return -Infinity
  const first = integrate((t) => Math.sin(x * Math.sin(t) - n * t), 0, Math.PI) / Math.PI
  // The second integral's integrand dies off once x·sinh(t) passes ~750 (e^-750 underflows).
  const end = Math.asinh(750 / x) + 1
  const second = integrate((t) => (Math.exp(n * t) + (n % 2 === 0 ? 1 : -1) * Math.exp(-n * t)) * Math.exp(-x * Math.sinh(t)), 0, end, 20_000) / Math.PI
  return first - second
}

function nextafter(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN
  if (x === y) return y
  if (x === 0) return y > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigInt64(0)
  view.setBigInt64(0, (y > x) === (x > 0) ? bits + 1n : bits - 1n)
  return view.getFloat64(0)
}

const ONE: Record<string, (x: number) => number> = {
  acos: Math.acos, acosh: Math.acosh, asin: Math.asin, asinh: Math.asinh, atan: Math.atan, atanh: Math.atanh, cbrt: Math.cbrt,
  ceil: Math.ceil, cos: Math.cos, cosh: Math.cosh, exp: Math.exp, exp10: (x) => Math.pow(10, x), exp2: (x) => Math.pow(2, x),
  expm1: Math.expm1, fabs: Math.abs, floor: Math.floor, gamma: (x) => lgammaSigned(x)[0], lgamma: (x) => lgammaSigned(x)[0],
  tgamma, log: Math.log, log10: Math.log10, log1p: Math.log1p, log2: Math.log2, logb: (x) => x === 0 ? -Infinity : !Number.isFinite(x) ? Math.abs(x) : frexp(x)[1] - 1,
  nearbyint: rint, rint, pow10: (x) => Math.pow(10, x), round: (x) => Math.sign(x) * Math.round(Math.abs(x)),
  significand: (x) => x === 0 || !Number.isFinite(x) ? x : frexp(x)[0] * 2, sin: Math.sin, sinh: Math.sinh, sqrt: Math.sqrt,
  tan: Math.tan, tanh: Math.tanh, trunc: Math.trunc, j0: (x) => besselJ(0, x), j1: (x) => besselJ(1, x),
  y0: (x) => besselY(0, x), y1: (x) => besselY(1, x),
}
for (const [name, f] of Object.entries(ONE)) unary(name, f)
unary('frexp', (x) => frexp(x))
unary('modf', (x) => Number.isFinite(x) ? [x - Math.trunc(x), Math.trunc(x)] : [Number.isNaN(x) ? x : 0, x])
unary('lgamma_r', (x) => lgammaSigned(x))

const ldexp = (x: number, e: number) => x * Math.pow(2, Math.trunc(e))
const TWO: Record<string, (x: number, y: number) => number> = {
  pow: Math.pow, atan2: Math.atan2, fmod: (x, y) => x % y, hypot: Math.hypot, fmin: (x, y) => Number.isNaN(x) ? y : Number.isNaN(y) ? x : Math.min(x, y),
  fmax: (x, y) => Number.isNaN(x) ? y : Number.isNaN(y) ? x : Math.max(x, y), fdim: (x, y) => x > y ? x - y : 0,
  copysign: (x, y) => Math.abs(x) * (y < 0 || Object.is(y, -0) ? -1 : 1), drem: (x, y) => x - rint(x / y) * y,
  ldexp, scalb: ldexp, scalbln: ldexp, nextafter, nexttoward: nextafter,
}
for (const [name, f] of Object.entries(TWO)) nary(name, 2, f)
nary('fma', 3, (x, y, z) => x * y + z)
