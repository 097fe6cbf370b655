// PartiQL expressions, recursive descent: OR < AND < NOT < comparisons (BETWEEN, IN, IS, LIKE refused)
// < + - < primaries (literals, `?`, structs, lists, bags, calls, paths); a missing right side of AND/OR
// and a keyword or operator where a term belongs get the parser's own words.
import { dynamoErrors } from '../errors.ts'
import type { Expr, PathExpr } from './ast.ts'
import { Cursor } from './cursor.ts'
import { notWellFormed, partiqlErrors } from './errors.ts'

const comparators = new Set(['=', '<>', '!=', '<', '<=', '>', '>='])

export class ExpressionParser extends Cursor {
  expr(): Expr {
    let left = this.and()
    while (this.accept('OR')) left = { kind: 'binary', op: 'OR', left, right: this.rightOf(() => this.and()) }
    return left
  }

  private and(): Expr {
    let left = this.not()
    while (this.accept('AND')) left = { kind: 'binary', op: 'AND', left, right: this.rightOf(() => this.not()) }
    return left
  }

  /** The right side of AND/OR: nothing there is its own message. */
  private rightOf(parse: () => Expr): Expr {
    const t = this.peek()
    if (t.kind === 'eof' || t.text === ';') throw notWellFormed('Missing right-hand side expression of infix operator')
    return parse()
  }

  private not(): Expr {
    if (this.accept('NOT')) return this.nested(() => ({ kind: 'not', operand: this.not() }))
    return this.comparison()
  }

  private comparison(): Expr {
    const left = this.additive()
    const t = this.peek()
    if (t.kind === 'op' && comparators.has(t.text)) {
      this.next()
      return { kind: 'binary', op: t.text === '!=' ? '<>' : t.text, left, right: this.additive() }
    }
    const negated = this.peek().upper === 'NOT' && ['BETWEEN', 'IN', 'LIKE'].includes(this.peek(1).upper) ? (this.next(), true) : false
    if (this.accept('BETWEEN')) {
      const low = this.additive()
      this.expect('AND')
      return { kind: 'between', value: left, low, high: this.additive(), negated }
    }
    if (this.accept('IN')) {
      const close = this.accept('[') ? ']' : this.accept('(') ? ')' : undefined
      if (close === undefined) throw this.unexpected()
      const list = [this.additive()]
      while (this.accept(',')) list.push(this.additive())
      this.expect(close)
      return { kind: 'in', value: left, list, negated }
    }
    if (this.accept('LIKE')) throw partiqlErrors.unsupported('Like')
    if (this.accept('IS')) {
      const not = this.accept('NOT')
      const type = this.next()
      if (type.kind !== 'ident') throw notWellFormed('Expected type name')
      return { kind: 'is', value: left, type: type.upper, negated: not }
    }
    return left
  }

  protected additive(): Expr {
    let left = this.primary()
    for (;;) {
      const t = this.peek()
      if (t.kind !== 'op' || (t.text !== '+' && t.text !== '-')) return left
      this.next()
      left = { kind: 'binary', op: t.text, left, right: this.primary() }
    }
  }

  protected primary(): Expr {
    const t = this.peek()
    switch (t.kind) {
      case 'string': this.next(); return { kind: 'literal', value: { S: t.text } }
      case 'number': this.next(); return { kind: 'literal', value: { N: t.text } }
      case 'param': this.next(); return { kind: 'param', index: this.parameters++ }
      case 'punct':
        if (t.text === '(') {
          this.next()
          const inner = this.nested(() => this.expr())
          this.expect(')')
          return inner
        }
        if (t.text === '{') return this.nested(() => this.struct())
        if (t.text === '[') return this.nested(() => ({ kind: 'list', items: this.sequence('[', ']') }))
        if (t.text === '<<') return this.nested(() => ({ kind: 'bag', items: this.sequence('<<', '>>') }))
        break
      case 'op':
        // A negative number literal.
        if (t.text === '-' && this.peek(1).kind === 'number') {
          this.next()
          return { kind: 'literal', value: { N: `-${this.next().text}` } }
        }
        break
      case 'ident':
        if (t.upper === 'TRUE' || t.upper === 'FALSE') { this.next(); return { kind: 'literal', value: { BOOL: t.upper === 'TRUE' } } }
        if (t.upper === 'NULL') { this.next(); return { kind: 'literal', value: { NULL: true } } }
        if (t.upper === 'MISSING') { this.next(); return { kind: 'missing' } }
        if (this.peek(1).text === '(' && this.peek(1).kind === 'punct') return this.nested(() => this.call())
        if (this.isKeyword(t)) break
        return this.path()
      case 'quoted': return this.path()
    }
    throw this.unexpected()
  }

  private call(): Expr {
    const name = this.next().text.toLowerCase()
    this.expect('(')
    const args: Expr[] = []
    if (!this.accept(')')) {
      do args.push(this.additive())
      while (this.accept(','))
      this.expect(')')
    }
    return { kind: 'call', name, args }
  }

  private sequence(open: string, close: string): Expr[] {
    this.expect(open)
    const items: Expr[] = []
    if (this.accept(close)) return items
    do items.push(this.additive())
    while (this.accept(','))
    this.expect(close)
    return items
  }

  private struct(): Expr {
    this.expect('{')
    const fields: { name: string; value: Expr }[] = []
    if (!this.accept('}')) {
      do {
        const key = this.next()
        // Keys are string literals ('k'); DynamoDB refuses other key types.
        if (key.kind !== 'string') throw dynamoErrors.validation(`Tuple keys must be of type String. Actual type: ${key.kind === 'number' ? 'DECIMAL' : 'SYMBOL'} under root`)
        this.expect(':')
        fields.push({ name: key.text, value: this.additive() })
      } while (this.accept(','))
      this.expect('}')
    }
    return { kind: 'struct', fields }
  }

  /** name | "name", then `.name`, `."name"`, `[n]`, `['name']`. */
  path(): PathExpr {
    const first = this.peek()
    if (first.kind !== 'quoted' && (first.kind !== 'ident' || this.isKeyword(first))) throw this.unexpected()
    this.next()
    const elements: (string | number)[] = [first.text]
    for (;;) {
      if (this.peek().kind === 'punct' && this.peek().text === '.') {
        this.next()
        const t = this.next()
        if (t.kind !== 'ident' && t.kind !== 'quoted') throw notWellFormed('Invalid path dot component')
        elements.push(t.text)
      } else if (this.peek().kind === 'punct' && this.peek().text === '[') {
        this.next()
        const t = this.next()
        if (t.kind === 'number' && /^[0-9]+$/.test(t.text)) elements.push(Number(t.text))
        else if (t.kind === 'string') elements.push(t.text)
        else throw this.unexpected(t)
        this.expect(']')
      } else {
        return { kind: 'path', elements }
      }
    }
  }
}
