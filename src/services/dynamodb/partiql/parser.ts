// Recursive-descent parser for DynamoDB's PartiQL subset: SELECT, INSERT … VALUE, UPDATE … SET/REMOVE,
// DELETE and EXISTS(SELECT …), with expressions (OR < AND < NOT < comparisons < + -), paths, literals,
// structs, lists, bags and `?` parameters. Syntax errors carry the parser's wording after DynamoDB's
// "Statement wasn't well formed" envelope.
import { dynamoErrors } from '../errors.ts'
import type { Expr, Parsed, PathExpr, Returning, SelectStatement, Statement } from './ast.ts'
import { notWellFormed, partiqlErrors } from './errors.ts'
import { type Token, tokenize } from './lexer.ts'

/** Words that are never bare identifiers (SQL-92's reserved words as PartiQL keeps them; the subset Nimbus knows [R]). */
const keywords = new Set(('ALL AND ANY AS ASC AT BETWEEN BY CASE CAST CREATE CROSS DELETE DESC DISTINCT DROP ELSE END EXISTS FALSE ' +
  'FROM FULL GROUP HAVING IN INNER INSERT INTO IS JOIN LEFT LIKE LIMIT MISSING NOT NULL OFFSET ON OR ORDER OUTER PAD PIVOT REMOVE ' +
  'RETURNING RIGHT SELECT SET THEN TRUE UNION UNPIVOT UPDATE VALUE VALUES WHEN WHERE').split(' '))
/** Clauses PartiQL parses but DynamoDB refuses ("Unsupported clause: LIMIT"). */
const unsupportedClauses = new Set(['LIMIT', 'OFFSET', 'GROUP', 'HAVING'])
const comparators = new Set(['=', '<>', '!=', '<', '<=', '>', '>='])
/** How deep parentheses, NOTs and nested literals may go before the statement is refused (a bound on recursion) [R]. */
const maxDepth = 100

export function parseStatement(source: string): Parsed {
  const p = new Parser(tokenize(source))
  const statement = p.statement()
  p.accept(';')
  if (p.peek().kind !== 'eof') throw notWellFormed('Unexpected token after expression')
  return { statement, parameters: p.parameters }
}

class Parser {
  private readonly tokens: Token[]
  private at = 0
  parameters = 0

