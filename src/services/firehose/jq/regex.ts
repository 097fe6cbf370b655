// jq's regex builtins over JavaScript's RegExp (Unicode mode): test, match, capture, scan, split/2,
// splits, sub, gsub. Offsets and lengths count codepoints, as jq's do. Flags: g i x s (n l accepted).
// Matches run bounded (core/bounded-regex.ts): past the bound the RegexTimeout is not a JqError, so
// `try` and `?` don't catch it and the record fails, as with the step budget. The bound is the whole
// run's (budget.regexMsLeft): Nimbus's thread waits for each match, so 1,000 matches of 0.9 s each
// must not hold it for 15 minutes.
import { boundedMatches, regexBudget, RegexTimeout, type BoundedMatch } from '../../../core/bounded-regex.ts'
import { budget, built, codepoints, fail, shown, type Json, type Obj } from './values.ts'

function timed(source: string, flags: string, text: string, limit: number): BoundedMatch[] {
  const total = regexBudget()
  if (!(budget.regexMsLeft > 0)) throw new RegexTimeout(total)
  const started = performance.now()
  try {
    return boundedMatches(source, flags, text, { budgetMs: Math.min(total, budget.regexMsLeft), limit })
  } catch (e) {
    // Ran out of what the run had left: worded as the run's bound (an engine failure keeps its own words).
    throw e instanceof RegexTimeout && e.budgetMs < total && e.message === new RegexTimeout(e.budgetMs).message ? new RegexTimeout(total) : e
  } finally {
    budget.regexMsLeft -= performance.now() - started
  }
}

const str = (v: Json, what: string): string => typeof v === 'string' ? v : fail(`${shown(v)} ${what}`)

export function regex(re: Json, flags: Json): { source: string; flags: string; global: boolean; names: Array<string | null> } {
  const source = str(re, 'cannot be matched, as it is not a string')
  const f = flags === null ? '' : str(flags, 'is not a string')
  const bad = codepoints(f).find((c) => !'gixnsl'.includes(c))
  if (bad !== undefined) fail(`${f} is not a valid modifier string`)
  const text = f.includes('x') ? source.replace(/\\#/g, '\u0000').replace(/\s+|#.*$/gm, '').replace(/\u0000/g, '\\#') : source
  const jsFlags = `dgu${f.includes('i') ? 'i' : ''}${f.includes('s') ? 's' : ''}`
  try {
    new RegExp(text, jsFlags) // compiled here to word a syntax error as jq does; run bounded in matches()
    return { source: text, flags: jsFlags, global: f.includes('g'), names: groupNames(text) }
  } catch (e) {
    return fail(`${source} (at offset 0) is not a valid regex: ${(e as Error).message}`)
  }
}

/** Each capturing group's name (null when unnamed), in order: what jq reports in `captures`. */
function groupNames(src: string): Array<string | null> {
  const names: Array<string | null> = []
  let inClass = false
  for (let i = 0; i < src.length; i++) {
    const c = src[i]
    if (c === '\\') i++
    else if (inClass) inClass = c !== ']'
    else if (c === '[') inClass = true
    else if (c === '(') {
      if (src[i + 1] !== '?') names.push(null)
      else if (src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') names.push(src.slice(i + 3, src.indexOf('>', i)))
    }
  }
  return names
}

/** jq's match objects: {offset, length, string, captures: [{offset, length, string, name}]}. */
export function matches(input: Json, re: Json, flags: Json): Obj[] {
  const s = str(input, 'cannot be matched, as it is not a string')
  const { source, flags: jsFlags, global, names } = regex(re, flags)
  // A UTF-16 offset as codepoints: the same number unless a surrogate pair comes before it (counting
  // the prefix each match made `[match("x"; "g")]` quadratic: 100,000 matches over 100,000 characters).
  const at = /[\uD800-\uDFFF]/.test(s) ? (i: number) => codepoints(s.slice(0, i)).length : (i: number) => i
  const out: Obj[] = []
  for (const m of timed(source, jsFlags, s, global ? Infinity : 1)) {
    const captures = names.map((name, g) => {
      const text = m.captures[g + 1]
      const span = m.spans[g + 1]
      if (text === undefined || span === undefined) return { offset: -1, length: 0, string: null, name }
      return { offset: at(span[0]), length: codepoints(text).length, string: text, name }
    })
    out.push({ offset: at(m.index), length: codepoints(m.captures[0]!).length, string: m.captures[0]!, captures })
    if (!global) break
  }
  return out
}

export function captureObject(m: Obj): Obj {
  const out: Obj = {}
  for (const c of m.captures as Obj[]) if (typeof c.name === 'string') out[c.name] = c.string!
  return out
}

/** `sub`/`gsub`: each match replaced by `replace(its capture object)`. */
export function substitute(input: Json, re: Json, flags: Json, replace: (captures: Obj) => string): string {
  const s = str(input, 'cannot be matched, as it is not a string')
  const cps = codepoints(s)
  let out = ''
  let last = 0
  for (const m of matches(s, re, flags)) {
    out += cps.slice(last, m.offset as number).join('') + replace(captureObject(m))
    last = (m.offset as number) + (m.length as number)
  }
  return built(out + cps.slice(last).join('')) as string
}

export function splitRe(input: Json, re: Json, flags: Json): string[] {
  const s = str(input, 'cannot be matched, as it is not a string')
  const cps = codepoints(s)
  const out: string[] = []
  let last = 0
  for (const m of matches(s, re, `g${flags === null ? '' : str(flags, 'is not a string')}`)) {
    out.push(cps.slice(last, m.offset as number).join(''))
    last = (m.offset as number) + (m.length as number)
  }
  out.push(cps.slice(last).join(''))
  return out
}
