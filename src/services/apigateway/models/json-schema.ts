// A JSON Schema draft 4 validator, as API Gateway applies a method's request model to a request body:
// type, enum, properties / required / additionalProperties / patternProperties / dependencies,
// items / additionalItems, the size and range keywords, allOf / anyOf / oneOf / not, and `$ref` — to
// `#/definitions/…` in the same schema or to another model of the API by its URL
// (`https://apigateway.amazonaws.com/restapis/{id}/models/{name}`). The messages follow the Java
// validator AWS runs (they reach `$context.error.validationErrorString`) [R: their exact wording].
// `pattern`/`patternProperties` matches run bounded (core/bounded-regex.ts).
import { boundedTest, RegexTimeout } from '../../../core/bounded-regex.ts'

/** Finds another model's schema (parsed) by name; undefined when the API has no such model. */
export type ModelLookup = (name: string) => unknown

const modelRef = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)(#.*)?$/

/** References deeper than this are a loop (`A` → `B` → `A`): the body is refused rather than the server. */
const maxDepth = 64

type SchemaObject = Record<string, unknown>

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

const show = (v: unknown) => JSON.stringify(v)

/** Equality as JSON Schema means it (enum, uniqueItems): structural, key order aside. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]))
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]))
  }
  return false
}

/** A JSON pointer (`/definitions/pet`) into a schema document. */
function pointer(root: unknown, fragment: string): unknown {
  if (fragment === '' || fragment === '#') return root
  const path = fragment.replace(/^#/, '')
  if (!path.startsWith('/')) return undefined
  return path.slice(1).split('/').reduce<unknown>((node, raw) => {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    return isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined
  }, root)
}

const regexes = new Map<string, boolean>()
/** ECMA 262 patterns (whether one compiles is remembered); one that doesn't compile matches nothing. */
function compiles(source: string): boolean {
  let ok = regexes.get(source)
  if (ok === undefined) {
    try {
      new RegExp(source, 'u') // compiled here only to know it does; matching is bounded
      ok = true
    } catch {
      ok = false
    }
    if (regexes.size > 1000) regexes.clear()
    regexes.set(source, ok)
  }
  return ok
}

/** Whether `pattern` matches somewhere in `text`, run with the regex bound (core/bounded-regex.ts); 'timeout' past it. */
function patternMatches(pattern: string, text: string): boolean | 'timeout' {
  if (!compiles(pattern)) return false
  try {
    return boundedTest(pattern, 'u', text)
  } catch (error) {
    if (error instanceof RegexTimeout) return 'timeout'
    throw error
  }
}

class Validator {
  readonly errors: string[] = []
  private readonly lookup: ModelLookup

  constructor(lookup: ModelLookup) {
    this.lookup = lookup
  }

  check(schema: unknown, value: unknown, root: unknown, depth: number): void {
    if (depth > maxDepth) {
      this.errors.push('schema references nest too deep')
      return
    }
    if (!isObject(schema)) return
    if (typeof schema.$ref === 'string') {
      // Draft 4: a `$ref` replaces the rest of its schema.
      this.ref(schema.$ref, value, root, depth)
      return
    }
    const before = this.errors.length
    this.checkType(schema, value)
    if (this.errors.length > before) return
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => equal(e, value))) {
      this.errors.push(`instance value (${show(value)}) not found in enum (possible values: ${show(schema.enum)})`)
    }
    if (typeof value === 'string') this.checkString(schema, value)
    else if (typeof value === 'number') this.checkNumber(schema, value)
    else if (Array.isArray(value)) this.checkArray(schema, value, root, depth)
    else if (isObject(value)) this.checkObject(schema, value, root, depth)
    this.checkCombinators(schema, value, root, depth)
  }

  private ref(ref: string, value: unknown, root: unknown, depth: number): void {
    const model = modelRef.exec(ref)
    if (model !== null) {
      const target = this.lookup(decodeURIComponent(model[1]!))
      if (target === undefined) {
        this.errors.push(`unresolvable reference: ${ref}`)
        return
      }
      this.check(pointer(target, model[2] ?? ''), value, target, depth + 1)
      return
    }
    if (!ref.startsWith('#')) {
      this.errors.push(`unresolvable reference: ${ref}`)
      return
    }
    const target = pointer(root, ref)
    if (target === undefined) this.errors.push(`unresolvable reference: ${ref}`)
    else this.check(target, value, root, depth + 1)
  }

  private checkType(schema: SchemaObject, value: unknown): void {
    if (schema.type === undefined) return
    const allowed = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is string => typeof t === 'string')
    const actual = typeOf(value)
    if (allowed.includes(actual) || (actual === 'integer' && allowed.includes('number'))) return
    this.errors.push(`instance type (${actual}) does not match any allowed primitive type (allowed: ${show(allowed)})`)
  }

  private checkString(schema: SchemaObject, value: string): void {
    // Characters are code points (a surrogate pair counts once), as JSON Schema counts them.
    const length = value.length - (value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0)
    if (typeof schema.minLength === 'number' && length < schema.minLength) {
      this.errors.push(`string ${show(value)} is too short (length: ${length}, required minimum: ${schema.minLength})`)
    }
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
      this.errors.push(`string ${show(value)} is too long (length: ${length}, maximum allowed: ${schema.maxLength})`)
    }
    if (typeof schema.pattern === 'string') {
      const matched = patternMatches(schema.pattern, value)
      // A pattern that runs past the regex bound fails the validation like a mismatch [R].
      if (matched === 'timeout') this.errors.push(`ECMA 262 regex ${show(schema.pattern)} took too long on input string ${show(value)}`)
      else if (!matched) this.errors.push(`ECMA 262 regex ${show(schema.pattern)} does not match input string ${show(value)}`)
    }
  }

  private checkNumber(schema: SchemaObject, value: number): void {
    if (typeof schema.minimum === 'number') {
      const exclusive = schema.exclusiveMinimum === true
      if (exclusive ? value <= schema.minimum : value < schema.minimum) {
        this.errors.push(`numeric instance is ${exclusive ? 'not strictly greater than' : 'lower than'} the required minimum (minimum: ${schema.minimum}, found: ${value})`)
      }
    }
    if (typeof schema.maximum === 'number') {
      const exclusive = schema.exclusiveMaximum === true
      if (exclusive ? value >= schema.maximum : value > schema.maximum) {
        this.errors.push(`numeric instance is ${exclusive ? 'not strictly lower than' : 'greater than'} the required maximum (maximum: ${schema.maximum}, found: ${value})`)
      }
    }
    if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
      const quotient = value / schema.multipleOf
      if (Math.abs(quotient - Math.round(quotient)) > 1e-9) {
        this.errors.push(`numeric instance is not a multiple of divisor (divisor: ${schema.multipleOf}, input: ${value})`)
      }
    }
  }

  private checkArray(schema: SchemaObject, value: unknown[], root: unknown, depth: number): void {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      this.errors.push(`array is too short: must have at least ${schema.minItems} elements but instance has ${value.length} elements`)
    }
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      this.errors.push(`array is too long: must have at most ${schema.maxItems} elements but instance has ${value.length} elements`)
    }
    if (schema.uniqueItems === true && value.some((v, i) => value.findIndex((w) => equal(v, w)) !== i)) {
      this.errors.push('array must not contain duplicate elements')
    }
    if (Array.isArray(schema.items)) {
      const tuple = schema.items
      value.forEach((item, i) => {
        if (i < tuple.length) this.check(tuple[i], item, root, depth)
        else if (schema.additionalItems === false) this.errors.push(`array instance has more elements than allowed (${value.length} > ${tuple.length})`)
        else this.check(schema.additionalItems, item, root, depth)
      })
    } else if (schema.items !== undefined) {
      for (const item of value) this.check(schema.items, item, root, depth)
    }
  }

  private checkObject(schema: SchemaObject, value: Record<string, unknown>, root: unknown, depth: number): void {
    const keys = Object.keys(value)
    if (Array.isArray(schema.required)) {
      const missing = schema.required.filter((k): k is string => typeof k === 'string' && !Object.hasOwn(value, k))
      if (missing.length > 0) this.errors.push(`object has missing required properties (${show(missing)})`)
    }
    if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) {
      this.errors.push(`object has too few properties (found ${keys.length} but schema requires at least ${schema.minProperties})`)
    }
    if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) {
      this.errors.push(`object has too many properties (found ${keys.length} but schema requires at most ${schema.maxProperties})`)
    }
    const properties = isObject(schema.properties) ? schema.properties : {}
    const patterns = isObject(schema.patternProperties) ? Object.entries(schema.patternProperties) : []
    const extra: string[] = []
    for (const key of keys) {
      let matched = false
      if (Object.hasOwn(properties, key)) {
        matched = true
        this.check(properties[key], value[key], root, depth)
      }
      for (const [pattern, sub] of patterns) {
        const hit = patternMatches(pattern, key)
        if (hit === 'timeout') this.errors.push(`ECMA 262 regex ${show(pattern)} took too long on property name ${show(key)}`)
        else if (hit) {
          matched = true
          this.check(sub, value[key], root, depth)
        }
      }
      if (matched) continue
      if (schema.additionalProperties === false) extra.push(key)
      else if (isObject(schema.additionalProperties)) this.check(schema.additionalProperties, value[key], root, depth)
    }
    if (extra.length > 0) this.errors.push(`object instance has properties which are not allowed by the schema: ${show(extra)}`)
    if (isObject(schema.dependencies)) {
      for (const [key, dependency] of Object.entries(schema.dependencies)) {
        if (!Object.hasOwn(value, key)) continue
        if (Array.isArray(dependency)) {
          const missing = dependency.filter((d): d is string => typeof d === 'string' && !Object.hasOwn(value, d))
          if (missing.length > 0) this.errors.push(`property ${show(key)} of object has missing property dependencies (schema requires ${show(dependency)}; missing: ${show(missing)})`)
        } else {
          this.check(dependency, value, root, depth)
        }
      }
    }
  }

  private checkCombinators(schema: SchemaObject, value: unknown, root: unknown, depth: number): void {
    const passes = (sub: unknown) => {
      const probe = new Validator(this.lookup)
      probe.check(sub, value, root, depth + 1)
      return probe.errors.length === 0
    }
    if (Array.isArray(schema.allOf)) for (const sub of schema.allOf) this.check(sub, value, root, depth + 1)
    if (Array.isArray(schema.anyOf) && !schema.anyOf.some(passes)) {
      this.errors.push('instance failed to match at least one required schema among ' + schema.anyOf.length)
    }
    if (Array.isArray(schema.oneOf)) {
      const matching = schema.oneOf.filter(passes).length
      if (matching !== 1) this.errors.push(`instance failed to match exactly one schema (matched ${matching} out of ${schema.oneOf.length})`)
    }
    if (schema.not !== undefined && passes(schema.not)) this.errors.push('instance matched a schema which it should not have')
  }
}

/** The reasons `value` breaks `schema` (none: it conforms). */
export function validateJson(schema: unknown, value: unknown, lookup: ModelLookup): string[] {
  const validator = new Validator(lookup)
  validator.check(schema, value, schema, 0)
  return validator.errors
}

/** The models a schema names by URL (CreateModel/UpdateModel refuse a reference to a model that doesn't exist). */
export function referencedModels(schema: unknown): string[] {
  const names = new Set<string>()
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk)
    else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        const m = key === '$ref' && typeof value === 'string' ? modelRef.exec(value) : null
        if (m !== null) names.add(decodeURIComponent(m[1]!))
        else walk(value)
      }
    }
  }
  walk(schema)
  return [...names]
}
