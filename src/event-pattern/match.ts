// Decides whether one branch of a compiled pattern matches a flattened event.
import type { FlatEvent } from './flatten.ts'
import type { FieldTest } from './leaf.ts'

export function branchMatches(fields: readonly FieldTest[], event: FlatEvent): boolean {
  // Array positions only matter when two or more of the branch's fields have values in arrays.
  let inArrays = 0
  for (const field of fields) if (event.fields.get(field.path)?.inArray === true) inArrays++
  if (inArrays < 2) {
    for (const field of fields) if (!fieldMatchesAlone(field, event)) return false
    return true
  }
  const chosen = new Int32Array(event.arrays).fill(-1)
  return assign(fields, 0, event, chosen)
}

function fieldMatchesAlone(field: FieldTest, event: FlatEvent): boolean {
  const flat = event.fields.get(field.path)
  if (flat === undefined) return field.matchesAbsent
  if (!field.matchesPresent) return false
  for (const value of flat.values) if (field.test(value)) return true
  return false
}

/**
 * Backtracking over fields: each takes a value whose array positions agree with those already
 * chosen, so {a: {b: [1], c: [2]}} does not match a: [{b: 1}, {c: 2}] (Event Ruler's
 * ArrayMembership rule). Absence (`exists: false`) is decided on the whole event.
 */
function assign(fields: readonly FieldTest[], i: number, event: FlatEvent, chosen: Int32Array): boolean {
  const field = fields[i]
  if (field === undefined) return true
  const flat = event.fields.get(field.path)
  if (flat === undefined) return field.matchesAbsent && assign(fields, i + 1, event, chosen)
  if (!field.matchesPresent) return false
  for (let v = 0; v < flat.values.length; v++) {
    if (!field.test(flat.values[v]!)) continue
    const membership = flat.memberships[v]!
    if (!consistent(membership, chosen)) continue
    const added: number[] = []
    for (let m = 0; m < membership.length; m += 2) {
      if (chosen[membership[m]!] === -1) {
        chosen[membership[m]!] = membership[m + 1]!
        added.push(membership[m]!)
      }
    }
    if (assign(fields, i + 1, event, chosen)) return true
    for (const id of added) chosen[id] = -1
  }
  return false
}

function consistent(membership: readonly number[], chosen: Int32Array): boolean {
  for (let m = 0; m < membership.length; m += 2) {
    const current = chosen[membership[m]!]!
    if (current !== -1 && current !== membership[m + 1]) return false
  }
  return true
}
