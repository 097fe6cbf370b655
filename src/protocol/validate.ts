// Finds the first required member an input lacks, walking nested structures, lists and maps.
import type { ServiceModel } from './model.ts'

/** Per model, whether a shape or anything under it has required members (most don't: skip their walk). */
const needsWalk = new WeakMap<ServiceModel, Map<string, boolean>>()

function hasRequired(model: ServiceModel, shapeName: string, seen = new Set<string>()): boolean {
  let cache = needsWalk.get(model)
  if (cache === undefined) needsWalk.set(model, (cache = new Map()))
  const known = cache.get(shapeName)
  if (known !== undefined) return known
  if (seen.has(shapeName)) return false // recursive shapes: the first visit decides
  seen.add(shapeName)
  const shape = model.shape(shapeName)
  let result = false
  if (shape.type === 'structure') {
    result = (shape.required?.length ?? 0) > 0 || model.members(shapeName).some(([, m]) => hasRequired(model, m.shape, seen))
  } else if (shape.type === 'list') {
    result = hasRequired(model, shape.member!.shape, seen)
  } else if (shape.type === 'map') {
    result = hasRequired(model, shape.value!.shape, seen)
  }
  cache.set(shapeName, result)
  return result
}

/** The dotted path of the first missing required member (e.g. `MessageAttributes.a.DataType`), if any. */
export function firstMissingMember(model: ServiceModel, shapeName: string, value: unknown): string | undefined {
  if (value === undefined || value === null || !hasRequired(model, shapeName)) return undefined
  return missingIn(model, shapeName, value)
}

/**
 * A list item or map value that is absent (`"Entries":[null]`, a query `Entry.1=` with no members)
 * is an empty structure: its first required member is what's missing, not a hole a handler trips on.
 */
function missingInItem(model: ServiceModel, shapeName: string, value: unknown): string | undefined {
  if (!hasRequired(model, shapeName)) return undefined
  if (value !== undefined && value !== null) return missingIn(model, shapeName, value)
  const shape = model.shape(shapeName)
  return shape.type === 'structure' ? missingIn(model, shapeName, {}) : undefined
}

function missingIn(model: ServiceModel, shapeName: string, value: unknown): string | undefined {
  const shape = model.shape(shapeName)
  if (shape.type === 'structure' && shape.members !== undefined) {
    const record = value as Record<string, unknown>
    for (const name of shape.required ?? []) {
      if (record[name] === undefined) return name
    }
    for (const [name, member] of model.members(shapeName)) {
      const v = record[name]
      if (v === undefined) continue
      const missing = firstMissingMember(model, member.shape, v)
      if (missing !== undefined) return `${name}.${missing}`
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const missing = missingInItem(model, shape.member!.shape, value[i])
      if (missing !== undefined) return `${i + 1}.${missing}`
    }
  } else if (shape.type === 'map') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const missing = missingInItem(model, shape.value!.shape, v)
      if (missing !== undefined) return `${k}.${missing}`
    }
  }
  return undefined
}
