// Coral's front-end validation of a request against the model's constraints (lengths, ranges,
// patterns, enums), worded as AWS's Coral services (Kinesis, Firehose) word it: "2 validation errors
// detected: Value 'x' at 'streamName' failed to satisfy constraint: Member must …; …" — member paths
// in lowerCamel, list items 1-based as `records.3.member`. Run on the parsed input, before the handler.
import { AwsError } from './errors.ts'
import type { ServiceModel } from './model.ts'

const patterns = new Map<string, RegExp | null>()

/** "N validation error(s) detected: …" — Coral's ValidationException over one or more problems. */
export function coralValidationError(problems: readonly string[]): AwsError {
  const count = problems.length
  return new AwsError('ValidationException', `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`)
}

export interface CoralValidationOptions {
  /**
   * String shapes that also pass by a pattern of Nimbus's own (a service's by-design leniency, e.g.
   * Firehose's http:// endpoints); a value matching neither is reported with the model's pattern.
   */
  alsoAccept?: ReadonlyMap<string, RegExp>
}

/** Throws ValidationException listing every violated constraint; returns quietly otherwise. */
export function validateCoralInput(model: ServiceModel, shapeName: string, input: Record<string, unknown>,
  options: CoralValidationOptions = {}): void {
  const found: Found = { problems: [], alsoAccept: options.alsoAccept }
  walkStructure(model, shapeName, input, '', found)
  if (found.problems.length > 0) throw coralValidationError(found.problems)
}

/**
 * A service's operation table with this validation run first in every operation that has an input
 * shape (Coral's front end checks the request before any business rule or resource is looked at).
 */
export function withCoralValidation<Table extends Record<string, (input: never, ctx: never) => unknown>>(model: ServiceModel,
  table: Table, options: CoralValidationOptions = {}): Table {
  const out: Record<string, (input: never, ctx: never) => unknown> = {}
  for (const [name, handler] of Object.entries(table)) {
    const input = model.operation(name)?.input
    out[name] = input === undefined ? handler : (args, ctx) => {
      validateCoralInput(model, input, args as Record<string, unknown>, options)
      return handler(args, ctx)
    }
  }
  return out as Table
}

/** What a walk collects, and the leniencies it applies. */
interface Found {
  problems: string[]
  alsoAccept: ReadonlyMap<string, RegExp> | undefined
}

const lowerCamel = (name: string): string => `${name.charAt(0).toLowerCase()}${name.slice(1)}`

function walkStructure(model: ServiceModel, shapeName: string, value: Record<string, unknown>, path: string, found: Found): void {
  for (const [name, member] of model.members(shapeName)) {
    const v = value[name]
    if (v === undefined) continue
    check(model, member.shape, v, `${path}${lowerCamel(name)}`, found)
  }
}

/** A list item's path is only built when something in it fails (PutRecords checks 500 records a call). */
function check(model: ServiceModel, shapeName: string, value: unknown, path: string | (() => string), found: Found): void {
  const shape = model.shape(shapeName)
  const fail = (constraint: string) => found.problems.push(`Value '${render(model, shapeName, value)}' at '${typeof path === 'string' ? path : path()}' ` +
    `failed to satisfy constraint: ${constraint}`)
  switch (shape.type) {
    case 'string': {
      const s = value as string
      if (shape.min !== undefined && s.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`)
      if (shape.max !== undefined && s.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`)
      if (shape.enum !== undefined && !shape.enum.includes(s)) fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`)
      if (shape.pattern !== undefined && !matches(shape.pattern, s) && found.alsoAccept?.get(shapeName)?.test(s) !== true) {
        fail(`Member must satisfy regular expression pattern: ${shape.pattern}`)
      }
      return
    }
    case 'integer':
    case 'long': {
      const n = value as number
      if (shape.min !== undefined && n < shape.min) fail(`Member must have value greater than or equal to ${shape.min}`)
      if (shape.max !== undefined && n > shape.max) fail(`Member must have value less than or equal to ${shape.max}`)
      return
    }
    case 'blob': {
      const b = value as Buffer
      if (shape.min !== undefined && b.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`)
      if (shape.max !== undefined && b.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`)
      return
    }
    case 'list': {
      const list = value as unknown[]
      if (shape.min !== undefined && list.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`)
      if (shape.max !== undefined && list.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`)
      const base = typeof path === 'string' ? path : path()
      const item = shape.member!.shape
      for (let i = 0; i < list.length; i++) check(model, item, list[i], () => `${base}.${i + 1}.member`, found)
      return
    }
    case 'map': {
      const map = value as Record<string, unknown>
      const size = Object.keys(map).length
      if (shape.min !== undefined && size < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`)
      if (shape.max !== undefined && size > shape.max) fail(`Member must have length less than or equal to ${shape.max}`)
      // One line for all the keys, one for all the values, each listing every constraint of its shape
      // (Coral's "Map keys must satisfy constraint: [...]", "Map value must satisfy constraint: [...]").
      const keys = shape.key?.shape
      if (keys !== undefined && Object.keys(map).some((k) => !satisfies(model, keys, k))) {
        fail(`Map keys must satisfy constraint: [${constraintsOf(model, keys).join(', ')}]`)
      }
      const values = shape.value?.shape
      if (values !== undefined && Object.values(map).some((v) => typeof v === 'string' && !satisfies(model, values, v))) {
        fail(`Map value must satisfy constraint: [${constraintsOf(model, values).join(', ')}]`)
      }
      return
    }
    case 'structure':
      if (shape.document === true) return
      for (const [name, member] of model.members(shapeName)) {
        const v = (value as Record<string, unknown>)[name]
        if (v === undefined) continue
        check(model, member.shape, v, () => `${typeof path === 'string' ? path : path()}.${lowerCamel(name)}`, found)
      }
      return
    default:
  }
}

