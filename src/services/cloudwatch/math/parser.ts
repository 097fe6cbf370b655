// Parses a metric math expression into a tree: precedence OR < AND < comparison < + - < * / < ^ < unary.
import { MathSyntaxError, type Token, tokenize } from './lexer.ts'

export type Node =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'ref'; id: string }
  | { type: 'keyword'; name: string }
  | { type: 'array'; items: Node[] }
  | { type: 'call'; name: string; args: Node[] }
  | { type: 'unary'; op: '-' | 'NOT'; operand: Node }
  | { type: 'binary'; op: string; left: Node; right: Node }

/** Bare words that are values, not metric ids (FILL's modes; SORT reads its words from the ids it is given). */
const keywords = new Set(['REPEAT', 'LINEAR'])

export function parseExpression(text: string): Node {
  const parser = new Parser(tokenize(text))
  const node = parser.expression()
  parser.expectEnd()
  return node
}

class Parser {
  private i = 0
  private readonly tokens: Token[]
  constructor(tokens: Token[]) {
    this.tokens = tokens
  }

  private peek(): Token {
    return this.tokens[this.i]!
  }
  private take(): Token {
    return this.tokens[this.i++]!
  }
  private isOp(value: string): boolean {
    const t = this.peek()
    return t.kind === 'op' && t.value === value
  }
  private isWord(value: string): boolean {
    const t = this.peek()
    return t.kind === 'ident' && t.value.toUpperCase() === value
  }
  private expect(value: string): void {
    if (!this.isOp(value)) throw new MathSyntaxError(`Expected '${value}' at position ${this.peek().at}`)
    this.i++
  }
  expectEnd(): void {
    const t = this.peek()
    if (t.kind !== 'end') throw new MathSyntaxError(`Unexpected token at position ${t.at}`)
  }

  expression(): Node {
    let left = this.and()
    while (this.isOp('||') || this.isWord('OR')) {
      this.take()
      left = { type: 'binary', op: 'OR', left, right: this.and() }
    }
    return left
  }
  private and(): Node {
    let left = this.not()
    while (this.isOp('&&') || this.isWord('AND')) {
      this.take()
      left = { type: 'binary', op: 'AND', left, right: this.not() }
    }
    return left
  }
  private not(): Node {
    if (this.isWord('NOT')) {
      this.take()
      return { type: 'unary', op: 'NOT', operand: this.not() }
    }
    return this.comparison()
  }
  private comparison(): Node {
    const left = this.additive()
    const t = this.peek()
    if (t.kind === 'op' && ['==', '!=', '<=', '>=', '<', '>'].includes(t.value)) {
      this.take()
      return { type: 'binary', op: t.value, left, right: this.additive() }
    }
    return left
  }
  private additive(): Node {
    let left = this.multiplicative()
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.take() as { value: string }).value
      left = { type: 'binary', op, left, right: this.multiplicative() }
    }
    return left
  }
  private multiplicative(): Node {
    let left = this.power()
    while (this.isOp('*') || this.isOp('/')) {
      const op = (this.take() as { value: string }).value
      left = { type: 'binary', op, left, right: this.power() }
    }
    return left
  }
  private power(): Node {
    const base = this.unary()
    if (this.isOp('^')) {
      this.take()
      return { type: 'binary', op: '^', left: base, right: this.power() }
    }
    return base
  }
  private unary(): Node {
    if (this.isOp('-')) {
      this.take()
      return { type: 'unary', op: '-', operand: this.unary() }
    }
    return this.primary()
  }
  private primary(): Node {
    const t = this.take()
    if (t.kind === 'number') return { type: 'number', value: t.value }
    if (t.kind === 'string') return { type: 'string', value: t.value }
    if (t.kind === 'op' && t.value === '(') {
      const inner = this.expression()
      this.expect(')')
      return inner
    }
    if (t.kind === 'op' && t.value === '[') {
      const items = this.isOp(']') ? [] : this.list()
      this.expect(']')
      return { type: 'array', items }
    }
    if (t.kind === 'ident') {
      if (this.isOp('(')) {
        this.take()
        const args = this.isOp(')') ? [] : this.list()
        this.expect(')')
        return { type: 'call', name: t.value.toUpperCase(), args }
      }
      if (keywords.has(t.value.toUpperCase())) return { type: 'keyword', name: t.value.toUpperCase() }
      return { type: 'ref', id: t.value }
    }
    throw new MathSyntaxError(t.kind === 'end' ? 'Unexpected end of expression' : `Unexpected token at position ${t.at}`)
  }
  private list(): Node[] {
    const items = [this.expression()]
    while (this.isOp(',')) {
      this.take()
      items.push(this.expression())
    }
    return items
  }
}
