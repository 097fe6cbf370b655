// compilePattern: validate once, then match many events with closures (no re-parsing per event).
import { nestsDeeperThan } from '../core/json-depth.ts'
import { DIALECTS, type Dialect, type DialectRules } from './dialects.ts'
import { PatternError, PatternReason, fail } from './errors.ts'
import { flattenEvent, MAX_EVENT_DEPTH, pathPrefixes, type FlatEvent } from './flatten.ts'
import type { FieldTest } from './leaf.ts'
import { branchMatches } from './match.ts'
import { compileBranches, snsCombinations } from './structure.ts'
import { WILDCARD_TOO_COMPLEX, wildcardComplexity } from './wildcard.ts'

export interface CompiledPattern {
  readonly dialect: Dialect
  /** The pattern as parsed JSON. */
  readonly pattern: Readonly<Record<string, unknown>>
  /** The `$or`-expanded alternatives; empty for SNS's match-everything `{}`. */
  readonly branches: readonly (readonly FieldTest[])[]
  /** Every path the pattern reads and their prefixes: the only parts of an event worth flattening. */
  readonly paths: ReadonlySet<string>
  /**
   * Does the event match? A string is parsed as JSON first (SNS message bodies); a string that is
   * not a JSON object matches nothing.
   */
  matches(event: unknown): boolean
  /** The same on an event already flattened (PatternIndex flattens once for all its patterns). */
  matchesFlat(event: FlatEvent): boolean
}

export function compilePattern(pattern: string | object, dialect: Dialect): CompiledPattern {
  try {
    return compile(pattern, DIALECTS[dialect], dialect)
  } catch (error) {
    if (error instanceof PatternReason) throw new PatternError(error.kind, error.message, dialect)
    throw error
  }
}

function parse(pattern: string | object, rules: DialectRules): Record<string, unknown> {
  const text = typeof pattern === 'string' ? pattern : JSON.stringify(pattern)
  if (text.length > rules.maxPatternLength) fail(`Pattern is longer than ${rules.maxPatternLength} characters`, 'too-large')
  // The compiler recurses per level: a pattern nested deeper than any event can be is refused first.
  if (nestsDeeperThan(text, MAX_EVENT_DEPTH)) fail('Filter is not valid JSON', 'invalid-json')
  let parsed: unknown = pattern
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern)
    } catch {
      // AWS quotes Jackson's parser message here; ours would differ anyway, so keep it plain.
      fail('Filter is not valid JSON', 'invalid-json')
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('Filter is not an object', 'invalid-structure')
  return parsed as Record<string, unknown>
}

function checkLimits(pattern: Record<string, unknown>, rules: DialectRules): void {
  if (rules.maxKeys !== undefined && Object.keys(pattern).length > rules.maxKeys) {
    fail(`Filter policy can not have more than ${rules.maxKeys} keys`, 'too-many-keys')
  }
  if (rules.maxCombinations !== undefined && snsCombinations(pattern) > rules.maxCombinations) {
    fail('Filter policy is too complex', 'too-complex')
  }
}

function checkWildcards(branches: readonly (readonly FieldTest[])[], rules: DialectRules): void {
  const byPath = new Map<string, Set<string>>()
  for (const branch of branches) {
    for (const field of branch) {
      if (field.wildcards.length === 0) continue
      const set = byPath.get(field.path) ?? new Set<string>()
      for (const w of field.wildcards) set.add(w)
      byPath.set(field.path, set)
    }
  }
  for (const patterns of byPath.values()) {
    if (wildcardComplexity([...patterns], rules.wildcardComplexityLimit) > rules.wildcardComplexityLimit) {
      fail(WILDCARD_TOO_COMPLEX, 'too-complex')
    }
  }
}

function compile(source: string | object, rules: DialectRules, dialect: Dialect): CompiledPattern {
  const pattern = parse(source, rules)
  const empty = Object.keys(pattern).length === 0
  if (empty && !rules.emptyPatternMatchesAll) fail('Empty objects are not allowed', 'invalid-structure')
  checkLimits(pattern, rules)
  const branches = empty ? [] : compileBranches(pattern, rules).map((b) => [...b.values()])
  checkWildcards(branches, rules)
  const paths = pathPrefixes(branches.flatMap((b) => b.map((f) => f.path)))
  const matchesFlat = (event: FlatEvent): boolean => {
    if (empty) return true
    for (const branch of branches) if (branchMatches(branch, event)) return true
    return false
  }
  return {
    dialect,
    pattern,
    branches,
    paths,
    matchesFlat,
    matches(event: unknown): boolean {
      const value = typeof event === 'string' ? parseEvent(event) : event
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
      return matchesFlat(flattenEvent(value, paths))
    },
  }
}

function parseEvent(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