/** Whether a map's string key or value meets its shape's lengths, enum and pattern. */
function satisfies(model: ServiceModel, shapeName: string, value: string): boolean {
  const shape = model.shape(shapeName)
  if (shape.type !== 'string') return true
  return (shape.min === undefined || value.length >= shape.min) && (shape.max === undefined || value.length <= shape.max) &&
    (shape.enum === undefined || shape.enum.includes(value)) && (shape.pattern === undefined || matches(shape.pattern, value))
}

/** A string shape's constraints as Coral lists them for map keys and values: max, min, then enum/pattern. */
function constraintsOf(model: ServiceModel, shapeName: string): string[] {
  const shape = model.shape(shapeName)
  return [
    ...(shape.max === undefined ? [] : [`Member must have length less than or equal to ${shape.max}`]),
    ...(shape.min === undefined ? [] : [`Member must have length greater than or equal to ${shape.min}`]),
    ...(shape.enum === undefined ? [] : [`Member must satisfy enum value set: [${shape.enum.join(', ')}]`]),
    ...(shape.pattern === undefined ? [] : [`Member must satisfy regular expression pattern: ${shape.pattern}`]),
  ]
}

/**
 * Whole-string match, as Coral applies model patterns. A model pattern JavaScript can't compile (Java
 * regex syntax it lacks) is not applied rather than refusing every request.
 */
function matches(pattern: string, value: string): boolean {
  let re = patterns.get(pattern)
  if (re === undefined) {
    // Unicode mode for `\p{L}`; without it for identity escapes like `\_` that Java allows and it refuses.
    re = compile(pattern, 'u') ?? compile(pattern, '')
    patterns.set(pattern, re)
  }
  return re === null || re.test(value)
}

function compile(pattern: string, flags: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`, flags)
  } catch {
    return null
  }
}

/**
 * How Coral prints the offending value (Java's toString): strings as they are, blobs as Java's
 * ByteBuffer, lists as `[a, b]`, structures as `Shape(member=value, …)` with absent members null. [R for lists and structures]
 */
function render(model: ServiceModel, shapeName: string, value: unknown): string {
  if (value === undefined || value === null) return 'null'
  if (Buffer.isBuffer(value)) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`
  const shape = model.shape(shapeName)
  if (Array.isArray(value)) return `[${value.map((v) => render(model, shape.member?.shape ?? '', v)).join(', ')}]`
  if (shape.type === 'structure' && shape.document !== true && typeof value === 'object') {
    const record = value as Record<string, unknown>
    return `${shapeName}(${model.members(shapeName).map(([name, m]) => `${lowerCamel(name)}=${render(model, m.shape, record[name])}`).join(', ')})`
  }
  if (value instanceof Date) return value.toISOString()
  // A map as Java prints one: {key=value, …} (Coral's rendering of Kinesis's tags, EventBridge's maps).
  if (shape.type === 'map' && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${render(model, shape.value?.shape ?? '', v)}`).join(', ')}}`
  }
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
