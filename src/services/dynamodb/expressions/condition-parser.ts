// ConditionExpression / FilterExpression / KeyConditionExpression grammar, recursive descent with
// DynamoDB's precedence: OR < AND < NOT < comparisons, BETWEEN, IN, functions, parentheses.
import { typeNames } from '../attribute-value.ts'
import { compareScalars, typeOf } from '../attribute-value.ts'
import type { Comparator, Condition, ConditionFunction, Operand, Path } from './ast.ts'
import type { ExpressionContext } from './context.ts'
import { Reader } from './reader.ts'

const comparators: readonly string[] = ['=', '<>', '<', '<=', '>', '>=']
const conditionFunctions: Record<ConditionFunction, number> = {
  attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2,
}
const updateFunctions = ['if_not_exists', 'list_append']

/** Parses a whole condition; `kind` names it in messages ("ConditionExpression", "FilterExpression"…). */
export function parseCondition(source: string, kind: string, ctx: ExpressionContext): Condition {
  const reader = new Reader(source, kind, ctx)
  if (reader.atEnd()) throw reader.syntaxError()
  const condition = or(reader)
  if (!reader.atEnd()) throw reader.syntaxError()
  return condition
}

function or(r: Reader): Condition {
  let left = and(r)
  while (r.accept('OR')) left = { kind: 'or', left, right: and(r) }
  return left
}

function and(r: Reader): Condition {
  let left = not(r)
  while (r.accept('AND')) left = { kind: 'and', left, right: not(r) }
  return left
}

function not(r: Reader): Condition {
  if (r.accept('NOT')) return { kind: 'not', operand: not(r) }
  return primary(r)
}

/** Conditions written inside parentheses: DynamoDB refuses a second pair around the same one. */
const parenthesized = new WeakSet<Condition>()

function primary(r: Reader): Condition {
  if (r.accept('(')) {
    const inner = or(r)
    r.expect(')')
    if (parenthesized.has(inner)) throw r.error('The expression has redundant parentheses;')
    parenthesized.add(inner)
    return inner
  }
  const token = r.peek()
  if (token.kind === 'name' && r.peek(1).text === '(' && token.text !== 'size') {
    return conditionFunction(r)
  }
  const left = operand(r)
  const next = r.peek()
  if (next.kind === 'punct' && comparators.includes(next.text)) {
    r.next()
    const right = operand(r)
    const op = next.text as Comparator
    if (op !== '=' && op !== '<>') for (const o of [left, right]) checkOrderable(r, o, op)
    return { kind: 'compare', op, left, right }
  }
  if (r.accept('BETWEEN')) {
    const low = operand(r)
    r.expect('AND')
    const high = operand(r)
    for (const o of [left, low, high]) checkOrderable(r, o, 'BETWEEN')
    if (low.kind === 'value' && high.kind === 'value') {
      const order = compareScalars(low.value, high.value)
      if (order !== undefined && order > 0) {
        throw r.error('The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ' +
          `lower operand: AttributeValue: {${show(low.value)}}, upper operand: AttributeValue: {${show(high.value)}}`)
      }
    }
    return { kind: 'between', value: left, low, high }
  }
  if (r.accept('IN')) {
    r.expect('(')
    const list = [operand(r)]
    while (r.accept(',')) list.push(operand(r))
    r.expect(')')
    return { kind: 'in', value: left, list }
  }
  if (left.kind === 'size') throw r.error('The function is not allowed to be used this way in an expression; function: size')
  throw r.syntaxError()
}

function show(value: import('../attribute-value.ts').AttributeValue): string {
  const type = typeOf(value)
  const v = (value as Record<string, unknown>)[type]
  return `${type}:${v instanceof Uint8Array ? Buffer.from(v).toString('base64') : String(v)}`
}

/** `<`, `<=`, `>`, `>=` and BETWEEN take only S, N or B values [R: the wording for other types]. */
function checkOrderable(r: Reader, o: Operand, op: string): void {
  if (o.kind !== 'value') return
  const type = typeOf(o.value)
  if (type !== 'S' && type !== 'N' && type !== 'B') {
    throw r.error(`Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${type}`)
  }
}

function conditionFunction(r: Reader): Condition {
  const name = r.next().text
  if (updateFunctions.includes(name)) throw r.error(`The function is not allowed in a condition expression; function: ${name}`)
  const arity = conditionFunctions[name as ConditionFunction]
  if (arity === undefined) throw r.error(`Invalid function name; function: ${name}`)
  r.expect('(')
  const args: Operand[] = [operand(r)]
  while (r.accept(',')) args.push(operand(r))
  r.expect(')')
  if (args.length !== arity) {
    throw r.error(`Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`)
  }
  if (args[0]!.kind !== 'path') throw r.error(`Operator or function requires a document path; operator or function: ${name}`)
  const second = args[1]
  if (name === 'attribute_type' && second !== undefined) {
    if (second.kind !== 'value' || second.value.S === undefined) {
      throw r.error(`Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${second.kind === 'value' ? typeOf(second.value) : 'PATH'}`)
    }
    if (!(typeNames as readonly string[]).includes(second.value.S)) {
      throw r.error(`Invalid attribute type name found; type: ${second.value.S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`)
    }
  }
  if (name === 'begins_with' && second?.kind === 'value') {
    const type = typeOf(second.value)
    if (type !== 'S' && type !== 'B') throw r.error(`Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`)
  }
  return { kind: 'function', name: name as ConditionFunction, args }
}

/** path | :value | size(path). Other functions are not operands in conditions. */
export function operand(r: Reader): Operand {
  const token = r.peek()
  if (token.kind === 'colon') return r.valueRef()
  if (token.kind === 'name' && r.peek(1).text === '(') {
    if (token.text !== 'size') {
      if (token.text in conditionFunctions) throw r.error(`The function is not allowed to be used this way in an expression; function: ${token.text}`)
      if (updateFunctions.includes(token.text)) throw r.error(`The function is not allowed in a condition expression; function: ${token.text}`)
      throw r.error(`Invalid function name; function: ${token.text}`)
    }
    r.next()
    r.expect('(')
    const first = r.peek()
    if (first.kind !== 'name' && first.kind !== 'hash') throw r.error('Operator or function requires a document path; operator or function: size')
    const path: Path = r.path()
    if (r.peek().text === ',') {
      throw r.error('Incorrect number of operands for operator or function; operator or function: size, number of operands: 2')
    }
    r.expect(')')
    return { kind: 'size', path }
  }
  if (token.kind === 'name' || token.kind === 'hash') return r.path()
  throw r.syntaxError()
}
