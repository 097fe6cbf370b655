// `{"wildcard": "dir/*.png"}`: `*` is any run of characters (including none), `\*` a literal star,
// `\\` a literal backslash. Validation and the complexity cap follow Event Ruler.
import { anyRun, compileGlob, type GlobToken } from '../core/glob.ts'
import { fail } from './errors.ts'

const STAR = 256
const QUOTE = 0x22
const BACKSLASH = 0x5c
const ASTERISK = 0x2a

/**
 * The pattern as bytes with STAR for each wildcard. Positions in Event Ruler's messages count
 * UTF-8 bytes of the value wrapped in quotes, hence the +1.
 */
export function wildcardTokens(pattern: string): number[] {
  const bytes = Buffer.from(pattern, 'utf8')
  const tokens: number[] = []
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b === ASTERISK) {
      if (bytes[i + 1] === ASTERISK) fail(`Consecutive wildcard characters at pos ${i + 1}`)
      tokens.push(STAR)
    } else if (b === BACKSLASH) {
      const next = bytes[i + 1]
      if (next !== ASTERISK && next !== BACKSLASH) fail(`Invalid escape character at pos ${i + 1}`)
      tokens.push(next)
      i++
    } else {
      tokens.push(b)
    }
  }
  return tokens
}

/** Validates a wildcard pattern and returns its test on string values. */
export function compileWildcard(pattern: string): (value: string) => boolean {
  const tokens = wildcardTokens(pattern)
  if (!tokens.includes(STAR)) {
    const literal = Buffer.from(tokens).toString('utf8')
    return (v) => v === literal
  }
  // Literal runs between the stars, matched without a backtracking RegExp (core/glob.ts).
  const glob: GlobToken[] = []
  let run: number[] = []
  const flush = () => {
    if (run.length > 0) glob.push(Buffer.from(run).toString('utf8'))
    run = []
  }
  for (const t of tokens) {
    if (t === STAR) {
      flush()
      glob.push(anyRun)
    } else {
      run.push(t)
    }
  }
  flush()
  return compileGlob(glob)
}

/**
 * Event Ruler refuses a field whose wildcard patterns could leave too many partial matches alive
 * at once ("Rule is too complex …"). We simulate its byte machine: each pattern is an automaton
 * over the quoted value; the complexity of a set of live states is the states plus the wildcard
 * states they can step into; we explore every reachable set over the patterns' own bytes plus
 * one stand-in for "any other byte". Approximation of MachineComplexityEvaluator (see README).
 */
export function wildcardComplexity(patterns: readonly string[], limit: number): number {
  const machines = [...new Set(patterns)].map((p) => [QUOTE, ...wildcardTokens(p), QUOTE])
  const alphabet = [-1, ...new Set(machines.flat().filter((t) => t !== STAR))]
  const start = machines.map(() => [0])
  const seen = new Set<string>()
  const pending = [start]
  let maximum = 0
  while (pending.length > 0 && seen.size < 5000) {
    const live = pending.pop()!
    for (const byte of alphabet) {
      const next = machines.map((tokens, i) => step(tokens, live[i]!, byte))
      const complexity = next.reduce((sum, states, i) => sum + weigh(machines[i]!, states), 0)
      if (complexity === 0) continue
      if (complexity > limit) return complexity
      maximum = Math.max(maximum, complexity)
      const key = next.map((s) => s.join(',')).join('|')
      if (!seen.has(key)) {
        seen.add(key)
        pending.push(next)
      }
    }
  }
  return maximum
}

function step(tokens: readonly number[], states: readonly number[], byte: number): number[] {
  const next = new Set<number>()
  for (const s of states) {
    const token = tokens[s]
    if (token === STAR) {
      next.add(s + 1) // the star eats this byte
      if (tokens[s + 1] === byte) next.add(s + 2) // … or matches nothing
    } else {
      if (s > 0 && tokens[s - 1] === STAR) next.add(s) // after a star: keep eating
      if (token === byte) next.add(s + 1)
    }
  }
  return [...next].sort((a, b) => a - b)
}

function weigh(tokens: readonly number[], states: readonly number[]): number {
  let weight = states.length
  for (const s of states) if (tokens[s] === STAR && !states.includes(s + 1)) weight++
  return weight
}

export const WILDCARD_TOO_COMPLEX =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character'
