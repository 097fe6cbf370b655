// The PartiQL parsers' token cursor: look-ahead, keyword matching (case-insensitive), the messages
// DynamoDB's parser gives where a term should start, and a bound on how deep a statement nests.
import { dynamoErrors } from '../errors.ts'
import { notWellFormed } from './errors.ts'
import type { Token } from './lexer.ts'

/** Words that are never bare identifiers (SQL-92's reserved words as PartiQL keeps them; the subset Nimbus knows [R]). */
const keywords = new Set(('ALL AND ANY AS ASC AT BETWEEN BY CASE CAST CREATE CROSS DELETE DESC DISTINCT DROP ELSE END EXISTS FALSE ' +
  'FROM FULL GROUP HAVING IN INNER INSERT INTO IS JOIN LEFT LIKE LIMIT MISSING NOT NULL OFFSET ON OR ORDER OUTER PAD PIVOT REMOVE ' +
  'RETURNING RIGHT SELECT SET THEN TRUE UNION UNPIVOT UPDATE VALUE VALUES WHEN WHERE').split(' '))
/** How deep parentheses, NOTs, calls and nested literals may go before the statement is refused (a bound on recursion) [R]. */
const maxDepth = 100

export class Cursor {
  private readonly tokens: Token[]
  private at = 0
  private depth = 0
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

  isKeyword(t: Token): boolean {
    return t.kind === 'ident' && keywords.has(t.upper)
  }

  /** What the parser says where a term should start. */
  unexpected(t = this.peek()) {
    if (t.kind === 'eof' || (t.kind === 'punct' && t.text === ';')) return notWellFormed('Unexpected term')
    if (this.isKeyword(t)) return notWellFormed('Unexpected keyword')
    if (t.kind === 'op') return notWellFormed('Unexpected operator')
    return notWellFormed('Unexpected token')
  }

  /** Parses something that nests, refusing past `maxDepth` (documents nest 32 deep at most anyway). */
  nested<R>(parse: () => R): R {
    if (++this.depth > maxDepth) throw dynamoErrors.validation('Nesting Levels have exceeded supported limits')
    try {
      return parse()
    } finally {
      this.depth--
    }
  }
}
