// CloudWatch Logs filter patterns (FilterLogEvents' filterPattern), compiled once per request into a
// predicate over an event's message. Four forms, told apart by their first character:
//   terms      ERROR "exact phrase" -excluded ?either ?or %regex%
//   JSON       { $.level = "ERROR" && ($.ms > 500 || $.retry IS TRUE) }
//   delimited  [ip, user, ..., status = 4*, bytes]
//   regex      %time(out|d out)%
import { logsErrors } from './errors.ts'
import { limits } from './limits.ts'
import { compileRegex, evaluate, type MessagePredicate, parseCondition, readQuoted, unlessTimedOut } from './pattern-expression.ts'
import { compileDelimited, compileDelimitedBinding } from './delimited-pattern.ts'

export type { MessagePredicate } from './pattern-expression.ts'

const cache = new Map<string, MessagePredicate>()

export function compileFilterPattern(pattern: string | undefined): MessagePredicate {
  // The model's FilterPattern is at most 1,024 characters; AWS's front end refuses longer ones, and
  // the bound also caps how deep a pattern's parentheses can nest for the recursive parser.
  if (pattern !== undefined && pattern.length > limits.maxFilterPatternLength) {
    throw logsErrors.validation(pattern, 'filterPattern', `Member must have length less than or equal to ${limits.maxFilterPatternLength}`)
  }
  const source = (pattern ?? '').trim()
  let predicate = cache.get(source)
  if (predicate === undefined) {
    predicate = unlessTimedOut(compile(source), false)
    if (cache.size >= 1_000) cache.clear()
    cache.set(source, predicate)
  }
  return predicate
}

/**
 * What a matching event's fields are, for metric filters: `$.a.b` (a JSON pattern's selectors) or
 * `$name` (a space-delimited pattern's named fields); `found` false when the event has none.
 */
export type FieldLookup = (field: string) => { found: boolean; value: unknown }

const nothing: FieldLookup = () => ({ found: false, value: undefined })

type FieldExtractor = (message: string) => FieldLookup | undefined

const extractors = new Map<string, FieldExtractor>()

/** Like compileFilterPattern, but a match also says what the event's fields are (undefined: no match). */
export function compileFieldExtractor(pattern: string): FieldExtractor {
  let extractor = extractors.get(pattern)
  if (extractor === undefined) {
    extractor = unlessTimedOut(compileExtractor(pattern), undefined)
    if (extractors.size >= 1_000) extractors.clear()
    extractors.set(pattern, extractor)
  }
  return extractor
}

function compileExtractor(pattern: string): FieldExtractor {
  const source = pattern.trim()
  const matches = compileFilterPattern(pattern)
  if (source.startsWith('[')) {
    const bind = compileDelimitedBinding(source)
    return (message) => {
      const bound = bind(message)
      if (bound === undefined) return undefined
      return (field) => {
        const name = field.startsWith('$') ? field.slice(1) : field
        const value = bound.get(name) ?? bound.get(field)
        return { found: value !== undefined, value }
      }
    }
  }
  if (source.startsWith('{')) {
    // The event's JSON parsed once for the condition and the lookups; each field's path read once.
    const test = compileJsonCondition(source)
    const paths = new Map<string, (string | number)[] | undefined>()
    const pathOf = (field: string) => {
      if (!paths.has(field)) paths.set(field, fieldPath(field))
      return paths.get(field)
    }
    return (message) => {
      const document = parseJsonObject(message)
      if (document === undefined || !test(document)) return undefined
      return (field) => {
        const path = pathOf(field)
        return path === undefined ? { found: false, value: undefined } : resolvePath(document, path)
      }
    }
  }
  return (message) => (matches(message) ? nothing : undefined)
}

function compile(source: string): MessagePredicate {
  if (source === '') return () => true
  if (source.startsWith('{')) return compileJson(source)
  if (source.startsWith('[')) return compileDelimited(source)
  return compileTerms(source)
}

