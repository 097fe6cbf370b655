// The expression AST shared by the parsers (condition, key condition, projection, update) and the evaluators.
import type { AttributeValue } from '../attribute-value.ts'

/** A document path element: an attribute/map key name, or a list index. */
export type PathElement = string | number

export interface Path {
  kind: 'path'
  elements: PathElement[]
}

export interface ValueRef {
  kind: 'value'
  name: string
  value: AttributeValue
}

/** `size(path)`: the only function that is an operand in conditions. */
export interface SizeOf {
  kind: 'size'
  path: Path
}

export type Operand = Path | ValueRef | SizeOf

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>='

export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; value: Operand; low: Operand; high: Operand }
  | { kind: 'in'; value: Operand; list: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'function'; name: ConditionFunction; args: Operand[] }

export type ConditionFunction = 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains'

/** The right-hand side of a SET action. */
export type SetOperand =
  | Path
  | ValueRef
  | { kind: 'if_not_exists'; path: Path; fallback: SetOperand }
  | { kind: 'list_append'; first: SetOperand; second: SetOperand }

export type SetValue = SetOperand | { kind: 'plus' | 'minus'; left: SetOperand; right: SetOperand }

export interface UpdateActions {
  set: { path: Path; value: SetValue }[]
  remove: Path[]
  add: { path: Path; value: ValueRef }[]
  delete: { path: Path; value: ValueRef }[]
}

/** How DynamoDB prints a path in its messages: `[a, b, [0]]` [R]. */
export function formatPath(path: Path): string {
  return `[${path.elements.map((e) => typeof e === 'number' ? `[${e}]` : e).join(', ')}]`
}
