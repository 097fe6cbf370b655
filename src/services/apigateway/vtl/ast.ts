// A parsed VTL template: the directives, references and expressions the renderer walks.
import type { Value } from './values.ts'

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'ref'; ref: Reference }
  /** `\$ref`: written as `$ref` when the reference has a value, else as `\$ref` (Velocity 1.7). */
  | { kind: 'escaped'; ref: Reference }
  | { kind: 'set'; target: Reference; value: Expr }
  | { kind: 'if'; branches: { condition: Expr; body: Node[] }[]; otherwise: Node[] | undefined }
  | { kind: 'foreach'; variable: string; iterable: Expr; body: Node[] }
  | { kind: 'break' }
  | { kind: 'stop' }

/** `$a.b.c(x)[0]`: a variable and the steps taken from it; `source` is written back when it has no value. */
export interface Reference {
  name: string
  parts: Part[]
  quiet: boolean
  source: string
}

export type Part =
  | { kind: 'property'; name: string }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'index'; index: Expr }

export type Expr =
  | { kind: 'literal'; value: Value }
  /** A double-quoted string: a small template of its own. */
  | { kind: 'interpolated'; nodes: Node[] }
  | { kind: 'reference'; ref: Reference }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'range'; from: Expr; to: Expr }
  | { kind: 'map'; entries: [Expr, Expr][] }
  | { kind: 'not'; operand: Expr }
  | { kind: 'negate'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%'
