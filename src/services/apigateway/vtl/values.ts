// The values a VTL template works with, as Velocity's Java objects behave: strings, integers and
// doubles, booleans, lists (ArrayList), maps (LinkedHashMap) and host objects ($input, $util, $context).

/** A Java Double: kept apart from integers because Java prints `1.0` where an Integer prints `1`. */
export class JavaDouble {
  readonly value: number
  constructor(value: number) {
    this.value = value
  }
}

/** An object the gateway provides ($input, $util, $context…): properties and methods by name. */
export interface HostObject {
  readonly host: true
  /** Undefined: no such property (the reference renders as written). */
  property(name: string): Value | undefined
  /** Undefined: no such method. */
  call?(name: string, args: Value[]): Value | undefined
  /** `#set($context.responseOverride.status = 400)`: false when the object takes no such assignment. */
  assign?(name: string, value: Value): boolean
  toString(): string
}

export type Value = null | string | number | boolean | JavaDouble | Value[] | VtlMap | HostObject

/** Keys are compared as Java's HashMap does for the keys templates use (strings, numbers). */
export type VtlMap = Map<string | number | boolean | null, Value>

/** A template error (parse error, exception in a method, a budget exceeded): API Gateway answers 500. */
export class VtlError extends Error {}

export function isHost(v: Value): v is HostObject {
  return typeof v === 'object' && v !== null && !(v instanceof JavaDouble) && !Array.isArray(v) && !(v instanceof Map)
}

export function isNumber(v: Value): v is number | JavaDouble {
  return typeof v === 'number' || v instanceof JavaDouble
}

export function numberOf(v: number | JavaDouble): number {
  return typeof v === 'number' ? v : v.value
}

/** Java's Double.toString: `1.0`, `249.99`, `1.0E10`, `1.0E-4`. */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity'
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0'
  const abs = Math.abs(n)
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n)
    return s.includes('.') ? s : `${s}.0`
  }
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string]
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`
}

/** What Velocity writes for a value: Java's toString (`[a, b]`, `{k=v}`). */
export function render(v: Value): string {
  if (v === null) return 'null'
  if (typeof v === 'string') return v
  if (typeof v === 'number') return String(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (v instanceof JavaDouble) return javaDouble(v.value)
  if (Array.isArray(v)) return `[${v.map(render).join(', ')}]`
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${render(k)}=${render(x)}`).join(', ')}}`
  return v.toString()
}

/** Velocity 1.7's #if: null and false are false, anything else (an empty string too) is true. */
export function truthy(v: Value): boolean {
  return v !== null && v !== false
}

/** Velocity's `==`: numbers by value, same kinds by Java's equals, other mixes by their toString. */
export function vtlEquals(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b
  if (isNumber(a) && isNumber(b)) return numberOf(a) === numberOf(b)
  if (typeof a === typeof b && typeof a !== 'object') return a === b
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => javaEquals(x, b[i]!))
  if (a instanceof Map && b instanceof Map) {
    return a.size === b.size && [...a].every(([k, x]) => b.has(k) && javaEquals(x, b.get(k)!))
  }
  return render(a) === render(b)
}

/** Java's equals (List.contains, String.equals): no toString mixing, an Integer never equals a Double. */
export function javaEquals(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b
  if (typeof a === 'number' && typeof b === 'number') return a === b
  if (a instanceof JavaDouble && b instanceof JavaDouble) return a.value === b.value
  if (Array.isArray(a) || a instanceof Map) return (Array.isArray(b) || b instanceof Map) && vtlEquals(a, b)
  return typeof a === typeof b && a === b
}

/** A JSON document as Velocity values: objects become maps, `1.0` stays a double (JSON.parse's source text says so). */
export function fromJson(text: string): Value {
  const parsed: unknown = JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => {
    if (typeof value === 'number' && (!Number.isInteger(value) || /[.eE]/.test(context?.source ?? ''))) return new JavaDouble(value)
    return value
  })
  return toValue(parsed)
}

function toValue(v: unknown): Value {
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof JavaDouble) return v
  if (Array.isArray(v)) return v.map(toValue)
  const map: VtlMap = new Map()
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) map.set(k, toValue(x))
  return map
}

/** A value as JSON text (`$input.json`): maps as objects, doubles as Java writes them. */
export function toJson(v: Value): string {
  if (v === null) return 'null'
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (v instanceof JavaDouble) return Number.isFinite(v.value) ? javaDouble(v.value) : 'null'
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${JSON.stringify(render(k))}:${toJson(x)}`).join(',')}}`
  return JSON.stringify(v.toString())
}
