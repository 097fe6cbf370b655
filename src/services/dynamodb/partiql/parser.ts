// Recursive-descent parser for DynamoDB's PartiQL statements: SELECT, INSERT … VALUE, UPDATE …
// SET/REMOVE, DELETE and EXISTS(SELECT …) (expressions in expression-parser.ts). Syntax errors carry the
// parser's wording after DynamoDB's "Statement wasn't well formed" envelope.
import { dynamoErrors } from '../errors.ts'
import type { Expr, Parsed, PathExpr, Returning, SelectStatement, Statement } from './ast.ts'
import { notWellFormed, partiqlErrors } from './errors.ts'
import { ExpressionParser } from './expression-parser.ts'
import { tokenize } from './lexer.ts'

/** Clauses PartiQL parses but DynamoDB refuses ("Unsupported clause: LIMIT"). */
const unsupportedClauses = new Set(['LIMIT', 'OFFSET', 'GROUP', 'HAVING'])

export function parseStatement(source: string): Parsed {
  const p = new Parser(tokenize(source))
  const statement = p.statement()
  p.accept(';')
  if (p.peek().kind !== 'eof') throw notWellFormed('Unexpected token after expression')
  return { statement, parameters: p.parameters }
}

class Parser extends ExpressionParser {
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
    if (this.accept('AT')) throw dynamoErrors.validation('AT is not supported in insert statements.')
    if (this.peek().upper === 'ON' && this.peek(1).upper === 'CONFLICT') throw partiqlErrors.unsupportedClause('ON CONFLICT')
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

}
