// Java's regular expressions as String.replaceAll/replaceFirst/split/matches use them, run on
// JavaScript's engine: the syntax the two share, Java's leading inline flags, Java's replacement rules.
// Every match runs bounded (core/bounded-regex.ts): a pattern that backtracks catastrophically
// (`(a+)+b`, `a*b` on a long text) fails the template instead of stalling Nimbus's one thread.
import { boundedMatches, type BoundedMatch, RegexTimeout } from '../../../core/bounded-regex.ts'
import { VtlError } from './values.ts'

const compiled = new Map<string, { source: string; flags: string }>()

/** The JavaScript source and flags of a Java pattern, anchored at both ends when `whole` (VtlError when it doesn't compile). */
function javaRegex(pattern: string, global: boolean, whole: boolean): { source: string; flags: string } {
  const key = `${global ? 'g' : ''}${whole ? 'w' : ''}:${pattern}`
  const cached = compiled.get(key)
  if (cached !== undefined) return cached
  let flags = global ? 'g' : ''
  let source = pattern
  // (?i) (?s) (?m) at the start are Java's inline flags; JavaScript takes them as flags.
  const inline = /^\(\?([imsx]+)\)/.exec(source)
  if (inline !== null) {
    source = source.slice(inline[0].length)
    for (const f of inline[1]!) if (f !== 'x' && !flags.includes(f)) flags += f
  }
  // Anchored after the inline flags are taken off: `(?i)abc` whole is `^(?:abc)$` with 'i'.
  if (whole) source = `^(?:${source})$`
  try {
    new RegExp(source, flags) // compiled here only to refuse a bad pattern; the matching is bounded
  } catch {
    // Java throws PatternSyntaxException: the template fails.
    throw new VtlError(`Invalid regular expression: ${pattern}`)
  }
  if (compiled.size > 500) compiled.clear()
  const regex = { source, flags }
  compiled.set(key, regex)
  return regex
}

/** The matches of a Java pattern in `text` (every one when `global`), bounded in time. */
function javaMatchList(pattern: string, text: string, global: boolean, whole = false, limit = Infinity): BoundedMatch[] {
  const { source, flags } = javaRegex(pattern, global, whole)
  try {
    return boundedMatches(source, flags, text, { limit })
  } catch (error) {
    if (error instanceof RegexTimeout) throw new VtlError(`Regular expression took too long: ${pattern}`)
    throw error
  }
}

/** Java's Matcher.replaceAll: `$n` and `${name}` name groups, a backslash quotes the next character. */
export function javaReplace(text: string, pattern: string, replacement: string, all: boolean): string {
  let out = ''
  let last = 0
  for (const m of javaMatchList(pattern, text, true, false, all ? Infinity : 1)) {
    out += text.slice(last, m.index) + replaced(m, replacement)
    last = m.index + m.captures[0]!.length
  }
  return out + text.slice(last)
}

/** One match's replacement text. */
function replaced(m: BoundedMatch, replacement: string): string {
  const groups = m.captures
  const named = m.named ?? {}
  let out = ''
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!
    if (c === '\\') {
      if (i + 1 >= replacement.length) throw new VtlError('character to be escaped is missing')
      out += replacement[++i]
    } else if (c === '$') {
      const name = /^\{([a-zA-Z][a-zA-Z0-9]*)\}/.exec(replacement.slice(i + 1))
      if (name !== null) {
        if (!(name[1]! in named)) throw new VtlError(`No group with name {${name[1]}}`)
        out += named[name[1]!] ?? ''
        i += name[0].length
        continue
      }
      const digits = /^\d/.exec(replacement.slice(i + 1))
      if (digits === null) throw new VtlError('Illegal group reference')
      const n = Number(digits[0])
      if (n >= groups.length) throw new VtlError(`No group ${n}`)
      out += groups[n] ?? ''
      i += 1
    } else out += c
  }
  return out
}

/** Java's String.split: no capture groups in the result; limit 0 drops trailing empty strings. */
export function javaSplit(text: string, pattern: string, limit: number): string[] {
  if (text === '') return ['']
  const parts: string[] = []
  let start = 0
  for (const m of javaMatchList(pattern, text, true)) {
    // A zero-width match at the very start yields no leading empty string (Java 8).
    if (m.captures[0] === '' && (m.index === 0 || m.index >= text.length)) continue
    if (limit > 0 && parts.length === limit - 1) break
    parts.push(text.slice(start, m.index))
    start = m.index + m.captures[0]!.length
  }
  parts.push(text.slice(start))
  if (limit === 0) while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

/** Java's String.matches: the whole text. */
export function javaMatchesWhole(pattern: string, text: string): boolean {
  return javaMatchList(pattern, text, false, true).length > 0
}
