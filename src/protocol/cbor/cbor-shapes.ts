// CBOR ⇄ model values for AWS's CBOR flavour of awsJson 1.1 (Kinesis): the same structures as JSON,
// but blobs travel as byte strings and timestamps as tag 1 (epoch milliseconds), so nothing is base64.
import { protocolErrors } from '../errors.ts'
import type { ServiceModel } from '../model.ts'
import { coralTypeError } from '../coral-type-errors.ts'
import { checkStrictBase64 } from '../strict-base64.ts'
import { parseTimestamp } from '../timestamps.ts'
import { CborTag } from './cbor.ts'

const MAX_DEPTH = 100

/** Reads a decoded CBOR value into the model's types (Date for timestamps, Buffer for blobs). */
export function readCborShape(model: ServiceModel, shapeName: string, value: unknown, path: string[] = []): unknown {
  if (value === null || value === undefined) return undefined
  if (path.length > MAX_DEPTH) throw protocolErrors.serialization('The request body is nested too deeply.')
  const shape = model.shape(shapeName)
  switch (shape.type) {
    case 'structure': {
      if (!isMap(value)) throw wrongType(model, shape.type, value, path, 'a structure')
      if (shape.document === true) return value
      const out: Record<string, unknown> = {}
      for (const [name, member] of model.members(shapeName)) {
        const key = member.locationName ?? name
        if (!Object.hasOwn(value, key)) continue
        path.push(name)
        const v = readCborShape(model, member.shape, value[key], path)
        path.pop()
        if (v !== undefined) out[name] = v
      }
      return out
    }
    case 'list': {
      if (!Array.isArray(value)) throw wrongType(model, shape.type, value, path, 'a list')
      const item = shape.member!.shape
      const structure = model.shape(item).type === 'structure'
      const out: unknown[] = []
      for (let i = 0; i < value.length; i++) {
        path.push(`[${i}]`)
        const v = readCborShape(model, item, value[i], path) ?? (structure ? {} : undefined)
        path.pop()
        if (v !== undefined) out.push(v)
      }
      return out
    }
    case 'map': {
      if (!isMap(value)) throw wrongType(model, shape.type, value, path, 'a map')
      const out: Record<string, unknown> = {}
      for (const k of Object.keys(value)) {
        path.push(k)
        const v = readCborShape(model, shape.value!.shape, value[k], path)
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
      if (typeof value !== 'number') throw wrongType(model, shape.type, value, path, 'a number')
      return value
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(model, shape.type, value, path, 'a boolean')
      return value
    case 'timestamp': {
      // Tag 1 (kept as a CborTag by the decoder) is a date; an untagged number is epoch seconds as in JSON.
      const date = value instanceof CborTag && value.tag === 1 ? tagOneDate(value.value) : parseTimestamp(value)
      if (date === undefined) throw wrongType(model, shape.type, value, path, 'a timestamp')
      return date
    }
    case 'blob':
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
      // Some clients put a blob as text; AWS's CBOR front end reads it as base64 like JSON's. [R]
      if (typeof value === 'string') {
        if (model.quirks.strictBase64 === true) checkStrictBase64(value)
        return Buffer.from(value, 'base64')
      }
      throw wrongType(model, shape.type, value, path, 'a byte string')
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof CborTag)
}

/** The SerializationException for a value of the wrong type: Coral's wording where the service opts in. */
function wrongType(model: ServiceModel, type: string, value: unknown, path: string[], expected: string) {
  return (model.quirks.coralTypeErrors === true ? coralTypeError(type, value) : undefined) ?? mismatch(path, expected)
}

function mismatch(path: string[], expected: string) {
  const where = path.join('.').replace(/\.\[/g, '[')
  return protocolErrors.serialization(`Value at '${where || 'body'}' must be ${expected}`)
}

/**
 * Tag 1 is "epoch-based date/time". AWS's CBOR clients (the Java SDK's `SdkCborGenerator`) write an
 * integer of epoch milliseconds under it; a float is RFC 8949's seconds. Undated or NaN → undefined.
 */
export function tagOneDate(value: unknown): Date | undefined {
  const ms = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? (Number.isInteger(value) ? value : Math.round(value * 1000)) : NaN
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** What differs between AWS's two CBOR protocols when writing a model value. */
export interface CborWriteFlavour {
  /** The wire key of a structure member. */
  key(name: string, locationName: string | undefined): string
  /** A timestamp value (a Date, or epoch seconds) as CBOR-ready data. */
  timestamp(value: unknown): unknown
}

/** `application/x-amz-cbor-1.1` (Kinesis): JSON's member names, tag 1 + integer epoch milliseconds. */
export const amzCbor11: CborWriteFlavour = {
  key: (name, locationName) => locationName ?? name,
  timestamp: (value) => value instanceof Date ? new CborTag(1, value.getTime()) : value,
}

/** Smithy RPC v2 CBOR: member names as modelled, timestamps as Dates (the codec writes tag 1 + epoch seconds). */
export const smithyRpcV2: CborWriteFlavour = {
  key: (name) => name,
  timestamp: (value) => value instanceof Date ? value : new Date(Number(value) * 1000),
}

/** Writes a model value as CBOR-ready data: undefined members dropped, blobs as bytes, timestamps per the flavour. */
export function writeCborShape(model: ServiceModel, shapeName: string, value: unknown, flavour: CborWriteFlavour = amzCbor11): unknown {
  if (value === null || value === undefined) return undefined
  const shape = model.shape(shapeName)
  switch (shape.type) {
    case 'structure': {
      if (shape.document === true) return value
      const out: Record<string, unknown> = {}
      const source = value as Record<string, unknown>
      for (const [name, member] of model.members(shapeName)) {
        if (member.location !== undefined) continue
        const v = writeCborShape(model, member.shape, source[name], flavour)
        if (v !== undefined) out[flavour.key(name, member.locationName)] = v
      }
      return out
    }
    case 'list':
      return (value as unknown[]).map((item) => writeCborShape(model, shape.member!.shape, item, flavour))
    case 'map': {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const item = writeCborShape(model, shape.value!.shape, v, flavour)
        if (item !== undefined) out[k] = item
      }
      return out
    }
    case 'blob':
      return value instanceof Uint8Array ? value : Buffer.from(String(value))
    case 'timestamp':
      return flavour.timestamp(value)
    default:
      return value
  }
}
