// The PartiQL statement tree the parser builds and translate.ts turns into DynamoDB's expression AST.
import type { AttributeValue } from '../attribute-value.ts'
import type { PathElement } from '../expressions/ast.ts'

export type Expr =
  | { kind: 'literal'; value: AttributeValue }
  | { kind: 'param'; index: number }
  | { kind: 'missing' }
  | { kind: 'path'; elements: PathElement[] }
  | { kind: 'struct'; fields: { name: string; value: Expr }[] }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'bag'; items: Expr[] }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'between'; value: Expr; low: Expr; high: Expr; negated: boolean }
  | { kind: 'in'; value: Expr; list: Expr[]; negated: boolean }
  | { kind: 'is'; value: Expr; type: string; negated: boolean }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'exists'; select: SelectStatement }

export type PathExpr = Extract<Expr, { kind: 'path' }>

export type Returning = 'ALL OLD' | 'MODIFIED OLD' | 'ALL NEW' | 'MODIFIED NEW'

export interface SelectStatement {
  kind: 'select'
  table: string
  index?: string
  /** undefined: `*`. */
  projection?: PathExpr[]
  where?: Expr
  orderBy?: { path: PathExpr; descending: boolean }
}

export interface InsertStatement {
  kind: 'insert'
  table: string
  item: Expr
}

export interface UpdateStatement {
  kind: 'update'
  table: string
  set: { path: PathExpr; value: Expr }[]
  remove: PathExpr[]
  where?: Expr
  returning?: Returning
}

export interface DeleteStatement {
  kind: 'delete'
  table: string
  where?: Expr
  returning?: Returning
}

/** `EXISTS(SELECT …)`: a condition check, only inside ExecuteTransaction. */
export interface ExistsStatement {
  kind: 'exists'
  select: SelectStatement
}

export type Statement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement

/** The `?` count the statement used (to check against Parameters). */
export interface Parsed {
  statement: Statement
  parameters: number
}
