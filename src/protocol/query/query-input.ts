// Reads awsQuery / ec2Query form parameters ("Attribute.1.Name=…") into model-shaped input.
import { AwsError } from '../errors.ts'
import { type MemberRef, queryElementName, type ServiceModel, type ShapeModel } from '../model.ts'
import { parseTimestamp } from '../timestamps.ts'

/** Form keys split on "." into a tree; a leaf is the raw string value. */
export type QueryNode = string | { [key: string]: QueryNode }

export function buildQueryTree(params: URLSearchParams, skip: ReadonlySet<string>): { [key: string]: QueryNode } {
  const root: { [key: string]: QueryNode } = {}
  for (const [key, value] of params) {
    if (skip.has(key)) continue
    const parts = key.split('.')
    let node = root
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!
      const next = node[part]
      if (typeof next === 'object') node = next
      else node = node[part] = next === undefined ? {} : { '': next }
    }
    const last = parts[parts.length - 1]!
    const existing = node[last]
    if (typeof existing === 'object') existing[''] = value
    else node[last] = value
  }
  return root
}

export interface QueryDialect {
  /** ec2Query names members by queryName, else the capitalised locationName; awsQuery by locationName. */
  memberKey(name: string, member: MemberRef): string
  /** ec2Query lists are always flattened, their items named by the list member's own key ("InstanceId.1"). */
  alwaysFlattened: boolean
}

export const awsQueryDialect: QueryDialect = {
  memberKey: (name, member) => queryElementName(member) ?? name,
  alwaysFlattened: false,
}

function invalid(path: string, value: string, expected: string): AwsError {
  return new AwsError('InvalidParameterValue', `Value ${value} for parameter ${path} is invalid. Reason: must be ${expected}.`)
}

function items(node: QueryNode | undefined): QueryNode[] {
  if (node === undefined || typeof node === 'string') return []
  return Object.keys(node)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => (node as Record<string, QueryNode>)[k]!)
}

function flattened(ref: MemberRef | undefined, shape: ShapeModel, dialect: QueryDialect): boolean {
  return dialect.alwaysFlattened || ref?.flattened === true || shape.flattened === true
}

export function readQueryShape(model: ServiceModel, shapeName: string, node: QueryNode | undefined, path: string,
  dialect: QueryDialect): unknown {
  if (node === undefined) return undefined
  const shape = model.shape(shapeName)
  if (shape.type === 'structure') {
    // "Entry.1=" names a structure with no members: an empty one, whose missing members validation reports.
    if (typeof node === 'string') return {}
    const out: Record<string, unknown> = {}
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      const value = readMember(model, node, name, member, dialect)
      if (value !== undefined) out[name] = value
    }
    return out
  }
  if (typeof node !== 'string') node = node[''] ?? ''
  if (typeof node !== 'string') return undefined
  return readScalar(shape, node, path)
}

function readMember(model: ServiceModel, parent: { [key: string]: QueryNode }, name: string, member: MemberRef,
  dialect: QueryDialect): unknown {
  const shape = model.shape(member.shape)
  // A member without a query name of its own takes its shape's, as the SDKs serialise it
  // (SQS TagQueue: Tags → TagMap named "Tag", so "Tag.1.Key=…").
  const named = queryElementName(member) === undefined && shape.queryLocationName !== undefined
    ? { ...member, queryLocationName: shape.queryLocationName } : member
  const key = dialect.memberKey(name, named)
  if (shape.type === 'list') {
    const item = shape.member!
    const nodes = dialect.alwaysFlattened ? items(parent[key])
      : flattened(member, shape, dialect) ? items(parent[queryElementName(item) ?? key] ?? parent[key])
      : items(childOf(parent[key], queryElementName(item) ?? 'member'))
    if (nodes.length === 0) {
      // "Member=" with no items is how query clients send an empty list.
      return parent[key] === '' ? [] : undefined
    }
    return nodes.map((n, i) => readQueryShape(model, item.shape, n, `${name}.${i + 1}`, dialect))
  }
  if (shape.type === 'map') {
    const keyName = queryElementName(shape.key) ?? 'key'
    const valueName = queryElementName(shape.value) ?? 'value'
    const entries = flattened(member, shape, dialect) ? items(parent[key]) : items(childOf(parent[key], 'entry'))
    if (entries.length === 0) return undefined
    const out: Record<string, unknown> = {}
    for (const entry of entries) {
      if (typeof entry === 'string') continue
      const k = entry[keyName]
      if (typeof k !== 'string') continue
      // A key without a value ("MessageAttribute.1.Name=a") is an entry with an empty structure
      // (validation then names its missing members); a scalar without a value is no entry at all.
      const value = readQueryShape(model, shape.value!.shape, entry[valueName] ?? '', `${name}.${k}`, dialect)
      if (value !== undefined) out[k] = value
    }
    return out
  }
  return readQueryShape(model, member.shape, parent[key], name, dialect)
}

function childOf(node: QueryNode | undefined, key: string): QueryNode | undefined {
  return node === undefined || typeof node === 'string' ? undefined : node[key]
}

function readScalar(shape: ShapeModel, raw: string, path: string): unknown {
  switch (shape.type) {
    case 'string':
      return raw
    case 'integer':
    case 'long': {
      if (!/^[+-]?\d+$/.test(raw.trim())) throw invalid(path, raw, 'an integer')
      return Number(raw)
    }
    case 'double':
    case 'float': {
      const n = Number(raw)
      if (raw.trim() === '' || Number.isNaN(n)) throw invalid(path, raw, 'a number')
      return n
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw invalid(path, raw, 'a boolean')
      return raw === 'true'
    case 'timestamp': {
      const date = parseTimestamp(raw)
      if (date === undefined) throw invalid(path, raw, 'a timestamp')
      return date
    }
    case 'blob':
      return Buffer.from(raw, 'base64')
    default:
      return raw
  }
}
