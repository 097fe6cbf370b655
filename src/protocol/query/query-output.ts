// Writes model-shaped output as awsQuery XML (flattened lists and maps, locationNames).
import { type MemberRef, queryElementName, type ServiceModel } from '../model.ts'
import { formatTimestamp } from '../timestamps.ts'
import type { XmlWriter } from '../xml.ts'

export function writeQueryShape(model: ServiceModel, shapeName: string, value: unknown, name: string, w: XmlWriter): void {
  if (value === undefined || value === null) return
  const shape = model.shape(shapeName)
  switch (shape.type) {
    case 'structure': {
      w.open(name)
      writeMembers(model, shapeName, value as Record<string, unknown>, w)
      w.close(name)
      return
    }
    case 'list':
    case 'map':
      writeCollection(model, { shape: shapeName }, value, name, w)
      return
    default:
      w.leaf(name, scalarText(shape.type, value))
  }
}

/** Writes a structure's members without the enclosing element (used for result wrappers). */
export function writeMembers(model: ServiceModel, shapeName: string, value: Record<string, unknown>, w: XmlWriter): void {
  const shape = model.shape(shapeName)
  for (const [memberName, member] of Object.entries(shape.members ?? {})) {
    const v = value[memberName]
    if (v === undefined || v === null) continue
    const target = model.shape(member.shape)
    const elementName = queryElementName(member) ?? memberName
    if (target.type === 'list' || target.type === 'map') writeCollection(model, member, v, elementName, w)
    else writeQueryShape(model, member.shape, v, elementName, w)
  }
}

function writeCollection(model: ServiceModel, ref: MemberRef, value: unknown, name: string, w: XmlWriter): void {
  const shape = model.shape(ref.shape)
  const flat = ref.flattened === true || shape.flattened === true
  if (shape.type === 'list') {
    const item = shape.member!
    const list = value as unknown[]
    if (flat) {
      for (const v of list) writeQueryShape(model, item.shape, v, queryElementName(item) ?? name, w)
      return
    }
    w.open(name)
    for (const v of list) writeQueryShape(model, item.shape, v, queryElementName(item) ?? 'member', w)
    w.close(name)
    return
  }
  const keyName = queryElementName(shape.key) ?? 'key'
  const valueName = queryElementName(shape.value) ?? 'value'
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  if (!flat) w.open(name)
  for (const [k, v] of entries) {
    w.open(flat ? name : 'entry')
    w.leaf(keyName, k)
    writeQueryShape(model, shape.value!.shape, v, valueName, w)
    w.close(flat ? name : 'entry')
  }
  if (!flat) w.close(name)
}

function scalarText(type: string, value: unknown): string {
  if (type === 'timestamp') return String(formatTimestamp(value as Date, 'iso8601'))
  if (type === 'blob') return Buffer.from(value as Uint8Array).toString('base64')
  return String(value)
}
