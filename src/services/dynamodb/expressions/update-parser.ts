// UpdateExpression grammar (SET/REMOVE/ADD/DELETE, each clause at most once, if_not_exists, list_append,
// + and -) and ProjectionExpression (comma-separated paths), with DynamoDB's overlap checks.
import { typeOf } from '../attribute-value.ts'
import { type Path, type SetOperand, type SetValue, type UpdateActions, formatPath } from './ast.ts'
import type { ExpressionContext } from './context.ts'
import { Reader } from './reader.ts'

const clauses = ['SET', 'REMOVE', 'ADD', 'DELETE'] as const
const conditionFunctions = ['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size']

/** DynamoDB's names for value types in update messages ("operand type: STRING"). */
const longTypeNames: Record<string, string> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', SS: 'STRING SET', NS: 'NUMBER SET', BS: 'BINARY SET', M: 'MAP', L: 'LIST', NULL: 'NULL', BOOL: 'BOOLEAN',
}

export function parseUpdate(source: string, ctx: ExpressionContext): UpdateActions {
  const r = new Reader(source, 'UpdateExpression', ctx)
  const actions: UpdateActions = { set: [], remove: [], add: [], delete: [] }
  const seen = new Set<string>()
  if (r.atEnd()) throw r.syntaxError()
  while (!r.atEnd()) {
    const token = r.next()
    const clause = token.kind === 'name' ? clauses.find((c) => c === token.text.toUpperCase()) : undefined
    if (clause === undefined) throw r.syntaxError(token)
    if (seen.has(clause)) throw r.error(`The "${clause}" section can only be used once in an update expression;`)
    seen.add(clause)
    do {
      if (clause === 'SET') {
        const path = r.path()
        r.expect('=')
        actions.set.push({ path, value: setValue(r) })
      } else if (clause === 'REMOVE') {
        actions.remove.push(r.path())
      } else {
        const path = r.path()
        const value = r.valueRef()
        const type = typeOf(value.value)
        const allowed = clause === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS']
        if (!allowed.includes(type)) {
          throw r.error(`Incorrect operand type for operator or function; operator: ${clause}, operand type: ${longTypeNames[type]}`)
        }
        actions[clause === 'ADD' ? 'add' : 'delete'].push({ path, value })
      }
    } while (r.accept(','))
  }
  checkOverlaps(r, [...actions.set.map((a) => a.path), ...actions.remove, ...actions.add.map((a) => a.path), ...actions.delete.map((a) => a.path)])
  return actions
}

function setValue(r: Reader): SetValue {
  const left = setOperand(r)
  if (r.accept('+')) return { kind: 'plus', left, right: setOperand(r) }
  if (r.accept('-')) return { kind: 'minus', left, right: setOperand(r) }
  return left
}

function setOperand(r: Reader): SetOperand {
  const token = r.peek()
  if (token.kind === 'colon') return r.valueRef()
  if (token.kind === 'name' && r.peek(1).text === '(') {
    r.next()
    const name = token.text
    if (conditionFunctions.includes(name)) throw r.error(`The function is not allowed in an update expression; function: ${name}`)
    if (name !== 'if_not_exists' && name !== 'list_append') throw r.error(`Invalid function name; function: ${name}`)
    r.expect('(')
    const args = [setOperand(r)]
    while (r.accept(',')) args.push(setOperand(r))
    r.expect(')')
    if (args.length !== 2) {
      throw r.error(`Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`)
    }
    if (name === 'if_not_exists') {
      if (args[0]!.kind !== 'path') throw r.error('Operator or function requires a document path; operator or function: if_not_exists')
      return { kind: 'if_not_exists', path: args[0]!, fallback: args[1]! }
    }
    for (const a of args) {
      if (a.kind === 'value' && a.value.L === undefined) {
        throw r.error(`Incorrect operand type for operator or function; operator or function: list_append, operand type: ${typeOf(a.value)}`)
      }
    }
    return { kind: 'list_append', first: args[0]!, second: args[1]! }
  }
  if (token.kind === 'name' || token.kind === 'hash') return r.path()
  throw r.syntaxError()
}

/** ProjectionExpression: paths separated by commas, none overlapping another. */
export function parseProjection(source: string, ctx: ExpressionContext): Path[] {
  const r = new Reader(source, 'ProjectionExpression', ctx)
  const paths = [r.path()]
  while (r.accept(',')) paths.push(r.path())
  if (!r.atEnd()) throw r.syntaxError()
  checkOverlaps(r, paths)
  return paths
}

/** Two paths overlap when one is a prefix of the other; they conflict when they differ in kind at a position [R]. */
function checkOverlaps(r: Reader, paths: Path[]): void {
  for (let i = 0; i < paths.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = paths[j]!.elements
      const b = paths[i]!.elements
      const n = Math.min(a.length, b.length)
      let k = 0
      while (k < n && a[k] === b[k]) k++
      if (k === n) {
        throw r.error('Two document paths overlap with each other; must remove or rewrite one of these paths; ' +
          `path one: ${formatPath(paths[j]!)}, path two: ${formatPath(paths[i]!)}`)
      }
      if (typeof a[k] !== typeof b[k]) {
        throw r.error('Two document paths conflict with each other; must remove or rewrite one of these paths; ' +
          `path one: ${formatPath(paths[j]!)}, path two: ${formatPath(paths[i]!)}`)
      }
    }
  }
}
