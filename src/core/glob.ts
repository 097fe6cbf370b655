// Wildcard matching (`*` any run of characters, `?` one) without regular expressions. A glob turned
// into a backtracking RegExp (`^.*a.*a.*a.*a.*a.*a.*b$`) takes 30 s on 100 characters; this matcher
// keeps only the last `*` to fall back to, so it takes at most pattern × text steps.
// Characters are UTF-16 units, as RegExp's `.` without the 'u' flag; `ignoreCase` folds them as
// RegExp's 'i' flag does without 'u' (simple upper-casing, never ASCII from non-ASCII).

export const anyRun: unique symbol = Symbol('*')
export const anyOne: unique symbol = Symbol('?')
/** Literal text, `anyRun` (`*`) or `anyOne` (`?`). */
export type GlobToken = string | typeof anyRun | typeof anyOne

/** The tokens of a plain glob: `*` (and `?` when `withOne`) are wildcards, every other character literal. */
export function globTokens(pattern: string, withOne = true): GlobToken[] {
  const tokens: GlobToken[] = []
  let literal = ''
  for (const c of pattern) {
    if (c === '*' || (withOne && c === '?')) {
      if (literal !== '') tokens.push(literal)
      literal = ''
      tokens.push(c === '*' ? anyRun : anyOne)
    } else literal += c
  }
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

/** Whether `text` matches the plain glob `pattern` (`*` and `?`). */
export function globMatches(pattern: string, text: string, ignoreCase = false): boolean {
  return compileGlob(globTokens(pattern), ignoreCase)(text)
}