function compileJson(source: string): MessagePredicate {
  const test = compileJsonCondition(source)
  return (message) => {
    const document = parseJsonObject(message)
    return document !== undefined && test(document)
  }
}

/** A JSON pattern's condition, tested on an event's parsed JSON. */
function compileJsonCondition(source: string): (document: unknown) => boolean {
  if (!source.endsWith('}')) throw logsErrors.invalidFilterPattern("a JSON pattern must end with '}'")
  const condition = parseCondition(source.slice(1, -1), (word) => word.startsWith('$'))
  const paths = new Map<string, (string | number)[]>()
  return (document) => evaluate(condition, (selector) => {
    let path = paths.get(selector)
    if (path === undefined) paths.set(selector, (path = parseSelector(selector)))
    return resolvePath(document, path)
  }, false)
}

/** A metric filter's `$.a.b` field as a path; undefined for one that names no JSON field (nothing found there, no error mid-upload). */
function fieldPath(field: string): (string | number)[] | undefined {
  if (!field.startsWith('$.') && !field.startsWith('$[')) return undefined
  try {
    return parseSelector(field)
  } catch {
    return undefined
  }
}

function parseJsonObject(message: string): unknown {
  const text = message.trim()
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** `$.a.b[0].c` → ['a', 'b', 0, 'c']. */
function parseSelector(selector: string): (string | number)[] {
  const path: (string | number)[] = []
  const re = /\.([^.[\]]+)|\[(\d+)\]/y
  re.lastIndex = 1
  while (re.lastIndex < selector.length) {
    const start = re.lastIndex
    const match = re.exec(selector)
    if (match === null || re.lastIndex === start) throw logsErrors.invalidFilterPattern(`invalid selector ${selector}`)
    path.push(match[1] !== undefined ? match[1] : Number(match[2]))
  }
  return path
}

function resolvePath(document: unknown, path: readonly (string | number)[]): { found: boolean; value: unknown } {
  let current = document
  for (const step of path) {
    if (current === null || typeof current !== 'object') return { found: false, value: undefined }
    if (typeof step === 'number' ? !Array.isArray(current) || step >= current.length : !Object.hasOwn(current, step)) {
      return { found: false, value: undefined }
    }
    current = (current as Record<string | number, unknown>)[step]
  }
  return { found: true, value: current }
}

interface Term {
  mode: 'require' | 'exclude'
  matches: (message: string) => boolean
}

/**
 * Terms: all plain terms must appear and no `-` term may. `?term` starts an alternative: the
 * pattern is split at each `?` into groups (the terms after a `?term` belong to its group, as the
 * CDK's anyTermGroup writes them), and an event matches when any group does. Matching is
 * case-sensitive substring matching.
 */
function compileTerms(source: string): MessagePredicate {
  const groups: Term[][] = [[]]
  let i = 0
  while (i < source.length) {
    if (/\s/.test(source[i]!)) { i++; continue }
    let prefix = ''
    if ((source[i] === '?' || source[i] === '-') && i + 1 < source.length && !/\s/.test(source[i + 1]!)) prefix = source[i++]!
    let matches: (message: string) => boolean
    if (source[i] === '"') {
      const { text, end } = readQuoted(source, i)
      matches = (message) => message.includes(text)
      i = end
    } else if (source[i] === '%') {
      const end = source.indexOf('%', i + 1)
      if (end < 0) throw logsErrors.invalidFilterPattern('unterminated %regex%')
      matches = compileRegex(source.slice(i + 1, end))
      i = end + 1
    } else {
      let end = i
      while (end < source.length && !/\s/.test(source[end]!)) end++
      const text = source.slice(i, end)
      matches = (message) => message.includes(text)
      i = end
    }
    if (prefix === '?' && groups[groups.length - 1]!.length > 0) groups.push([])
    groups[groups.length - 1]!.push({ mode: prefix === '-' ? 'exclude' : 'require', matches })
  }
  const alternatives = groups.filter((g) => g.length > 0)
  return (message) => alternatives.some((group) => group.every((term) => term.matches(message) === (term.mode === 'require')))
}
