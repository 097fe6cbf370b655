// An event as Event Ruler sees it: leaves under dotted paths. Arrays contribute each element under
// the same path, remembering which element it came from so that two fields matched inside an
// array of objects must come from the same object.
import type { Leaf } from './leaf.ts'

export interface FlatField {
  readonly values: Leaf[]
  /** Per value: [arrayId, index, arrayId, index, …] for the arrays it sits in; empty outside arrays. */
  readonly memberships: number[][]
  /** Some value sits inside an array (only then can array positions constrain a match). */
  inArray: boolean
}

export interface FlatEvent {
  readonly fields: ReadonlyMap<string, FlatField>
  /** How many arrays the event holds (ids run 0…arrays-1). */
  readonly arrays: number
}

/**
 * How deep an event is walked: Event Ruler reads JSON through Jackson, whose default nesting limit
 * is 1,000 levels (EventBridge: "PutEvents will only process nested JSON up to 1100 levels deep").
 */
export const MAX_EVENT_DEPTH = 1_000

/**
 * Flattens `event`. `wanted` (every path of a pattern and all their prefixes) skips the parts no
 * pattern looks at; without it the whole event is flattened (PatternIndex).
 */
export function flattenEvent(event: unknown, wanted?: ReadonlySet<string>): FlatEvent {
  const fields = new Map<string, FlatField>()
  let arrays = 0
  const visit = (value: unknown, path: string, membership: number[], depth: number): void => {
    if (Array.isArray(value)) {
      // Nesting past what Event Ruler parses holds nothing a pattern can match (and would exhaust the stack).
      if (depth >= MAX_EVENT_DEPTH) return
      const id = arrays++
      value.forEach((element, index) => visit(element, path, [...membership, id, index], depth + 1))
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= MAX_EVENT_DEPTH) return
      for (const key in value) {
        const child = path === '' ? key : `${path}.${key}`
        if (wanted === undefined || wanted.has(child)) visit((value as Record<string, unknown>)[key], child, membership, depth + 1)
      }
    } else if (path !== '') {
      let field = fields.get(path)
      if (field === undefined) fields.set(path, (field = { values: [], memberships: [], inArray: false }))
      field.values.push(value as Leaf)
      field.memberships.push(membership)
      if (membership.length > 0) field.inArray = true
    }
  }
  if (typeof event === 'object' && event !== null && !Array.isArray(event)) visit(event, '', [], 0)
  return { fields, arrays }
}

/** Every path and each of its dotted prefixes ("a.b.c" → a, a.b, a.b.c). */
export function pathPrefixes(paths: Iterable<string>): Set<string> {
  const wanted = new Set<string>()
  for (const path of paths) {
    wanted.add(path)
    for (let i = path.indexOf('.'); i !== -1; i = path.indexOf('.', i + 1)) wanted.add(path.slice(0, i))
  }
  return wanted
}
