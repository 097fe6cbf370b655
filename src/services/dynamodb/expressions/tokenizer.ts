// Splits a DynamoDB expression into tokens: names, #placeholders, :placeholders, list indexes, punctuation.
import { dynamoErrors } from '../errors.ts'

export type TokenKind = 'name' | 'hash' | 'colon' | 'number' | 'punct' | 'eof'

export interface Token {
  kind: TokenKind
  text: string
  start: number
  end: number
}

const punctuation = ['<>', '<=', '>=', '(', ')', '[', ']', ',', '.', '=', '<', '>', '+', '-']

const isNameStart = (c: string) => /[A-Za-z_]/.test(c)
const isNameChar = (c: string) => /[A-Za-z0-9_]/.test(c)

/** `kind` names the expression in messages ("ConditionExpression"). */
export function tokenize(source: string, kind: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < source.length) {
    const c = source[i]!
    if (/\s/.test(c)) {
      i++
      continue
    }
    const start = i
    if (c === '#' || c === ':') {
      i++
      while (i < source.length && isNameChar(source[i]!)) i++
      if (i === start + 1) throw syntaxAt(source, kind, c, start)
      tokens.push({ kind: c === '#' ? 'hash' : 'colon', text: source.slice(start, i), start, end: i })
      continue
    }
    if (isNameStart(c)) {
      while (i < source.length && isNameChar(source[i]!)) i++
      tokens.push({ kind: 'name', text: source.slice(start, i), start, end: i })
      continue
    }
    if (/[0-9]/.test(c)) {
      while (i < source.length && /[0-9]/.test(source[i]!)) i++
      tokens.push({ kind: 'number', text: source.slice(start, i), start, end: i })
      continue
    }
    const p = punctuation.find((q) => source.startsWith(q, i))
    if (p === undefined) throw syntaxAt(source, kind, c, i)
    i += p.length
    tokens.push({ kind: 'punct', text: p, start, end: i })
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: source.length, end: source.length })
  return tokens
}

function syntaxAt(source: string, kind: string, text: string, at: number) {
  return dynamoErrors.expression(kind, `Syntax error; token: "${text}", near: "${source.slice(Math.max(0, at - 1), at + 2).trim()}"`)
}
