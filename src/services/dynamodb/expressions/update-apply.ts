// Applies parsed UpdateExpression actions to a copy of an item: every SET value is computed from the
// item as it was, then SET, REMOVE, ADD and DELETE are applied, with DynamoDB's runtime messages.
import { type AttributeValue, type Item, base64, cloneItem, cloneValue } from '../attribute-value.ts'
import { dynamoErrors } from '../errors.ts'
import { addNumbers } from '../numbers.ts'
import type { Path, SetOperand, SetValue, UpdateActions } from './ast.ts'
import { resolvePath } from './evaluate.ts'

const wrongType = () => dynamoErrors.validation('An operand in the update expression has an incorrect data type')
const invalidPath = () => dynamoErrors.validation('The document path provided in the update expression is invalid for update')

/** The updated item (a new object; `item` is untouched). */
export function applyUpdate(item: Item, actions: UpdateActions): Item {
  const values = actions.set.map((a) => computeSet(item, a.value))
  const out = cloneItem(item)
  actions.set.forEach((a, i) => setPath(out, a.path, values[i]!))
  // Removing list elements from the highest index down keeps the lower indexes meaning what they said.
  const removals = actions.remove.slice().sort((a, b) => {
    const x = a.elements[a.elements.length - 1]
    const y = b.elements[b.elements.length - 1]
    return typeof x === 'number' && typeof y === 'number' ? y - x : 0
  })
  for (const path of removals) removePath(out, path)
  for (const { path, value } of actions.add) {
    const current = resolvePath(out, path)
    setPath(out, path, add(current, value.value))
  }
  for (const { path, value } of actions.delete) {
    const current = resolvePath(out, path)
    if (current === undefined) continue
    const rest = subtractSet(current, value.value)
    if (rest === undefined) removePath(out, path)
    else setPath(out, path, rest)
  }
  return out
}

function computeSet(item: Item, value: SetValue): AttributeValue {
  if (value.kind === 'plus' || value.kind === 'minus') {
    const a = operand(item, value.left)
    const b = operand(item, value.right)
    if (a.N === undefined || b.N === undefined) throw wrongType()
    return { N: addNumbers(a.N, b.N, value.kind === 'minus') }
  }
  return operand(item, value as SetOperand)
}

function operand(item: Item, o: SetOperand): AttributeValue {
  switch (o.kind) {
    case 'value': return cloneValue(o.value)
    case 'path': {
      const v = resolvePath(item, o)
      if (v === undefined) throw dynamoErrors.validation('The provided expression refers to an attribute that does not exist in the item')
      return cloneValue(v)
    }
    case 'if_not_exists': {
      const v = resolvePath(item, o.path)
      return v === undefined ? operand(item, o.fallback) : cloneValue(v)
    }
    case 'list_append': {
      const a = operand(item, o.first)
      const b = operand(item, o.second)
      if (a.L === undefined || b.L === undefined) throw wrongType()
      return { L: [...a.L, ...b.L] }
    }
  }
}

/** The value holding a path's last element (undefined when something on the way is missing). */
function parentOf(item: Item, elements: Path['elements']): AttributeValue | undefined {
  let container = item[elements[0] as string]
  for (let i = 1; i < elements.length - 1; i++) {
    const e = elements[i]!
    container = typeof e === 'number' ? container?.L?.[e] : container?.M?.[e]
  }
  return container
}

/** Sets a path; every container on the way must exist (a list index past the end appends). */
function setPath(item: Item, path: Path, value: AttributeValue): void {
  const elements = path.elements
  if (elements.length === 1) {
    item[elements[0] as string] = value
    return
  }
  const container = parentOf(item, elements)
  const last = elements[elements.length - 1]!
  if (typeof last === 'number') {
    if (container?.L === undefined) throw invalidPath()
    if (last >= container.L.length) container.L.push(value)
    else container.L[last] = value
  } else {
    if (container?.M === undefined) throw invalidPath()
    container.M[last] = value
  }
}

function removePath(item: Item, path: Path): void {
  const elements = path.elements
  if (elements.length === 1) {
    delete item[elements[0] as string]
    return
  }
  const container = parentOf(item, elements)
  const last = elements[elements.length - 1]!
  if (typeof last === 'number') {
    if (container?.L !== undefined && last < container.L.length) container.L.splice(last, 1)
  } else if (container?.M !== undefined) {
    delete container.M[last]
  } else if (container === undefined || container.L === undefined) {
    // Removing under something that isn't a map is an invalid path; under nothing, nothing happens.
    if (container !== undefined) throw invalidPath()
  }
}

function add(current: AttributeValue | undefined, value: AttributeValue): AttributeValue {
  if (current === undefined) return cloneValue(value)
  if (value.N !== undefined) {
    if (current.N === undefined) throw wrongType()
    return { N: addNumbers(current.N, value.N) }
  }
  // Only legacy AttributeUpdates ADD reaches here with a list (the expression grammar refuses it): it appends.
  if (value.L !== undefined && current.L !== undefined) return { L: [...current.L, ...value.L] }
  if (value.SS !== undefined && current.SS !== undefined) return { SS: [...new Set([...current.SS, ...value.SS])] }
  if (value.NS !== undefined && current.NS !== undefined) {
    const seen = new Set(current.NS)
    return { NS: [...current.NS, ...value.NS.filter((n) => !seen.has(n))] }
  }
  if (value.BS !== undefined && current.BS !== undefined) {
    const seen = new Set(current.BS.map(base64))
    return { BS: [...current.BS, ...value.BS.filter((b) => !seen.has(base64(b)))] }
  }
  throw wrongType()
}

/** The set minus the given elements; undefined when nothing is left (the attribute goes). */
function subtractSet(current: AttributeValue, value: AttributeValue): AttributeValue | undefined {
  let rest: AttributeValue
  if (value.SS !== undefined && current.SS !== undefined) rest = { SS: current.SS.filter((s) => !value.SS!.includes(s)) }
  else if (value.NS !== undefined && current.NS !== undefined) rest = { NS: current.NS.filter((n) => !value.NS!.includes(n)) }
  else if (value.BS !== undefined && current.BS !== undefined) {
    const drop = new Set(value.BS.map(base64))
    rest = { BS: current.BS.filter((b) => !drop.has(base64(b))) }
  } else throw wrongType()
  return (rest.SS ?? rest.NS ?? rest.BS)!.length === 0 ? undefined : rest
}

/** The paths an update touches (UPDATED_OLD / UPDATED_NEW project by these). */
export function updatedPaths(actions: UpdateActions): Path[] {
  return [...actions.set.map((a) => a.path), ...actions.remove, ...actions.add.map((a) => a.path), ...actions.delete.map((a) => a.path)]
}
