// Turns PartiQL expressions into DynamoDB's own expression AST (expressions/ast.ts), so conditions and
// updates run through the same evaluator and update applier as ConditionExpression/UpdateExpression:
// constants (literals, parameters, structs, lists, bags) become AttributeValues, WHERE becomes a
// Condition, SET/REMOVE become UpdateActions, and a WHERE's key equalities become the item's key.
import { type AttributeValue, type Item, typeOf, validateValue } from '../attribute-value.ts'
import { dynamoErrors } from '../errors.ts'
import type { Condition, Operand, Path, SetOperand, SetValue, UpdateActions, ValueRef } from '../expressions/ast.ts'
import type { SortCondition } from '../expressions/key-condition.ts'
import type { KeySchema } from '../keys.ts'
import { normalizeNumber } from '../numbers.ts'
import type { Expr, PathExpr } from './ast.ts'
import { partiqlErrors } from './errors.ts'

/** IS <type>: PartiQL's type names and the DynamoDB type each tests for. */
const isTypes: Record<string, string> = { BOOLEAN: 'BOOL', BLOB: 'B', STRING: 'S', NUMERIC: 'N', STRUCT: 'M', TUPLE: 'M', LIST: 'L' }

export class Translator {
  private readonly params: AttributeValue[]

  constructor(params: AttributeValue[] | undefined) {
    this.params = params ?? []
  }

  /** The value of a constant expression, or undefined when the expression is not one (a path…). */
  constant(e: Expr, where = 'root'): AttributeValue | undefined {
    switch (e.kind) {
      case 'literal': return literal(e.value, where)
      case 'param': {
        const value = this.params[e.index]
        if (value === undefined) throw partiqlErrors.parameterCount()
        validateValue(value)
        return value
      }
      case 'struct': {
        const m: Record<string, AttributeValue> = {}
        for (const f of e.fields) {
          if (m[f.name] !== undefined) throw dynamoErrors.validation(`Duplicate keys in tuple. Key: ${f.name} under ${where}`)
          const v = this.required(f.value, `${where}.${f.name}`)
          if (v !== undefined) m[f.name] = v
        }
        return { M: m }
      }
      case 'list': return { L: e.items.map((item, i) => this.required(item, `${where}[${i}]`)!) }
      case 'bag': return this.bag(e.items, where)
      default: return undefined
    }
  }

  private required(e: Expr, where: string): AttributeValue | undefined {
    if (e.kind === 'missing') return undefined
    const v = this.constant(e, where)
    if (v === undefined) throw dynamoErrors.validation(`Unsupported data type: ${e.kind === 'path' ? e.elements.join('.') : e.kind.toUpperCase()} under key ${where}`)
    return v
  }

  /** `<<…>>`: a string or number set (DynamoDB's bags hold only those). */
  private bag(items: Expr[], where: string): AttributeValue {
    if (items.length === 0) throw dynamoErrors.validation('Empty bags are not supported')
    const values = items.map((item, i) => this.required(item, `${where}[${i}]`)!)
    if (values.every((v) => v.S !== undefined)) return check({ SS: values.map((v) => v.S!) })
    if (values.every((v) => v.N !== undefined)) return check({ NS: values.map((v) => v.N!) })
    if (items.some((i) => i.kind === 'param')) throw dynamoErrors.validation('Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags')
    throw dynamoErrors.validation('Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags')
  }

  /** An item from INSERT's VALUE: a struct (or a parameter holding a map). */
  item(e: Expr): Item {
    // Each attribute's value is its own "root" in DynamoDB's messages ("… under root.x").
    const v = e.kind === 'struct' ? this.constant({ kind: 'struct', fields: [] }) : this.constant(e)
    if (e.kind === 'struct' && v?.M !== undefined) {
      for (const f of e.fields) {
        if (v.M[f.name] !== undefined) throw dynamoErrors.validation(`Duplicate keys in tuple. Key: ${f.name} under root`)
        const value = this.required(f.value, 'root')
        if (value !== undefined) v.M[f.name] = value
      }
    }
    if (v?.M === undefined) {
      throw dynamoErrors.validation('Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.')
    }
    return v.M
  }

