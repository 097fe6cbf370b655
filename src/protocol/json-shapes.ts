// JSON ⇄ model values, shared by awsJson1_0/1_1 and restJson1 bodies: timestamps as epoch seconds,
// blobs as base64, type checks that answer SerializationException as AWS's JSON front ends do.
import { protocolErrors } from './errors.ts'
import type { ServiceModel, ShapeModel, TimestampFormat } from './model.ts'
import { coralTypeError } from './coral-type-errors.ts'
import { checkStrictBase64 } from './strict-base64.ts'
import { formatTimestamp, parseTimestamp } from './timestamps.ts'

type Value = unknown

/** Members, list items and map values a request may nest (far beyond any model's non-recursive depth). */
const MAX_DEPTH = 100

/** Reads a JSON value into the model's types (Date for timestamps, Buffer for blobs). */
export function readJsonShape(model: ServiceModel, shapeName: string, value: Value, path: string): Value {
  return read(model, shapeName, value, path === '' ? [] : [path])
}

/**
 * `path` is a stack of member names and list indexes (numbers, formatted only when a value is wrong:
 * parsing stays allocation-light, with no "[i]" string per item of a 500-record list).
 */
function read(model: ServiceModel, shapeName: string, value: Value, path: Array<string | number>): Value {
  if (value === null || value === undefined) return undefined
  // The walk follows the model, which nests a few levels; only a recursive shape could go deeper,
  // and a document nested thousands deep must not exhaust the stack there either.
  if (path.length > MAX_DEPTH) throw protocolErrors.serialization('The request body is nested too deeply.')
  const shape = model.shape(shapeName)
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(model, shape.type, value, path, 'a structure')
      if (shape.document === true) return value
      const out: Record<string, Value> = {}
      const source = value as Record<string, Value>
      for (const [name, member] of model.members(shapeName)) {
        const key = member.locationName ?? name
        if (!Object.hasOwn(source, key)) continue
        path.push(name)
        const v = read(model, member.shape, source[key], path)
        path.pop()
        if (v !== undefined) out[name] = v
      }
      return out
    }
    case 'list': {
      if (!Array.isArray(value)) throw wrongType(model, shape.type, value, path, 'a list')
      const item = shape.member!.shape
      // No holes reach a handler: a null structure is an empty one (validation then names what it
      // lacks, as for a query "Entry.1="), a null scalar is dropped, as SDKs drop them from dense lists.
      const structure = model.shape(item).type === 'structure'
      const out: Value[] = []
      for (let i = 0; i < value.length; i++) {
        path.push(i)
        const v = read(model, item, value[i], path) ?? (structure ? {} : undefined)
        path.pop()
        if (v !== undefined) out.push(v)
      }
      return out
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(model, shape.type, value, path, 'a map')
      const out: Record<string, Value> = {}
      for (const k in value as Record<string, Value>) {
        path.push(k)
        const v = read(model, shape.value!.shape, (value as Record<string, Value>)[k], path)
        path.pop()
        if (v !== undefined) out[k] = v
      }
      return out
    }
    case 'string':
      if (typeof value !== 'string') throw wrongType(model, shape.type, value, path, 'a string')
      return value
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(model, shape.type, value, path, 'an integer')
      return value
    case 'double':
    case 'float':
      // Smithy's JSON protocols send the non-finite doubles as strings (boto3's NaN is "NaN"); the
      // service's own validation then answers for them.
      if (typeof value === 'string' && Object.hasOwn(nonFinite, value)) return nonFinite[value]
      if (typeof value !== 'number') throw wrongType(model, shape.type, value, path, 'a number')
      return value
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(model, shape.type, value, path, 'a boolean')
      return value
    case 'timestamp': {
      const date = parseTimestamp(value)
      if (date === undefined) throw wrongType(model, shape.type, value, path, 'a timestamp')
      return date
    }
    case 'blob':
      if (typeof value !== 'string') throw wrongType(model, shape.type, value, path, 'a base64 string')
      if (model.quirks.strictBase64 === true) checkStrictBase64(value)
      return Buffer.from(value, 'base64')
  }
}

const nonFinite: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY }

/** The SerializationException for a value of the wrong type: Coral's wording where the service opts in. */
function wrongType(model: ServiceModel, type: string, value: unknown, path: Array<string | number>, expected: string) {
  return (model.quirks.coralTypeErrors === true ? coralTypeError(type, value) : undefined) ?? mismatch(path, expected)
}

function mismatch(path: Array<string | number>, expected: string) {
  const where = path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[')
  return protocolErrors.serialization(`Value at '${where || 'body'}' must be ${expected}`)
}

/**
 * Writes a model value as JSON-ready data, dropping undefined members. A member's own
 * `timestampFormat` wins over its shape's, which wins over the protocol's epoch seconds.
 */
export function writeJsonShape(model: ServiceModel, shapeName: string, value: Value,
  memberFormat?: TimestampFormat): Value {
  if (value === null || value === undefined) return undefined
  const shape: ShapeModel = model.shape(shapeName)
  switch (shape.type) {
    case 'structure': {
      if (shape.document === true) return value
      const out: Record<string, Value> = {}
      const source = value as Record<string, Value>
      for (const [name, member] of model.members(shapeName)) {
        if (member.location !== undefined) continue
        const v = source[name]
        if (v === undefined) continue
        out[member.locationName ?? name] = writeJsonShape(model, member.shape, v, member.timestampFormat)
      }
      return out
    }
    case 'list':
      return (value as Value[]).map((item) => writeJsonShape(model, shape.member!.shape, item, shape.member!.timestampFormat))
    case 'map': {
      const out: Record<string, Value> = {}
      for (const [k, v] of Object.entries(value as Record<string, Value>)) {
        if (v !== undefined) out[k] = writeJsonShape(model, shape.value!.shape, v, shape.value!.timestampFormat)
      }
      return out
    }
    case 'timestamp':
      return formatTimestamp(value as Date, memberFormat ?? shape.timestampFormat ?? 'unixTimestamp')
    case 'blob':
      // A Buffer (what services hand over) is encoded where it is, not copied first.
      return (Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array)).toString('base64')
    default:
      return value
  }
}
