// The condition language shared by JSON filter patterns (`{ $.a = "x" && $.n > 5 }`) and
// space-delimited ones (`[ip, status = 4* || status = 5*, ...]`): comparisons joined by && and ||,
// with parentheses, `IS TRUE|FALSE|NULL` and `NOT EXISTS`. Values: "strings", numbers, bare words
// with `*` wildcards, and %regex%.
import { boundedTest, RegexTimeout } from '../../core/bounded-regex.ts'
import { compileGlob, globTokens } from '../../core/glob.ts'
import { logsErrors } from './errors.ts'

/** A compiled filter pattern: does this log message match? */
export type MessagePredicate = (message: string) => boolean

export type Comparison = '=' | '!=' | '>' | '>=' | '<' | '<='

export type Literal =
  /** `wildcard`: the value's `*` glob test, compiled once with the pattern; undefined when it has no `*`. */
  | { kind: 'text'; text: string; wildcard: ((value: string) => boolean) | undefined; quoted: boolean }
  | { kind: 'regex'; regex: RegexMatcher }

export type Condition =
  | { type: 'and' | 'or'; left: Condition; right: Condition }
  | { type: 'compare'; selector: string; op: Comparison; literal: Literal }
  | { type: 'is'; selector: string; value: true | false | null }
  | { type: 'notExists'; selector: string }

/** What a selector names in one event: whether it is there, and its value. */
export type Resolve = (selector: string) => { found: boolean; value: unknown }

type Token = { kind: 'punct' | 'op' | 'string' | 'regex' | 'word'; text: string }

const opChars = new Set(['=', '!', '<', '>', '&', '|', '(', ')'])

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < source.length) {
    const c = source[i]!
    if (/\s/.test(c)) { i++; continue }
    const two = source.slice(i, i + 2)
    if (two === '&&' || two === '||' || two === '!=' || two === '>=' || two === '<=') { tokens.push({ kind: 'op', text: two }); i += 2; continue }
    if (c === '=' || c === '>' || c === '<') { tokens.push({ kind: 'op', text: c }); i++; continue }
    if (c === '(' || c === ')') { tokens.push({ kind: 'punct', text: c }); i++; continue }
    if (c === '"') {
      const { text, end } = readQuoted(source, i)
      tokens.push({ kind: 'string', text })
      i = end
      continue
    }
    if (c === '%') {
      const end = source.indexOf('%', i + 1)
      if (end < 0) throw logsErrors.invalidFilterPattern('unterminated %regex%')
      tokens.push({ kind: 'regex', text: source.slice(i + 1, end) })
      i = end + 1
      continue
    }
    let end = i
    while (end < source.length && !/\s/.test(source[end]!) && !opChars.has(source[end]!)) end++
    if (end === i) throw logsErrors.invalidFilterPattern(`unexpected '${c}'`)
    tokens.push({ kind: 'word', text: source.slice(i, end) })
    i = end
  }
  return tokens
}

/** Reads a double-quoted string starting at `start` (backslash escapes the next character). */
export function readQuoted(source: string, start: number): { text: string; end: number } {
  let text = ''
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i]!
    if (c === '\\' && i + 1 < source.length) text += source[++i]!
    else if (c === '"') return { text, end: i + 1 }
    else text += c
  }
  throw logsErrors.invalidFilterPattern('unterminated quoted string')
}

/** Whether a %regex% occurs in a text. */
export type RegexMatcher = (text: string) => boolean

/**
 * A %regex%'s matcher (InvalidParameterException when it doesn't compile). Matches run bounded
 * (core/bounded-regex.ts) and throw RegexTimeout past the bound: the event then matches no filter
 * pattern (`unlessTimedOut`), so a catastrophic pattern can't stall Nimbus.
 */
export function compileRegex(body: string): RegexMatcher {
  try {
    new RegExp(body) // compiled here only to refuse a bad pattern; matching is bounded
  } catch {
    throw logsErrors.invalidFilterPattern(`invalid regular expression %${body}%`)
  }
  return (text) => boundedTest(body, '', text)
}

/** `match`, but an event whose %regex% ran past the bound is no match (`fallback`) [R: AWS documents no such case]. */
export function unlessTimedOut<R>(match: (message: string) => R, fallback: R): (message: string) => R {
  return (message) => {
    try {
      return match(message)
    } catch (error) {
      if (error instanceof RegexTimeout) return fallback
      throw error
    }
  }
}

/** Parentheses a condition may nest: more than a 1,024-character pattern can hold, so only a bound. */
const maxParenDepth = 512