  // ---- conditions ----

  condition(e: Expr): Condition {
    switch (e.kind) {
      case 'binary':
        if (e.op === 'AND' || e.op === 'OR') return { kind: e.op === 'AND' ? 'and' : 'or', left: this.condition(e.left), right: this.condition(e.right) }
        if (e.op === '+' || e.op === '-') break
        return { kind: 'compare', op: e.op as '=', left: this.operand(e.left), right: this.operand(e.right) }
      case 'not': return { kind: 'not', operand: this.condition(e.operand) }
      case 'between': {
        const c: Condition = { kind: 'between', value: this.operand(e.value), low: this.operand(e.low), high: this.operand(e.high) }
        return e.negated ? { kind: 'not', operand: c } : c
      }
      case 'in': {
        const c: Condition = { kind: 'in', value: this.operand(e.value), list: e.list.map((x) => this.operand(x)) }
        return e.negated ? { kind: 'not', operand: c } : c
      }
      case 'is': return this.is(e)
      case 'call': return this.call(e)
    }
    throw dynamoErrors.validation('WHERE clause must contain an expression that resolves to a boolean')
  }

  private is(e: Extract<Expr, { kind: 'is' }>): Condition {
    if (e.value.kind !== 'path') throw dynamoErrors.validation('The left hand side argument to IS must be a Variable Reference, Literal, or Path')
    const path = toPath(e.value)
    let c: Condition
    if (e.type === 'MISSING') c = { kind: 'function', name: 'attribute_not_exists', args: [path] }
    else {
      const type = e.type === 'NULL' ? 'NULL' : isTypes[e.type]
      if (type === undefined) {
        throw dynamoErrors.validation(`Unsupported data type for IS operator: ${e.type}. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]`)
      }
      c = { kind: 'function', name: 'attribute_type', args: [path, valueRef({ S: type })] }
    }
    return e.negated ? { kind: 'not', operand: c } : c
  }

  private call(e: Extract<Expr, { kind: 'call' }>): Condition {
    const arity: Record<string, number> = { begins_with: 2, contains: 2, attribute_type: 2, attribute_exists: 1, attribute_not_exists: 1 }
    const n = arity[e.name]
    if (n === undefined) throw dynamoErrors.validation(`Unrecognized function: ${e.name}`)
    if (e.args.length !== n) throw dynamoErrors.validation(`Incorrect number of arguments for function: ${e.name}`)
    const args = e.args.map((a) => this.operand(a))
    if (args[0]!.kind !== 'path') throw dynamoErrors.validation(`Operator or function requires a document path; operator or function: ${e.name}`)
    return { kind: 'function', name: e.name as 'contains', args }
  }

  operand(e: Expr): Operand {
    if (e.kind === 'path') return toPath(e)
    if (e.kind === 'missing') throw dynamoErrors.validation('MISSING must be compared using IS operator')
    if (e.kind === 'call' && e.name === 'size' && e.args.length === 1 && e.args[0]!.kind === 'path') return { kind: 'size', path: toPath(e.args[0]) }
    const v = this.constant(e)
    if (v === undefined) throw partiqlErrors.unsupported(e.kind === 'call' ? `function ${e.name} as an operand` : 'Expression as an operand')
    return valueRef(v)
  }

  // ---- updates ----

