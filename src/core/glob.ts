// Wildcard matching (`*` any run of characters, `?` one) without regular expressions. A glob turned
// into a backtracking RegExp (`^.*a.*a.*a.*a.*a.*a.*b$`) takes 30 s on 100 characters; this matcher
// finds the literal runs between `*`s one after the other, each at its first place (Knuth–Morris–
// Pratt: text + run steps), so a glob without `?` takes time linear in the text; one with `?` keeps
// only the last `*` to fall back to, at most pattern × text steps.
// Characters are UTF-16 units, as RegExp's `.` without the 'u' flag; `ignoreCase` folds them as
// RegExp's 'i' flag does without 'u' (simple upper-casing, never ASCII from non-ASCII).

export const anyRun: unique symbol = Symbol('*')
export const anyOne: unique symbol = Symbol('?')
/** Literal text, `anyRun` (`*`) or `anyOne` (`?`). */
export type GlobToken = string | typeof anyRun | typeof anyOne

/**
 * The tokens of a plain glob: `*` (and `?` when `withOne`) are wildcards, every other character
 * literal. `escape`, when given, makes a following `*`, `?` or `escape` literal (EC2's `\*`); before
 * any other character it is itself literal.
 */
export function globTokens(pattern: string, withOne = true, escape?: string): GlobToken[] {
  const tokens: GlobToken[] = []
  let literal = ''
  let quoted = false
  for (const c of pattern) {
    if (quoted) {
      if (c !== '*' && c !== '?' && c !== escape) literal += escape
      literal += c
      quoted = false
    } else if (c === escape) quoted = true
    else if (c === '*' || (withOne && c === '?')) {
      if (literal !== '') tokens.push(literal)
      literal = ''
      tokens.push(c === '*' ? anyRun : anyOne)
    } else literal += c
  }
  if (quoted) literal += escape
  if (literal !== '') tokens.push(literal)
  return tokens
}

function fold(code: number): number {
  if (code < 128) return code >= 97 && code <= 122 ? code - 32 : code
  const c = String.fromCharCode(code)
  const upper = c.toUpperCase()
  if (upper.length !== 1) return code
  const folded = upper.charCodeAt(0)
  return folded < 128 ? code : folded
}

const RUN = -1
const ONE = -2

/** A test of whole texts against the glob. */
export function compileGlob(tokens: readonly GlobToken[], ignoreCase = false): (text: string) => boolean {
  const units: number[] = []
  for (const t of tokens) {
    if (t === anyRun) {
      if (units[units.length - 1] !== RUN) units.push(RUN) // `**` is `*`
    } else if (t === anyOne) units.push(ONE)
    else for (let i = 0; i < t.length; i++) units.push(ignoreCase ? fold(t.charCodeAt(i)) : t.charCodeAt(i))
  }
  if (!units.includes(RUN) && !units.includes(ONE)) {
    const literal = tokens.join('')
    if (!ignoreCase) return (text) => text === literal
  }
  if (!units.includes(ONE)) return runsInOrder(units, ignoreCase)
  return (text) => {
    let p = 0
    let t = 0
    let star = -1
    let resume = 0
    while (t < text.length) {
      const u = units[p]
      if (u === RUN) {
        star = p++
        resume = t
        continue
      }
      if (u !== undefined && (u === ONE || u === (ignoreCase ? fold(text.charCodeAt(t)) : text.charCodeAt(t)))) {
        p++
        t++
      } else if (star >= 0) {
        // Let the last `*` take one more character and try the rest again.
        p = star + 1
        t = ++resume
      } else return false
    }
    while (units[p] === RUN) p++
    return p === units.length
  }
}

/** A `*`-only glob: the text starts with the first run, ends with the last, and holds the others in order between. */
function runsInOrder(units: readonly number[], ignoreCase: boolean): (text: string) => boolean {
  const runs: number[][] = [[]]
  for (const u of units) {
    if (u === RUN) runs.push([])
    else runs[runs.length - 1]!.push(u)
  }
  const first = runs[0]!
  const last = runs[runs.length - 1]!
  const middle = runs.slice(1, -1).map((run) => searcher(run, ignoreCase))
  const at = (text: string, run: readonly number[], start: number): boolean => {
    for (let i = 0; i < run.length; i++) {
      const c = text.charCodeAt(start + i)
      if ((ignoreCase ? fold(c) : c) !== run[i]) return false
    }
    return true
  }
  if (runs.length === 1) return (text) => text.length === first.length && at(text, first, 0)
  return (text) => {
    const end = text.length - last.length
    if (end < first.length || !at(text, first, 0) || !at(text, last, end)) return false
    let from = first.length
    for (const find of middle) {
      from = find(text, from, end)
      if (from < 0) return false
    }
    return true
  }
}

/** Knuth–Morris–Pratt for one run: where the run ends at its first place in text[from, end), or -1. */
function searcher(run: readonly number[], ignoreCase: boolean): (text: string, from: number, end: number) => number {
  const border = new Int32Array(run.length)
  for (let i = 1, k = 0; i < run.length; i++) {
    while (k > 0 && run[i] !== run[k]) k = border[k - 1]!
    if (run[i] === run[k]) k++
    border[i] = k
  }
  return (text, from, end) => {
    if (run.length === 0) return from
    for (let i = from, k = 0; i < end; i++) {
      const c = ignoreCase ? fold(text.charCodeAt(i)) : text.charCodeAt(i)
      while (k > 0 && c !== run[k]) k = border[k - 1]!
      if (c === run[k] && ++k === run.length) return i + 1
    }
    return -1
  }
}

/** Whether `text` matches the plain glob `pattern` (`*` and `?`). */
export function globMatches(pattern: string, text: string, ignoreCase = false): boolean {
  return compileGlob(globTokens(pattern), ignoreCase)(text)
}