/** Parses a condition; `isSelector` says which words may stand on the left of a comparison. */
export function parseCondition(source: string, isSelector: (word: string) => boolean): Condition {
  const tokens = tokenize(source)
  let pos = 0
  let depth = 0
  const peek = () => tokens[pos]
  const next = (what: string) => {
    const token = tokens[pos++]
    if (token === undefined) throw logsErrors.invalidFilterPattern(`expected ${what} at the end`)
    return token
  }
  const binary = (type: 'and' | 'or', op: string, operand: () => Condition): Condition => {
    let left = operand()
    while (peek()?.kind === 'op' && peek()?.text === op) {
      pos++
      left = { type, left, right: operand() }
    }
    return left
  }
  const or = (): Condition => binary('or', '||', and)
  const and = (): Condition => binary('and', '&&', unary)
  const unary = (): Condition => {
    const token = next('a condition')
    if (token.kind === 'punct' && token.text === '(') {
      // Each '(' recurses: bounded, whatever reaches the parser [R: AWS's limit and wording].
      if (++depth > maxParenDepth) throw logsErrors.invalidFilterPattern('parentheses nested too deeply')
      const inner = or()
      depth--
      const close = next("')'")
      if (close.text !== ')') throw logsErrors.invalidFilterPattern(`expected ')' but found '${close.text}'`)
      return inner
    }
    if (token.kind !== 'word' || !isSelector(token.text)) throw logsErrors.invalidFilterPattern(`expected a field but found '${token.text}'`)
    return comparison(token.text)
  }
  const comparison = (selector: string): Condition => {
    const op = next('an operator')
    if (op.kind === 'word' && op.text.toUpperCase() === 'IS') {
      const value = next('TRUE, FALSE or NULL').text.toUpperCase()
      if (value === 'TRUE' || value === 'FALSE') return { type: 'is', selector, value: value === 'TRUE' }
      if (value === 'NULL') return { type: 'is', selector, value: null }
      throw logsErrors.invalidFilterPattern(`IS ${value}`)
    }
    if (op.kind === 'word' && op.text.toUpperCase() === 'NOT') {
      if (next('EXISTS').text.toUpperCase() !== 'EXISTS') throw logsErrors.invalidFilterPattern('NOT must be followed by EXISTS')
      return { type: 'notExists', selector }
    }
    if (op.kind !== 'op' || op.text === '&&' || op.text === '||') throw logsErrors.invalidFilterPattern(`expected an operator after ${selector}`)
    const value = next('a value')
    const literal: Literal = value.kind === 'regex' ? { kind: 'regex', regex: compileRegex(value.text) }
      : value.kind === 'string' || value.kind === 'word'
        ? { kind: 'text', text: value.text, wildcard: value.text.includes('*') ? wildcardMatcher(value.text) : undefined, quoted: value.kind === 'string' }
        : fail(`expected a value after ${selector} ${op.text}`)
    return { type: 'compare', selector, op: op.text as Comparison, literal }
  }
  const condition = or()
  if (pos < tokens.length) throw logsErrors.invalidFilterPattern(`unexpected '${tokens[pos]!.text}'`)
  return condition
}

function fail(detail: string): never {
  throw logsErrors.invalidFilterPattern(detail)
}

/**
 * `numericText`: a string field that looks like a number compares as one (space-delimited fields
 * are all text); JSON fields compare as numbers only when they are JSON numbers.
 */
export function evaluate(condition: Condition, resolve: Resolve, numericText: boolean): boolean {
  switch (condition.type) {
    case 'and': return evaluate(condition.left, resolve, numericText) && evaluate(condition.right, resolve, numericText)
    case 'or': return evaluate(condition.left, resolve, numericText) || evaluate(condition.right, resolve, numericText)
    case 'is': {
      const { found, value } = resolve(condition.selector)
      return found && value === condition.value
    }
    case 'notExists': return !resolve(condition.selector).found
    case 'compare': {
      const { found, value } = resolve(condition.selector)
      // A field that is missing (or an object or array) matches no comparison, `!=` included.
      if (!found || value === null || typeof value === 'object') return false
      return compare(condition.op, value as string | number | boolean, condition.literal, numericText)
    }
  }
}

const numberPattern = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/

function compare(op: Comparison, actual: string | number | boolean, literal: Literal, numericText: boolean): boolean {
  if (literal.kind === 'regex') {
    if (op !== '=' && op !== '!=') return false
    return literal.regex(String(actual)) === (op === '=')
  }
  const numericLiteral = !literal.quoted && numberPattern.test(literal.text)
  const actualNumber = typeof actual === 'number' ? actual
    : numericText && typeof actual === 'string' && numberPattern.test(actual) ? Number(actual) : undefined
  if (numericLiteral && actualNumber !== undefined) {
    const expected = Number(literal.text)
    switch (op) {
      case '=': return actualNumber === expected
      case '!=': return actualNumber !== expected
      case '>': return actualNumber > expected
      case '>=': return actualNumber >= expected
      case '<': return actualNumber < expected
      case '<=': return actualNumber <= expected
    }
  }
  if (op !== '=' && op !== '!=') return false
  const text = String(actual)
  const equal = literal.wildcard !== undefined ? literal.wildcard(text) : text === literal.text
  return equal === (op === '=')
}

/** A value with `*` wildcards (core/glob.ts: no backtracking blow-up). */
function wildcardMatcher(text: string): (value: string) => boolean {
  return compileGlob(globTokens(text, false))
}