  update(set: { path: PathExpr; value: Expr }[], remove: PathExpr[]): UpdateActions {
    const actions: UpdateActions = { set: [], remove: remove.map(toPath), add: [], delete: [] }
    for (const { path, value } of set) {
      const target = toPath(path)
      if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
        const op = value.name === 'set_add' ? 'ADD' : 'DELETE'
        if (value.args.length !== 2) throw dynamoErrors.validation(`SET_${op} must have exactly two arguments`)
        const [first, second] = value.args as [Expr, Expr]
        if (first.kind !== 'path' || !samePath(toPath(first), target)) throw dynamoErrors.validation(`The first argument to SET_${op} must equal the assignment value`)
        const v = this.constant(second)
        if (v === undefined || (v.SS === undefined && v.NS === undefined && v.BS === undefined)) {
          throw dynamoErrors.validation(`The second argument to SET_${op} must be a value with type SET`)
        }
        actions[op === 'ADD' ? 'add' : 'delete'].push({ path: target, value: valueRef(v) })
        continue
      }
      actions.set.push({ path: target, value: this.setValue(value) })
    }
    return actions
  }

  private setValue(e: Expr): SetValue {
    if (e.kind === 'binary' && (e.op === '+' || e.op === '-')) {
      return { kind: e.op === '+' ? 'plus' : 'minus', left: this.setOperand(e.left), right: this.setOperand(e.right) }
    }
    return this.setOperand(e)
  }

  private setOperand(e: Expr): SetOperand {
    if (e.kind === 'path') return toPath(e)
    if (e.kind === 'call' && e.name === 'list_append' && e.args.length === 2) {
      return { kind: 'list_append', first: this.setOperand(e.args[0]!), second: this.setOperand(e.args[1]!) }
    }
    if (e.kind === 'call' && e.name === 'if_not_exists' && e.args.length === 2 && e.args[0]!.kind === 'path') {
      return { kind: 'if_not_exists', path: toPath(e.args[0]), fallback: this.setOperand(e.args[1]!) }
    }
    if (e.kind === 'call') throw dynamoErrors.validation(`Unrecognized function: ${e.name}`)
    if (e.kind === 'missing') throw dynamoErrors.validation('MISSING must be compared using IS operator')
    const v = this.constant(e)
    if (v === undefined) throw dynamoErrors.validation(`Unsupported operator in Update Expression. Operator: ${e.kind === 'binary' ? e.op : e.kind}`)
    return valueRef(v)
  }

  // ---- keys ----

  /**
   * The WHERE's equalities on every key attribute (the item's key) and the other conditions (the write's
   * condition). UPDATE, DELETE and single-item reads must name the whole key.
   */
  keyAndRest(where: Expr | undefined, schema: KeySchema): { key: Item; rest: Condition | undefined } {
    if (where === undefined) throw partiqlErrors.incompleteKey()
    const parts = conjuncts(where)
    const key: Item = {}
    const rest: Expr[] = []
    const names = [schema.hash, schema.range].filter((n): n is string => n !== undefined)
    for (const part of parts) {
      const eq = keyEquality(part, names)
      if (eq === undefined) {
        rest.push(part)
        continue
      }
      if (key[eq.name] !== undefined) throw partiqlErrors.multipleKeyConditions(eq.name)
      const value = this.constant(eq.value)!
      const type = eq.name === schema.hash ? schema.hashType : schema.rangeType
      if (typeOf(value) !== type) throw partiqlErrors.keyTypeMismatch(eq.name)
      key[eq.name] = value
    }
    if (names.some((n) => key[n] === undefined)) throw partiqlErrors.incompleteKey()
    const condition = rest.map((r) => this.condition(r)).reduce<Condition | undefined>((a, c) => a === undefined ? c : { kind: 'and', left: a, right: c }, undefined)
    return { key, rest: condition }
  }

  /**
   * A top-level condition on the sort key that narrows a Query's walk (comparison, BETWEEN, begins_with
   * with constants of the key's type); the WHERE stays the filter, so which one is picked changes only
   * what is read, never what is returned.
   */
  sortCondition(where: Expr | undefined, schema: KeySchema): SortCondition | undefined {
    if (where === undefined || schema.range === undefined) return undefined
    const isKey = (e: Expr) => e.kind === 'path' && e.elements.length === 1 && e.elements[0] === schema.range
    const value = (e: Expr) => {
      const v = isConstant(e) ? this.constant(e) : undefined
      return v !== undefined && typeOf(v) === schema.rangeType ? v : undefined
    }
    const flip = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const
    for (const part of conjuncts(where)) {
      if (part.kind === 'binary' && part.op in flip) {
        const op = part.op as keyof typeof flip
        const v = isKey(part.left) ? value(part.right) : isKey(part.right) ? value(part.left) : undefined
        if (v !== undefined) return { op: isKey(part.left) ? op : flip[op], values: [v] }
      } else if (part.kind === 'between' && !part.negated && isKey(part.value)) {
        const [low, high] = [value(part.low), value(part.high)]
        if (low !== undefined && high !== undefined) return { op: 'BETWEEN', values: [low, high] }
      } else if (part.kind === 'call' && part.name === 'begins_with' && part.args.length === 2 && isKey(part.args[0]!) && schema.rangeType !== 'N') {
        const v = value(part.args[1]!)
        if (v !== undefined) return { op: 'begins_with', values: [v] }
      }
    }
    return undefined
  }

  /**
   * The partition key values a SELECT reads when the WHERE pins the key at its top level — `pk = v`, or
   * `pk IN [v, …]` (one Query per value, in the list's order) — else undefined (a Scan).
   */
  partitionValues(where: Expr | undefined, schema: KeySchema): AttributeValue[] | undefined {
    if (where === undefined) return undefined
    const isKey = (e: Expr) => e.kind === 'path' && e.elements.length === 1 && e.elements[0] === schema.hash
    for (const part of conjuncts(where)) {
      const eq = keyEquality(part, [schema.hash])
      const listed = eq !== undefined ? [eq.value] : part.kind === 'in' && !part.negated && isKey(part.value) && part.list.every(isConstant) ? part.list : undefined
      if (listed === undefined) continue
      const seen = new Set<string>()
      // A value of another type than the key's matches nothing.
      return listed.map((e) => this.constant(e)!).filter((v) => typeOf(v) === schema.hashType).filter((v) => {
        const id = JSON.stringify(v)
        return !seen.has(id) && seen.add(id)
      })
    }
    return undefined
  }
}

