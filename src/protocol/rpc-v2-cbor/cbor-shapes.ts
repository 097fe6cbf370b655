// Model values → CBOR-ready data: members by name, undefined dropped, timestamps as Dates (tag 1
// epoch seconds), blobs as byte strings, documents as they are.
import type { ServiceModel } from '../model.ts'

export function toCborShape(model: ServiceModel, shapeName: string, value: unknown): unknown {
  if (value === null || value === undefined) return undefined
  const shape = model.shape(shapeName)
  switch (shape.type) {
    case 'structure': {
      if (shape.document === true) return value
      const out: Record<string, unknown> = {}
      const source = value as Record<string, unknown>
      for (const [name, member] of model.members(shapeName)) {
        if (member.location !== undefined) continue
        const v = toCborShape(model, member.shape, source[name])
        if (v !== undefined) out[name] = v
      }
      return out
    }
    case 'list':
      return (value as unknown[]).map((item) => toCborShape(model, shape.member!.shape, item))
    case 'map': {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const item = toCborShape(model, shape.value!.shape, v)
        if (item !== undefined) out[k] = item
      }
      return out
    }
    case 'timestamp':
      return value instanceof Date ? value : new Date(Number(value) * 1000)
    case 'blob':
      return value instanceof Uint8Array ? value : Buffer.from(String(value))
    default:
      return value
  }
}
