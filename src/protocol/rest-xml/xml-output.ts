// Writes model values as restXml: elements named by locationName, flattened and wrapped lists and
// maps, xmlAttribute members as attributes, xmlNamespace as xmlns, timestamps ISO 8601.
import type { MemberRef, ServiceModel, ShapeModel } from '../model.ts'
import { formatTimestamp } from '../timestamps.ts'
import type { XmlWriter } from '../xml.ts'

/** `xmlns` (or `xmlns:prefix`) for a namespace the model declares on a member or shape. */
export function namespaceAttribute(ns: { uri: string; prefix?: string } | undefined): Record<string, string> {
  if (ns === undefined) return {}
  return { [ns.prefix === undefined ? 'xmlns' : `xmlns:${ns.prefix}`]: ns.uri }
}

/** Writes a structure as an element; `extra` adds attributes (the root's namespace). */
export function writeXmlStructure(model: ServiceModel, shapeName: string, value: Record<string, unknown>, name: string,
  w: XmlWriter, extra: Record<string, string> = {}): void {
  const shape = model.shape(shapeName)
  const attributes: Record<string, string> = { ...extra }
  const members = Object.entries(shape.members ?? {}).filter(([, m]) => m.location === undefined)
  for (const [memberName, member] of members) {
    const v = value[memberName]
    if (member.xmlAttribute !== true || v === undefined || v === null) continue
    attributes[member.locationName ?? memberName] = scalarText(model.shape(member.shape), member, v)
  }
  w.open(name, attributes)
  for (const [memberName, member] of members) {
    const v = value[memberName]
    if (member.xmlAttribute === true || v === undefined || v === null) continue
    writeMember(model, member, v, member.locationName ?? memberName, w)
  }
  w.close(name)
}

function writeMember(model: ServiceModel, ref: MemberRef, value: unknown, name: string, w: XmlWriter): void {
  const shape = model.shape(ref.shape)
  const flattened = ref.flattened === true || shape.flattened === true
  const ns = namespaceAttribute(ref.xmlNamespace ?? shape.xmlNamespace)
  switch (shape.type) {
    case 'structure':
      writeXmlStructure(model, ref.shape, value as Record<string, unknown>, name, w, ns)
      return
    case 'list': {
      const items = (value as unknown[]).filter((item) => item !== undefined && item !== null)
      // Flattened lists repeat the member's own element (S3's <Contents>); others wrap <member>s.
      if (flattened) {
        for (const item of items) writeMember(model, shape.member!, item, name, w)
        return
      }
      w.open(name, ns)
      for (const item of items) writeMember(model, shape.member!, item, shape.member!.locationName ?? 'member', w)
      w.close(name)
      return
    }
    case 'map':
      writeMap(model, shape, value as Record<string, unknown>, name, flattened, w)
      return
    default:
      if (Object.keys(ns).length === 0) w.leaf(name, scalarText(shape, ref, value))
      else w.open(name, ns).text(scalarText(shape, ref, value)).close(name)
  }
}

function writeMap(model: ServiceModel, shape: ShapeModel, value: Record<string, unknown>, name: string, flattened: boolean,
  w: XmlWriter): void {
  const keyName = shape.key?.locationName ?? 'key'
  const valueName = shape.value?.locationName ?? 'value'
  if (!flattened) w.open(name)
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue
    w.open(flattened ? name : 'entry')
    w.leaf(keyName, k)
    writeMember(model, shape.value!, v, valueName, w)
    w.close(flattened ? name : 'entry')
  }
  if (!flattened) w.close(name)
}

function scalarText(shape: ShapeModel, ref: MemberRef, value: unknown): string {
  if (shape.type === 'timestamp' && value instanceof Date) {
    return String(formatTimestamp(value, ref.timestampFormat ?? shape.timestampFormat ?? 'iso8601'))
  }
  if (shape.type === 'blob') return Buffer.from(value as Uint8Array).toString('base64')
  return String(value)
}
