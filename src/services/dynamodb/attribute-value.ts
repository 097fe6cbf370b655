// DynamoDB's AttributeValue: validation as DynamoDB words it (one type, sets non-empty and distinct,
// numbers canonicalised in place), equality, ordering (numbers numerically, strings by UTF-8 bytes,
// binary bytewise) and the item size AWS documents.
import { dynamoErrors } from './errors.ts'
import { limits } from './limits.ts'
import { compareNumbers, normalizeNumber } from './numbers.ts'

/** One attribute value as the protocol layer reads it (B and BS members are Buffers). */
export interface AttributeValue {
  S?: string
  N?: string
  B?: Uint8Array
  SS?: string[]
  NS?: string[]
  BS?: Uint8Array[]
  M?: Record<string, AttributeValue>
  L?: AttributeValue[]
  NULL?: boolean
  BOOL?: boolean
}

export type Item = Record<string, AttributeValue>

export type TypeName = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL'

export const typeNames: readonly TypeName[] = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']

/** The one type a value carries (validated values only). */
export function typeOf(value: AttributeValue): TypeName {
  for (const k in value) if ((value as Record<string, unknown>)[k] !== undefined) return k as TypeName
  return 'NULL'
}

/**
 * Validates a value (and everything nested), canonicalising numbers in place. `depth` counts
 * document nesting (DynamoDB allows 32 levels).
 */
export function validateValue(value: AttributeValue, depth = 0): void {
  let type: string | undefined
  for (const k in value) {
    if ((value as Record<string, unknown>)[k] === undefined) continue
    if (type !== undefined) {
      throw dynamoErrors.validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes')
    }
    type = k
  }
  if (type === undefined) throw dynamoErrors.validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes')
  switch (type) {
    case 'N':
      value.N = normalizeNumber(value.N!)
      return
    case 'SS':
      if (value.SS!.length === 0) throw dynamoErrors.invalid('An string set  may not be empty')
      checkDistinct(value.SS!, value.SS!)
      return
    case 'NS': {
      if (value.NS!.length === 0) throw dynamoErrors.invalid('An number set  may not be empty')
      const original = value.NS!.slice()
      value.NS = value.NS!.map(normalizeNumber)
      checkDistinct(value.NS, original)
      return
    }
    case 'BS': {
      if (value.BS!.length === 0) throw dynamoErrors.invalid('Binary sets should not be empty')
      checkDistinct(value.BS!.map((b) => Buffer.from(b).toString('base64')), value.BS!.map((b) => Buffer.from(b).toString('base64')))
      return
    }
    case 'M':
    case 'L': {
      if (depth >= limits.maxNestingDepth) throw dynamoErrors.validation('Nesting Levels have exceeded supported limits')
      const children = type === 'M' ? Object.values(value.M!) : value.L!
      for (const child of children) validateValue(child, depth + 1)
      return
    }
    case 'NULL':
      if (value.NULL !== true) throw dynamoErrors.invalid('Null attribute value types must have the value of true')
      return
  }
}

function checkDistinct(keys: readonly string[], shown: readonly unknown[]): void {
  if (new Set(keys).size !== keys.length) throw dynamoErrors.invalid(`Input collection [${shown.join(', ')}] contains duplicates.`)
}

/** Validates every attribute of an item (attribute names must not be empty). */
export function validateItem(item: Item): void {
  for (const name in item) {
    if (name.length === 0) throw dynamoErrors.invalid('An AttributeValue may not contain an empty attribute name')
    validateValue(item[name]!)
  }
}

/** UTF-8 byte order of two JS strings (UTF-16 order differs only where surrogates meet U+E000–U+FFFF). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    return utf8Rank(x) - utf8Rank(y)
  }
  return a.length - b.length
}

function utf8Rank(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return c + 0x2000
  if (c >= 0xe000) return c - 0x800
  return c
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b)
}

/** Orders two scalars of the same type (S, N or B); undefined when the types differ or aren't ordered. */
export function compareScalars(a: AttributeValue, b: AttributeValue): number | undefined {
  if (a.S !== undefined && b.S !== undefined) return compareUtf8(a.S, b.S)
  if (a.N !== undefined && b.N !== undefined) return compareNumbers(a.N, b.N)
  if (a.B !== undefined && b.B !== undefined) return compareBytes(a.B, b.B)
  return undefined
}

