// The JQ tokenizer: punctuation and operators, identifiers/keywords, `$variables`, `@formats`,
// numbers, and string literals whose `\( … )` interpolations are kept as source to parse.
import { JqError } from './values.ts'

export type Tok =
  | { k: 'p'; v: string }
  | { k: 'id'; v: string }
  | { k: 'var'; v: string; line?: number }
  | { k: 'fmt'; v: string }
  | { k: 'field'; v: string }
  | { k: 'num'; v: number }
  | { k: 'str'; parts: Array<string | string[]> }

// Longest first, so `//=` beats `//` (jq 1.6 has no `?//`: `.a?//1` is `.a? // 1`).
const OPERATORS = ['//=', '|=', '+=', '-=', '*=', '/=', '%=', '==', '!=', '<=', '>=', '//', '..', '.', '|', ',', '{', '}', '[', ']', '(', ')', ':', ';', '?', '+', '-', '*', '/', '%', '<', '>', '=']

export function lex(src: string): Tok[] {
  const out: Tok[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i]!
    if (/\s/.test(c)) { i++; continue }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue }
    if (c === '"') {
      const [tok, end] = lexString(src, i + 1)
      out.push(tok)
      i = end
      continue
    }
    const rest = src.slice(i)
    // `.name` is one token: `. name` (as in `then . else`) is not a field.
    const field = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(rest)
    if (field !== null) { out.push({ k: 'field', v: field[1]! }); i += field[0].length; continue }
    const num = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?/.exec(rest)
    if (num !== null) { out.push({ k: 'num', v: Number(num[0]) }); i += num[0].length; continue }
    const word = /^([$@]?)([A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*)/.exec(rest)
    if (word !== null) {
      if (word[1] === '$' && word[2] === '__loc__') out.push({ k: 'var', v: '__loc__', line: src.slice(0, i).split('\n').length })
      else out.push({ k: word[1] === '$' ? 'var' : word[1] === '@' ? 'fmt' : 'id', v: word[2]! })
      i += word[0].length
      continue
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i))
    if (op === undefined) throw new JqError(`syntax error: unexpected '${c}' at position ${i}`)
    out.push({ k: 'p', v: op })
    i += op.length
  }
  return out
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' }

/** A string literal from after its opening quote: text pieces and `\( … )` sources. */
function lexString(src: string, start: number): [Tok, number] {
  const parts: Array<string | string[]> = []
  let text = ''
  let i = start
  while (i < src.length) {
    const c = src[i]!
    if (c === '"') {
      if (text !== '' || parts.length === 0) parts.push(text)
      return [{ k: 'str', parts }, i + 1]
    }
    if (c === '\\') {
      const e = src[i + 1]
      if (e === '(') {
        const end = interpolationEnd(src, i + 2)
        if (end < 0) break
        if (text !== '') parts.push(text)
        text = ''
        parts.push([src.slice(i + 2, end)])
        i = end + 1
        continue
      }
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
        text += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16))
        i += 6
        continue
      }
      if (e === undefined || !(e in ESCAPES)) throw new JqError(`syntax error: invalid escape '\\${e ?? ''}' in string`)
      text += ESCAPES[e]
      i += 2
      continue
    }
    text += c
    i++
  }
  throw new JqError('syntax error: unterminated string')
}

/** The index of the `)` closing an interpolation, skipping nested parentheses and strings; -1 if none. */
function interpolationEnd(src: string, from: number): number {
  let depth = 1
  for (let j = from; j < src.length; j++) {
    const c = src[j]
    if (c === '"') {
      for (j++; j < src.length && src[j] !== '"'; j++) if (src[j] === '\\') j++
    } else if (c === '(') depth++
    else if (c === ')' && --depth === 0) return j
  }
  return -1
}
