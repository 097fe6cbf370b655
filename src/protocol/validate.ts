// Finds the first required member an input lacks, walking nested structures, lists and maps.
import type { ServiceModel } from './model.ts'

export function firstMissingMember(model: ServiceModel, shapeName: string, value: unknown, path = ''): string | undefined {
  if (value === undefined || value === null) return undefined
  const shape = model.shape(shapeName)
  if (shape.type === 'structure' && shape.members !== undefined) {
    const record = value as Record<string, unknown>
    for (const name of shape.required ?? []) {
      if (record[name] === undefined) return path === '' ? name : `${path}.${name}`
    }
    for (const [name, member] of Object.entries(shape.members)) {
      const v = record[name]
      if (v === undefined) continue
      const missing = firstMissingMember(model, member.shape, v, path === '' ? name : `${path}.${name}`)
      if (missing !== undefined) return missing
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const missing = firstMissingMember(model, shape.member!.shape, value[i], `${path}.${i + 1}`)
      if (missing !== undefined) return missing
    }
  } else if (shape.type === 'map') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const missing = firstMissingMember(model, shape.value!.shape, v, `${path}.${k}`)
      if (missing !== undefined) return missing
    }
  }
  return undefined
}
