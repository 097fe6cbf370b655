// The recursive-descent parsers' shared reader: tokens, syntax errors worded as DynamoDB's, document
// paths and placeholders (reserved words, undefined names and values fail here, while parsing).
import { dynamoErrors } from '../errors.ts'
import type { Path, PathElement, ValueRef } from './ast.ts'
import type { ExpressionContext } from './context.ts'
import reserved from './reserved-words.json' with { type: 'json' }
import { type Token, tokenize } from './tokenizer.ts'

const reservedWords = new Set(reserved.words)

export function isReserved(word: string): boolean {
  return reservedWords.has(word.toUpperCase())
}

export class Reader {
  readonly kind: string
  readonly ctx: ExpressionContext
  private readonly source: string
  private readonly tokens: Token[]
  private at = 0

  constructor(source: string, kind: string, ctx: ExpressionContext) {
    this.source = source
    this.kind = kind
    this.ctx = ctx
    this.tokens = tokenize(source, kind)
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)]!
  }

  next(): Token {
    const token = this.peek()
    if (this.at < this.tokens.length - 1) this.at++
    return token
  }

  /** True (and consumed) when the next token is this punctuation or keyword (keywords case-insensitive). */
  accept(text: string): boolean {
    const token = this.peek()
    const match = token.kind === 'punct' ? token.text === text : token.kind === 'name' && token.text.toUpperCase() === text
    if (match) this.next()
    return match
  }

  expect(text: string): void {
    if (!this.accept(text)) throw this.syntaxError()
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof'
  }

  /** DynamoDB's syntax error names the offending token and the text around it [R: the extent of "near"]. */
  syntaxError(token = this.peek()) {
    const index = this.tokens.indexOf(token)
    const before = this.tokens[Math.max(0, index - 1)]!
    const after = this.tokens[Math.min(this.tokens.length - 1, index + 1)]!
    const near = this.source.slice(before.start, Math.max(token.end, token.kind === 'eof' ? token.end : after.end)).trim()
    return dynamoErrors.expression(this.kind, `Syntax error; token: "${token.text}", near: "${near}"`)
  }

  error(detail: string) {
    return dynamoErrors.expression(this.kind, detail)
  }

  /** name | #name, then `.name`, `[n]` any number of times. */
  path(): Path {
    const elements: PathElement[] = [this.pathName()]
    for (;;) {
      if (this.accept('.')) {
        elements.push(this.pathName())
      } else if (this.peek().text === '[' && this.peek().kind === 'punct') {
        this.next()
        const index = this.next()
        if (index.kind !== 'number') throw this.syntaxError(index)
        this.expect(']')
        elements.push(Number(index.text))
      } else {
        return { kind: 'path', elements }
      }
    }
  }

  private pathName(): string {
    const token = this.next()
    if (token.kind === 'hash') return this.ctx.name(token.text, this.kind)
    if (token.kind !== 'name') throw this.syntaxError(token)
    if (isReserved(token.text)) throw this.error(`Attribute name is a reserved keyword; reserved keyword: ${token.text}`)
    return token.text
  }

  /** `:placeholder` (the next token must be one). */
  valueRef(): ValueRef {
    const token = this.next()
    if (token.kind !== 'colon') throw this.syntaxError(token)
    return { kind: 'value', name: token.text, value: this.ctx.value(token.text, this.kind) }
  }
}