/** DynamoDB equality: same type and value; sets compare as sets, maps by keys, lists in order. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a)
  if (ta !== typeOf(b)) return false
  switch (ta) {
    case 'S': return a.S === b.S
    case 'N': return compareNumbers(a.N!, b.N!) === 0
    case 'B': return Buffer.compare(a.B!, b.B!) === 0
    case 'BOOL': return a.BOOL === b.BOOL
    case 'NULL': return true
    case 'SS': return sameSet(a.SS!, b.SS!)
    case 'NS': return sameSet(a.NS!.map(normalizeNumber), b.NS!.map(normalizeNumber))
    case 'BS': return sameSet(a.BS!.map(base64), b.BS!.map(base64))
    case 'L': return a.L!.length === b.L!.length && a.L!.every((v, i) => valuesEqual(v, b.L![i]!))
    case 'M': {
      const ka = Object.keys(a.M!)
      return ka.length === Object.keys(b.M!).length && ka.every((k) => b.M![k] !== undefined && valuesEqual(a.M![k]!, b.M![k]!))
    }
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const set = new Set(a)
  return b.every((x) => set.has(x))
}

export const base64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')

/** AWS's documented item size: UTF-8 name bytes plus each value's size. */
export function itemSize(item: Item): number {
  let size = 0
  for (const name in item) size += Buffer.byteLength(name, 'utf8') + valueSize(item[name]!)
  return size
}

/** A value's bytes: strings UTF-8, numbers ~1 byte per 2 significant digits + 1, documents 3 + 1 per element. */
export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S, 'utf8')
  if (value.N !== undefined) return numberSize(value.N)
  if (value.B !== undefined) return value.B.length
  if (value.SS !== undefined) return value.SS.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0)
  if (value.NS !== undefined) return value.NS.reduce((n, s) => n + numberSize(s), 0)
  if (value.BS !== undefined) return value.BS.reduce((n, b) => n + b.length, 0)
  if (value.M !== undefined) {
    let size = 3
    for (const k in value.M) size += Buffer.byteLength(k, 'utf8') + valueSize(value.M[k]!) + 1
    return size
  }
  if (value.L !== undefined) return value.L.reduce((n, v) => n + valueSize(v) + 1, 3)
  return 1
}

function numberSize(text: string): number {
  const digits = text.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '')
  return Math.ceil(digits.length / 2) + 1
}

/** A deep copy (items handed out must not alias stored ones). */
export function cloneValue(value: AttributeValue): AttributeValue {
  if (value.M !== undefined) {
    const m: Record<string, AttributeValue> = {}
    for (const k in value.M) m[k] = cloneValue(value.M[k]!)
    return { M: m }
  }
  if (value.L !== undefined) return { L: value.L.map(cloneValue) }
  if (value.SS !== undefined) return { SS: value.SS.slice() }
  if (value.NS !== undefined) return { NS: value.NS.slice() }
  if (value.BS !== undefined) return { BS: value.BS.slice() }
  return value
}

export function cloneItem(item: Item): Item {
  const out: Item = {}
  for (const k in item) out[k] = cloneValue(item[k]!)
  return out
}

/** A value as plain JSON (binary as base64): what rows store. */
export function toJsonValue(value: AttributeValue): unknown {
  if (value.B !== undefined) return { B: base64(value.B) }
  if (value.BS !== undefined) return { BS: value.BS.map(base64) }
  if (value.M !== undefined) return { M: toJsonItem(value.M) }
  if (value.L !== undefined) return { L: value.L.map(toJsonValue) }
  return value
}

export function toJsonItem(item: Item): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k in item) out[k] = toJsonValue(item[k]!)
  return out
}

export function fromJsonValue(json: Record<string, unknown>): AttributeValue {
  if (typeof json.B === 'string') return { B: Buffer.from(json.B, 'base64') }
  if (Array.isArray(json.BS)) return { BS: (json.BS as string[]).map((b) => Buffer.from(b, 'base64')) }
  if (json.M !== undefined) return { M: fromJsonItem(json.M as Record<string, Record<string, unknown>>) }
  if (Array.isArray(json.L)) return { L: (json.L as Record<string, unknown>[]).map(fromJsonValue) }
  return json as AttributeValue
}

export function fromJsonItem(json: Record<string, Record<string, unknown>>): Item {
  const out: Item = {}
  for (const k in json) out[k] = fromJsonValue(json[k]!)
  return out
}
