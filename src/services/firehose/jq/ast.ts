// The JQ syntax tree the parser builds and the evaluator walks, and destructuring patterns.
import type { Json } from './values.ts'

export type Node =
  | { t: 'identity' }
  | { t: 'recurse' }
  | { t: 'lit'; v: Json }
  | { t: 'index'; of: Node; key: Node }
  | { t: 'slice'; of: Node; from: Node | null; to: Node | null }
  | { t: 'iterate'; of: Node }
  | { t: 'try'; body: Node; handler: Node | null }
  | { t: 'pipe'; l: Node; r: Node }
  | { t: 'comma'; l: Node; r: Node }
  | { t: 'alt'; l: Node; r: Node }
  | { t: 'and' | 'or'; l: Node; r: Node }
  | { t: 'binop'; op: string; l: Node; r: Node }
  | { t: 'neg'; of: Node }
  | { t: 'array'; body: Node | null }
  | { t: 'object'; entries: Array<[Node, Node]> }
  | { t: 'interp'; parts: Array<string | Node>; fmt: string }
  | { t: 'format'; fmt: string }
  | { t: 'if'; cond: Node; then: Node; else: Node | null }
  | { t: 'as'; source: Node; patterns: Pattern[]; body: Node }
  | { t: 'reduce'; source: Node; pattern: Pattern; init: Node; update: Node }
  | { t: 'foreach'; source: Node; pattern: Pattern; init: Node; update: Node; extract: Node | null }
  | { t: 'label'; name: string; body: Node }
  | { t: 'break'; name: string }
  | { t: 'var'; name: string }
  | { t: 'call'; name: string; args: Node[] }
  | { t: 'assign'; op: string; l: Node; r: Node }
  | { t: 'def'; name: string; params: string[]; body: Node; rest: Node }

export type Pattern =
  | { p: 'var'; name: string }
  | { p: 'array'; items: Pattern[] }
  | { p: 'object'; entries: Array<{ key: Node; bind?: string; value?: Pattern }> }