/** The top-level AND's parts. */
export function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'AND' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e]
}

/** `key = constant` (either order) on one of `names`. */
function keyEquality(e: Expr, names: string[]): { name: string; value: Expr } | undefined {
  if (e.kind !== 'binary' || e.op !== '=') return undefined
  for (const [a, b] of [[e.left, e.right], [e.right, e.left]] as const) {
    if (a.kind === 'path' && a.elements.length === 1 && names.includes(a.elements[0] as string) && isConstant(b)) {
      return { name: a.elements[0] as string, value: b }
    }
  }
  return undefined
}

function isConstant(e: Expr): boolean {
  return e.kind === 'literal' || e.kind === 'param' || e.kind === 'struct' || e.kind === 'list' || e.kind === 'bag'
}

export function toPath(e: PathExpr): Path {
  if (typeof e.elements[0] === 'number') throw dynamoErrors.validation('A path cannot start with a list index')
  return { kind: 'path', elements: e.elements }
}

function samePath(a: Path, b: Path): boolean {
  return a.elements.length === b.elements.length && a.elements.every((x, i) => x === b.elements[i])
}

function valueRef(value: AttributeValue): ValueRef {
  return { kind: 'value', name: 'literal', value }
}

/** A literal's number checked as DynamoDB checks it, the message naming where in the value it sits. */
function literal(value: AttributeValue, where: string): AttributeValue {
  if (value.N === undefined) return value
  try {
    return { N: normalizeNumber(value.N) }
  } catch (error) {
    throw dynamoErrors.validation(`${(error as Error).message} under ${where}`)
  }
}

function check(value: AttributeValue): AttributeValue {
  validateValue(value)
  return value
}
