// The VTL parser's reading position, with references (`$a.b(x)[0]`) and expressions (the insides
// of `#set`, `#if`, `#foreach` and method arguments) as Velocity 1.7's grammar has them.
import type { BinaryOp, Expr, Node, Reference } from './ast.ts'
import { JavaDouble, VtlError } from './values.ts'

/** Deeper nesting than this is refused at parse time: the renderer's recursion stays bounded. */
export const maxDepth = 64

const identStart = /[a-zA-Z_]/
// Velocity 1.7 identifiers: a letter or `_`, then letters, digits, `-` and `_` (so `$a-b` is one name).
const identifier = /[a-zA-Z_][a-zA-Z0-9_-]*/y

const levels: { ops: [string, BinaryOp][] }[] = [
  { ops: [['||', '||'], ['or', '||']] },
  { ops: [['&&', '&&'], ['and', '&&']] },
  { ops: [['==', '=='], ['!=', '!='], ['eq', '=='], ['ne', '!=']] },
  { ops: [['<=', '<='], ['>=', '>='], ['<', '<'], ['>', '>'], ['le', '<='], ['ge', '>='], ['lt', '<'], ['gt', '>']] },
  { ops: [['+', '+'], ['-', '-']] },
  { ops: [['*', '*'], ['/', '/'], ['%', '%']] },
]

export class Cursor {
  pos = 0
  private depth: number
  readonly src: string
  /** Parses a double-quoted string's inside as a template (references and directives interpolate). */
  private readonly template: (text: string, depth: number) => Node[]

  constructor(src: string, depth: number, template: (text: string, depth: number) => Node[]) {
    this.src = src
    this.depth = depth
    this.template = template
  }

  fail(message: string): never {
    const before = this.src.slice(0, this.pos)
    const line = before.split('\n').length
    const column = this.pos - before.lastIndexOf('\n')
    throw new VtlError(`${message} at line ${line}, column ${column}`)
  }

  enter(): void {
    if (++this.depth > maxDepth) this.fail('Template nesting too deep')
  }

  leave(): void {
    this.depth--
  }

  get nesting(): number {
    return this.depth
  }

  skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++
  }

  expect(text: string): void {
    this.skipSpace()
    if (!this.src.startsWith(text, this.pos)) this.fail(`Expected "${text}"`)
    this.pos += text.length
  }

  identifierAt(pos: number): string | undefined {
    identifier.lastIndex = pos
    return identifier.exec(this.src)?.[0]
  }

  /** At `$`: the reference, or undefined when none starts here (`$` then is plain text). */
  reference(): Reference | undefined {
    const { src } = this
    const start = this.pos
    let p = start + 1
    const quiet = src[p] === '!'
    if (quiet) p++
    const braced = src[p] === '{'
    if (braced) p++
    const name = this.identifierAt(p)
    if (name === undefined) return undefined
    this.pos = p + name.length
    const parts: Reference['parts'] = []
    for (;;) {
      if (src[this.pos] === '.' && identStart.test(src[this.pos + 1] ?? '')) {
        const member = this.identifierAt(this.pos + 1)!
        this.pos += 1 + member.length
        if (src[this.pos] === '(') parts.push({ kind: 'call', name: member, args: this.arguments() })
        else parts.push({ kind: 'property', name: member })
      } else if (src[this.pos] === '[') {
        // Text like `$name[1]` is an index; `$name[` that isn't one ends the reference there.
        const save = this.pos
        try {
          this.pos++
          const index = this.expression()
          this.expect(']')
          parts.push({ kind: 'index', index })
        } catch {
          this.pos = save
          break
        }
      } else break
    }
    if (braced) {
      if (src[this.pos] !== '}') {
        this.pos = start
        return undefined
      }
      this.pos++
    }
    return { name, parts, quiet, source: src.slice(start, this.pos) }
  }

  private arguments(): Expr[] {
    this.pos++ // (
    const args: Expr[] = []
    this.skipSpace()
    if (this.src[this.pos] === ')') {
      this.pos++
      return args
    }
    for (;;) {
      args.push(this.expression())
      this.skipSpace()
      const c = this.src[this.pos]
      this.pos++
      if (c === ')') return args
      if (c !== ',') this.fail('Expected "," or ")" in method arguments')
    }
  }

  expression(): Expr {
    this.enter()
    try {
      return this.binary(0)
    } finally {
      this.leave()
    }
  }

  private binary(level: number): Expr {
    if (level === levels.length) return this.unary()
    let left = this.binary(level + 1)
    for (;;) {
      this.skipSpace()
      const op = levels[level]!.ops.find(([text]) => this.matchOperator(text))
      if (op === undefined) return left
      this.pos += op[0].length
      left = { kind: 'binary', op: op[1], left, right: this.binary(level + 1) }
    }
  }

  /** Word operators (`and`, `eq`…) need a word boundary; `=` alone is no operator (it ends a #set's target). */
  private matchOperator(text: string): boolean {
    if (!this.src.startsWith(text, this.pos)) return false
    const next = this.src[this.pos + text.length] ?? ''
    if (/[a-z]/.test(text[0]!)) return !/[a-zA-Z0-9_]/.test(next)
    if ((text === '<' || text === '>') && next === '=') return false
    return !(text === '!' && next === '=')
  }

  private unary(): Expr {
    this.skipSpace()
    const { src } = this
    if (src[this.pos] === '!' && src[this.pos + 1] !== '=') {
      this.pos++
      return this.nested(() => ({ kind: 'not', operand: this.unary() }))
    }
    if (this.matchOperator('not')) {
      this.pos += 3
      return this.nested(() => ({ kind: 'not', operand: this.unary() }))
    }
    if (src[this.pos] === '-' && !/\d/.test(src[this.pos + 1] ?? '')) {
      this.pos++
      return this.nested(() => ({ kind: 'negate', operand: this.unary() }))
    }
    return this.primary()
  }

  private nested(parse: () => Expr): Expr {
    this.enter()
    try {
      return parse()
    } finally {
      this.leave()
    }
  }

  private primary(): Expr {
    const { src } = this
    const c = src[this.pos]
    if (c === '(') {
      this.pos++
      const inner = this.expression()
      this.expect(')')
      return inner
    }
    if (c === '$') {
      const ref = this.reference()
      if (ref === undefined) this.fail('Invalid reference')
      return { kind: 'reference', ref }
    }
    if (c === '"' || c === "'") return this.string(c)
    if (c === '[') return this.list()
    if (c === '{') return this.map()
    const number = /-?\d+(\.\d+)?/y
    number.lastIndex = this.pos
    const n = number.exec(src)
    if (n !== null) {
      this.pos += n[0].length
      return { kind: 'literal', value: n[1] === undefined ? Number(n[0]) : new JavaDouble(Number(n[0])) }
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.matchOperator(word)) {
        this.pos += word.length
        return { kind: 'literal', value }
      }
    }
    return this.fail(c === undefined ? 'Unexpected end of template' : `Unexpected "${c}"`)
  }

  /** Backslashes escape the next character for finding the end only; the text keeps them, as Velocity's does. */
  private string(quote: string): Expr {
    const { src } = this
    let p = this.pos + 1
    while (p < src.length && src[p] !== quote) p += src[p] === '\\' ? 2 : 1
    if (p >= src.length) this.fail('Unterminated string literal')
    const text = src.slice(this.pos + 1, p)
    this.pos = p + 1
    if (quote === "'" || (!text.includes('$') && !text.includes('#'))) return { kind: 'literal', value: text }
    return { kind: 'interpolated', nodes: this.template(text, this.depth + 1) }
  }

  private list(): Expr {
    this.pos++ // [
    this.skipSpace()
    if (this.src[this.pos] === ']') {
      this.pos++
      return { kind: 'list', items: [] }
    }
    const first = this.expression()
    this.skipSpace()
    if (this.src.startsWith('..', this.pos)) {
      this.pos += 2
      const to = this.expression()
      this.expect(']')
      return { kind: 'range', from: first, to }
    }
    const items = [first]
    for (;;) {
      this.skipSpace()
      const c = this.src[this.pos++]
      if (c === ']') return { kind: 'list', items }
      if (c !== ',') this.fail('Expected "," or "]" in list')
      items.push(this.expression())
    }
  }

  private map(): Expr {
    this.pos++ // {
    const entries: [Expr, Expr][] = []
    this.skipSpace()
    if (this.src[this.pos] === '}') {
      this.pos++
      return { kind: 'map', entries }
    }
    for (;;) {
      const key = this.expression()
      this.expect(':')
      entries.push([key, this.expression()])
      this.skipSpace()
      const c = this.src[this.pos++]
      if (c === '}') return { kind: 'map', entries }
      if (c !== ',') this.fail('Expected "," or "}" in map')
    }
  }
}
