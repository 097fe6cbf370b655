// Splits a PartiQL statement into tokens: identifiers (bare or "quoted"), 'strings', numbers, `?`,
// operators and punctuation (`<<` `>>` for bags); `--` and `/* */` comments are skipped.
import { notWellFormed } from './errors.ts'

export type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'param' | 'op' | 'punct' | 'eof'

export interface Token {
  kind: TokenKind
  /** Identifiers and strings unquoted; keywords keep their case (compare with `upper`). */
  text: string
  upper: string
  at: number
}

const operators = ['<>', '!=', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '||']
const punctuation = ['<<', '>>', '(', ')', '[', ']', '{', '}', ',', '.', ':', ';']

export function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  const push = (kind: TokenKind, text: string, at: number) => tokens.push({ kind, text, upper: text.toUpperCase(), at })
  while (i < source.length) {
    const c = source[i]!
    if (/\s/.test(c)) { i++; continue }
    if (source.startsWith('--', i)) {
      while (i < source.length && source[i] !== '\n') i++
      continue
    }
    if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2)
      // DynamoDB answers an unterminated comment with the envelope and nothing after it.
      if (end < 0) throw notWellFormed('')
      i = end + 2
      continue
    }
    const at = i
    if (c === "'" || c === '"') {
      let text = ''
      i++
      for (;;) {
        if (i >= source.length) throw notWellFormed('Unexpected end of input')
        if (source[i] === c) {
          if (source[i + 1] === c) { text += c; i += 2; continue }
          i++
          break
        }
        text += source[i++]
      }
      push(c === "'" ? 'string' : 'quoted', text, at)
      continue
    }
    if (/[A-Za-z_$]/.test(c)) {
      while (i < source.length && /[A-Za-z0-9_$]/.test(source[i]!)) i++
      push('ident', source.slice(at, i), at)
      continue
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      while (i < source.length && /[0-9]/.test(source[i]!)) i++
      if (source[i] === '.') { i++; while (i < source.length && /[0-9]/.test(source[i]!)) i++ }
      if (/[eE]/.test(source[i] ?? '') && /[-+0-9]/.test(source[i + 1] ?? '')) {
        i += /[-+]/.test(source[i + 1]!) ? 2 : 1
        while (i < source.length && /[0-9]/.test(source[i]!)) i++
      }
      push('number', source.slice(at, i), at)
      continue
    }
    if (c === '?') { i++; push('param', '?', at); continue }
    const p = punctuation.find((q) => source.startsWith(q, i))
    const o = operators.find((q) => source.startsWith(q, i))
    // `<<` is a bag opener, `<=`/`<>` operators: the longer match wins.
    if (p !== undefined && (o === undefined || p.length >= o.length)) { i += p.length; push('punct', p, at); continue }
    if (o !== undefined) { i += o.length; push('op', o, at); continue }
    // A character PartiQL has no token for (`#`, `@`, …): the envelope with nothing after it.
    throw notWellFormed('')
  }
  tokens.push({ kind: 'eof', text: '', upper: '', at: source.length })
  return tokens
}
