// AWS's front-end validation of a Kinesis request against the model's constraints (lengths, ranges,
// patterns, enums), worded as Coral words it: "2 validation errors detected: Value 'x' at 'streamName'
// failed to satisfy constraint: Member must …; …" — member paths in lowerCamel, list items 1-based.
import type { ServiceModel } from '../../protocol/model.ts'
import { validationErrors } from './errors.ts'

const patterns = new Map<string, RegExp>()

/** Throws ValidationException listing every violated constraint; returns quietly otherwise. */
export function validateInput(model: ServiceModel, shapeName: string, input: Record<string, unknown>): void {
  const problems: string[] = []
  walkStructure(model, shapeName, input, '', problems)
  if (problems.length > 0) throw validationErrors(problems)
}

function walkStructure(model: ServiceModel, shapeName: string, value: Record<string, unknown>, path: string, problems: string[]): void {
  for (const [name, member] of model.members(shapeName)) {
    const v = value[name]
    if (v === undefined) continue
    check(model, member.shape, v, `${path}${name.charAt(0).toLowerCase()}${name.slice(1)}`, problems)
  }
}

/** A list item's path is only built when something in it fails (PutRecords checks 500 records a call). */
function check(model: ServiceModel, shapeName: string, value: unknown, path: string | (() => string), problems: string[]): void {
  const shape = model.shape(shapeName)
  const fail = (constraint: string) => problems.push(`Value ${render(value)} at '${typeof path === 'string' ? path : path()}' ` +
    `failed to satisfy constraint: ${constraint}`)
  switch (shape.type) {
    case 'string': {
      const s = value as string
      if (shape.min !== undefined && s.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`)
      if (shape.max !== undefined && s.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`)
      if (shape.enum !== undefined && !shape.enum.includes(s)) fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`)
      if (shape.pattern !== undefined && !matches(shape.pattern, s)) fail(`Member must satisfy regular expression pattern: ${shape.pattern}`)
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
      if (shape.max !== undefined && b.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`)
      return
    }
    case 'list': {
      const list = value as unknown[]
      if (shape.min !== undefined && list.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`)
      if (shape.max !== undefined && list.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`)
      const base = typeof path === 'string' ? path : path()
      const item = shape.member!.shape
      for (let i = 0; i < list.length; i++) check(model, item, list[i], () => `${base}.${i + 1}.member`, problems)
      return
    }
    case 'map': {
      const map = value as Record<string, unknown>
      const size = Object.keys(map).length
      if (shape.min !== undefined && size < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`)
      if (shape.max !== undefined && size > shape.max) fail(`Member must have length less than or equal to ${shape.max}`)
      return
    }
    case 'structure':
      for (const [name, member] of model.members(shapeName)) {
        const v = (value as Record<string, unknown>)[name]
        if (v === undefined) continue
        check(model, member.shape, v, () => `${typeof path === 'string' ? path : path()}.${name.charAt(0).toLowerCase()}${name.slice(1)}`, problems)
      }
      return
    default:
  }
}

/** Whole-string match, as Coral applies model patterns. */
function matches(pattern: string, value: string): boolean {
  let re = patterns.get(pattern)
  if (re === undefined) patterns.set(pattern, (re = new RegExp(`^(?:${pattern})$`, 'u')))
  return re.test(value)
}

/** How Coral prints the offending value: strings quoted, blobs as Java's ByteBuffer, lists as Java's toString. [R for lists] */
function render(value: unknown): string {
  if (Buffer.isBuffer(value)) return `'java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]'`
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === 'object' && v !== null ? '{…}' : String(v))).join(', ')}]'`
  if (typeof value === 'object' && value !== null) return `'${JSON.stringify(value)}'`
  return `'${String(value)}'`
}