  constructor(tokens: Token[]) {
    this.tokens = tokens
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)]!
  }

  next(): Token {
    const t = this.peek()
    if (this.at < this.tokens.length - 1) this.at++
    return t
  }

  /** True (and consumed) for punctuation, an operator or a keyword (case-insensitive). */
  accept(text: string): boolean {
    const t = this.peek()
    const match = t.kind === 'ident' ? t.upper === text : (t.kind === 'punct' || t.kind === 'op') && t.text === text
    if (match) this.next()
    return match
  }

  expect(text: string): void {
    if (!this.accept(text)) throw this.unexpected()
  }

  private isKeyword(t: Token): boolean {
    return t.kind === 'ident' && keywords.has(t.upper)
  }

  /** What the parser says where a term should start. */
  unexpected(t = this.peek()) {
    if (t.kind === 'eof' || (t.kind === 'punct' && t.text === ';')) return notWellFormed('Unexpected term')
    if (this.isKeyword(t)) return notWellFormed('Unexpected keyword')
    if (t.kind === 'op') return notWellFormed('Unexpected operator')
    return notWellFormed('Unexpected token')
  }

  statement(): Statement {
    const t = this.peek()
    if (this.accept('SELECT')) return this.select()
    if (this.accept('INSERT')) return this.insert()
    if (this.accept('UPDATE')) return this.update()
    if (this.accept('DELETE')) return this.delete()
    if (this.accept('EXISTS')) {
      this.expect('(')
      if (!this.accept('SELECT')) throw this.unexpected()
      const select = this.select()
      this.expect(')')
      return { kind: 'exists', select }
    }
    if (t.kind === 'eof') throw notWellFormed('Unexpected term')
    throw notWellFormed('Expected data manipulation')
  }

  private select(): SelectStatement {
    let projection: PathExpr[] | undefined
    if (!this.accept('*')) {
      projection = [this.projected()]
      while (this.accept(',')) projection.push(this.projected())
    }
    this.expect('FROM')
    const first = this.peek()
    if (first.kind !== 'ident' && first.kind !== 'quoted') throw this.unexpected()
    const { table, index } = this.source()
    this.noAlias()
    const out: SelectStatement = { kind: 'select', table, ...(index !== undefined && { index }), ...(projection !== undefined && { projection }) }
    if (this.accept('WHERE')) out.where = this.expr()
    if (this.accept('ORDER')) {
      this.expect('BY')
      const path = this.path()
      const descending = this.accept('DESC')
      if (!descending) this.accept('ASC')
      out.orderBy = { path, descending }
    }
    const t = this.peek()
    if (t.kind === 'ident' && unsupportedClauses.has(t.upper)) throw partiqlErrors.unsupportedClause(t.upper)
    return out
  }

  private projected(): PathExpr {
    const t = this.peek()
    if (t.kind === 'ident' && this.peek(1).text === '(') throw partiqlErrors.unsupported(`${t.upper} in the select clause`)
    if (t.kind !== 'ident' && t.kind !== 'quoted') throw this.unexpected()
    const path = this.path()
    if (this.accept('AS')) throw partiqlErrors.aliasing()
    return path
  }

  /** `"table"` or `"table"."index"`. */
  private source(): { table: string; index?: string } {
    const table = this.name('Expected identifier for simple path')
    if (!this.accept('.')) return { table }
    return { table, index: this.name('Expected identifier for simple path') }
  }

  private name(missing: string): string {
    const t = this.peek()
    if (t.kind === 'quoted' || (t.kind === 'ident' && !this.isKeyword(t))) return this.next().text
    throw notWellFormed(missing)
  }

  /** An alias after the table (`FROM "t" x`, `FROM "t" AS x`) is refused with its own message. */
  private noAlias(): void {
    const t = this.peek()
    if (t.kind === 'quoted' || (t.kind === 'ident' && (!this.isKeyword(t) || t.upper === 'AS'))) throw partiqlErrors.aliasing()
  }

  private insert(): Statement {
    this.expect('INTO')
    const table = this.name('Expected identifier for simple path')
    if (this.accept('VALUES')) throw notWellFormed('Unexpected keyword')
    if (!this.accept('VALUE')) throw notWellFormed('Unexpected token after expression')
    const item = this.expr()
    if (item.kind === 'bag') {
      throw dynamoErrors.validation('Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead')
    }
    if (item.kind !== 'struct' && item.kind !== 'param') {
      throw dynamoErrors.validation('Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.')
    }
    return { kind: 'insert', table, item }
  }

  private update(): Statement {
    const table = this.name('Expected identifier for simple path')
    const set: { path: PathExpr; value: Expr }[] = []
    const remove: PathExpr[] = []
    let clauses = 0
    for (;;) {
      if (this.accept('SET')) {
        do {
          const path = this.path()
          if (!this.accept('=')) throw notWellFormed('Expected assignment for SET')
          set.push({ path, value: this.additive() })
        } while (this.accept(','))
      } else if (this.accept('REMOVE')) {
        do remove.push(this.path())
        while (this.accept(','))
      } else break
      clauses++
    }
    if (clauses === 0) {
      const t = this.peek()
      if (t.kind === 'quoted' || (t.kind === 'ident' && !this.isKeyword(t)) || t.upper === 'AS') throw partiqlErrors.aliasing()
      throw notWellFormed('Expected data manipulation')
    }
    const where = this.accept('WHERE') ? this.expr() : undefined
    return { kind: 'update', table, set, remove, ...(where !== undefined && { where }), ...this.returning() }
  }

  private delete(): Statement {
    this.expect('FROM')
    const table = this.name('Expected identifier for simple path')
    this.noAlias()
    const where = this.accept('WHERE') ? this.expr() : undefined
    return { kind: 'delete', table, ...(where !== undefined && { where }), ...this.returning() }
  }

  private returning(): { returning?: Returning } {
    if (!this.accept('RETURNING')) return {}
    const which = this.next().upper
    const side = this.next().upper
    if (!['ALL', 'MODIFIED'].includes(which) || !['OLD', 'NEW'].includes(side) || !this.accept('*')) {
      throw dynamoErrors.validation("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause")
    }
    return { returning: `${which} ${side}` as Returning }
  }

  // ---- expressions ----

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

  private depth = 0

  /** Parses something that nests, refusing past `maxDepth` (documents nest 32 deep at most anyway). */
  private nested<R>(parse: () => R): R {
    if (++this.depth > maxDepth) throw dynamoErrors.validation('Nesting Levels have exceeded supported limits')
    try {
      return parse()
    } finally {
      this.depth--
    }
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

  private additive(): Expr {
    let left = this.primary()
    for (;;) {
      const t = this.peek()
      if (t.kind !== 'op' || (t.text !== '+' && t.text !== '-')) return left
      this.next()
      left = { kind: 'binary', op: t.text, left, right: this.primary() }
    }
  }

  private primary(): Expr {
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
