// Reads a parsed restXml body into model values: locationNames, flattened and wrapped lists and
// maps, attributes. Namespaces are ignored on read, as AWS's own parsers do.
import type { MemberRef, ServiceModel, ShapeModel } from '../model.ts'
import type { InvalidValue } from '../http-bindings.ts'
import { parseTimestamp } from '../timestamps.ts'
import type { XmlElement } from '../xml-parser.ts'

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1)
}

function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  const local = localName(name)
  return element.children.filter((child) => child.name === local)
}

function isFlattened(ref: MemberRef, shape: ShapeModel): boolean {
  return ref.flattened === true || shape.flattened === true
}

/** Reads a structure element's members (those not bound to the HTTP parts). */
export function readXmlStructure(model: ServiceModel, shapeName: string, element: XmlElement, path: string,
  invalid: InvalidValue): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, member] of Object.entries(model.shape(shapeName).members ?? {})) {
    if (member.location !== undefined) continue
    const value = readMember(model, element, name, member, `${path}${path === '' ? '' : '.'}${name}`, invalid)
    if (value !== undefined) out[name] = value
  }
  return out
}

function readMember(model: ServiceModel, parent: XmlElement, name: string, member: MemberRef, path: string,
  invalid: InvalidValue): unknown {
  const shape = model.shape(member.shape)
  const elementName = member.locationName ?? name
  if (member.xmlAttribute === true) {
    const key = Object.keys(parent.attributes).find((k) => k === elementName || localName(k) === localName(elementName))
    return key === undefined ? undefined : readScalar(shape, member, parent.attributes[key]!, path, invalid)
  }
  if (shape.type === 'list' && isFlattened(member, shape)) {
    // Flattened: the items repeat in the parent under the member's name (botocore also accepts the item's name).
    let items = childrenNamed(parent, elementName)
    if (items.length === 0 && shape.member!.locationName !== undefined) items = childrenNamed(parent, shape.member!.locationName)
    return items.length === 0 ? undefined : items.map((item, i) => readValue(model, shape.member!, item, `${path}[${i}]`, invalid))
  }
  if (shape.type === 'map' && isFlattened(member, shape)) {
    const entries = childrenNamed(parent, elementName)
    return entries.length === 0 ? undefined : readEntries(model, shape, entries, path, invalid)
  }
  const child = childrenNamed(parent, elementName)[0]
  return child === undefined ? undefined : readValue(model, member, child, path, invalid)
}

function readValue(model: ServiceModel, ref: MemberRef, element: XmlElement, path: string, invalid: InvalidValue): unknown {
  const shape = model.shape(ref.shape)
  switch (shape.type) {
    case 'structure':
      return readXmlStructure(model, ref.shape, element, path, invalid)
    case 'list': {
      const itemName = shape.member!.locationName ?? 'member'
      return childrenNamed(element, itemName).map((item, i) => readValue(model, shape.member!, item, `${path}[${i}]`, invalid))
    }
    case 'map':
      return readEntries(model, shape, childrenNamed(element, 'entry'), path, invalid)
    default:
      return readScalar(shape, ref, element.text, path, invalid)
  }
}

function readEntries(model: ServiceModel, shape: ShapeModel, entries: XmlElement[], path: string, invalid: InvalidValue): Record<string, unknown> {
  const keyName = shape.key?.locationName ?? 'key'
  const valueName = shape.value?.locationName ?? 'value'
  const out: Record<string, unknown> = {}
  for (const entry of entries) {
    const key = childrenNamed(entry, keyName)[0]?.text
    const value = childrenNamed(entry, valueName)[0]
    if (key === undefined || value === undefined) continue
    out[key] = readValue(model, shape.value!, value, `${path}.${key}`, invalid)
  }
  return out
}

function readScalar(shape: ShapeModel, ref: MemberRef, text: string, path: string, invalid: InvalidValue): unknown {
  const raw = text.trim()
  switch (shape.type) {
    case 'string':
      return text
    case 'integer':
    case 'long':
      if (!/^[+-]?\d+$/.test(raw)) throw invalid(`Value '${text}' at '${path}' must be an integer.`)
      return Number(raw)
    case 'double':
    case 'float': {
      const n = Number(raw)
      if (raw === '' || Number.isNaN(n) && raw !== 'NaN') throw invalid(`Value '${text}' at '${path}' must be a number.`)
      return n
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw invalid(`Value '${text}' at '${path}' must be true or false.`)
      return raw === 'true'
    case 'timestamp': {
      const date = parseTimestamp(raw)
      if (date === undefined) throw invalid(`Value '${text}' at '${path}' must be a timestamp (${ref.timestampFormat ?? shape.timestampFormat ?? 'iso8601'}).`)
      return date
    }
    case 'blob':
      return Buffer.from(raw, 'base64')
    default:
      return text
  }
}
