// Java's regular expressions as String.replaceAll/replaceFirst/split/matches use them, run on
// JavaScript's engine: the syntax the two share, Java's leading inline flags, Java's replacement rules.
import { createContext, Script } from 'node:vm'
import { VtlError } from './values.ts'

const cache = new Map<string, RegExp>()

export function javaRegex(pattern: string, global: boolean): RegExp {
  const key = `${global ? 'g' : ''}:${pattern}`
  const cached = cache.get(key)
  if (cached !== undefined) return cached
  let flags = global ? 'g' : ''
  let source = pattern
  // (?i) (?s) (?m) at the start are Java's inline flags; JavaScript takes them as flags.
  const inline = /^\(\?([imsx]+)\)/.exec(source)
  if (inline !== null) {
    source = source.slice(inline[0].length)
    for (const f of inline[1]!) if (f !== 'x' && !flags.includes(f)) flags += f
  }
  try {
    const regex = new RegExp(source, flags)
    if (cache.size > 500) cache.clear()
    cache.set(key, regex)
    return regex
  } catch {
    // Java throws PatternSyntaxException: the template fails.
    throw new VtlError(`Invalid regular expression: ${pattern}`)
  }
}

// A pattern that can backtrack catastrophically (`(a+)+b`) would stall Nimbus's one thread: such
// patterns run on a bounded clock. The fixed script only calls the given function (the watchdog's
// TerminateExecution stops a regex mid-match); the user's pattern stays data, never code.
const sandbox = createContext({ job: undefined, result: undefined })
const runner = new Script('result = job()')
const regexBudgetMs = 100
/** A quantified group or a backreference: the shapes that can blow up (`(a+)+`, `(a|aa)*`, `(x)\1`). */
const risky = /\)\s*[*+?{]|\\\d/

/** Runs `work` (a regex operation on `text`), bounded in time when the pattern is risky and the text not tiny. */
export function boundedRegex<T>(pattern: string, text: string, work: () => T): T {
  if (text.length <= 16 || !risky.test(pattern)) return work()
  sandbox.job = work
  try {
    runner.runInContext(sandbox, { timeout: regexBudgetMs })
    return sandbox.result as T
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new VtlError(`Regular expression took too long: ${pattern}`)
    throw error
  } finally {
    sandbox.job = undefined
    sandbox.result = undefined
  }
}

/** Java's Matcher.replaceAll: `$n` and `${name}` name groups, a backslash quotes the next character. */
export function javaReplace(text: string, pattern: string, replacement: string, all: boolean): string {
  return boundedRegex(pattern, text, () => replace(text, pattern, replacement, all))
}

function replace(text: string, pattern: string, replacement: string, all: boolean): string {
  const regex = javaRegex(pattern, true)
  regex.lastIndex = 0
  let done = false
  return text.replace(regex, (...match: unknown[]) => {
    if (done) return match[0] as string
    if (!all) done = true
    const groups = match.filter((m) => typeof m === 'string' || m === undefined).slice(0, -1) as (string | undefined)[]
    const named = typeof match[match.length - 1] === 'object' ? match[match.length - 1] as Record<string, string | undefined> : {}
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
  })
}

/** Java's String.split: no capture groups in the result; limit 0 drops trailing empty strings. */
export function javaSplit(text: string, pattern: string, limit: number): string[] {
  return boundedRegex(pattern, text, () => split(text, pattern, limit))
}

/** Java's String.matches: the whole text. */
export function javaMatchesWhole(pattern: string, text: string): boolean {
  return boundedRegex(pattern, text, () => javaRegex(`^(?:${pattern})$`, false).test(text))
}

function split(text: string, pattern: string, limit: number): string[] {
  if (text === '') return ['']
  const regex = javaRegex(pattern, true)
  regex.lastIndex = 0
  const parts: string[] = []
  let start = 0
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    if (m[0] === '') {
      regex.lastIndex++
      // A zero-width match at the very start yields no leading empty string (Java 8).
      if (m.index === 0 || m.index >= text.length) continue
    }
    if (limit > 0 && parts.length === limit - 1) break
    parts.push(text.slice(start, m.index))
    start = m.index + m[0].length
  }
  parts.push(text.slice(start))
  if (limit === 0) while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
  return parts
}
