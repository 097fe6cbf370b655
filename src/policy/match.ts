// Matching as IAM does it: `*` and `?` wildcards (actions case-insensitively, ARNs segment by
// segment), and policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${*}`, defaults).
import { compileGlob, globTokens } from '../core/glob.ts'

const globCache = new Map<string, (value: string) => boolean>()

/**
 * Marks the next character of a substituted pattern as literal: `${*}` and `${?}` are a literal `*`
 * and `?` where a pattern would take them as wildcards (`substitute(…, true)`). A noncharacter, so
 * no policy means it.
 */
const literalNext = '\uFDD0'

/** `*` any run of characters, `?` one character; the rest literal (core/glob.ts: no backtracking blow-up). */
export function glob(pattern: string, value: string, ignoreCase = false): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`
  let matcher = globCache.get(key)
  if (matcher === undefined) {
    matcher = compileGlob(globTokens(pattern, true, literalNext), ignoreCase)
    if (globCache.size > 10_000) globCache.clear()
    globCache.set(key, matcher)
  }
  return matcher(value)
}

/** `service:Action` patterns match case-insensitively (`s3:get*` matches `s3:GetObject`). */
export function actionMatches(pattern: string, action: string): boolean {
  return pattern === '*' || glob(pattern, action, true)
}

/**
 * ARNs match segment by segment (partition, service, region, account, resource); the resource
 * segment keeps its own colons and slashes, which a `*` there spans. A bare `*` matches anything.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true
  const p = splitArn(pattern)
  const a = splitArn(arn)
  if (p === undefined || a === undefined) return glob(pattern, arn)
  return p.every((segment, i) => glob(segment, a[i]!))
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':')
  if (parts.length < 6 || parts[0] !== 'arn') return undefined
  return [...parts.slice(1, 5), parts.slice(5).join(':')]
}

/** Values a request carries for condition keys and policy variables (keys compared case-insensitively). */
export type ContextValues = Readonly<Record<string, string | readonly string[] | undefined>>

export function contextValue(context: ContextValues, key: string): readonly string[] | undefined {
  const lower = key.toLowerCase()
  for (const [name, value] of Object.entries(context)) {
    if (name.toLowerCase() === lower) return value === undefined ? undefined : typeof value === 'string' ? [value] : value
  }
  return undefined
}

/**
 * Substitutes `${…}` variables; undefined when one has no value and no default (the statement then
 * doesn't match, as AWS treats it). `${*}`, `${?}`, `${$}` are the literal characters; in a
 * `pattern` (a Resource, StringLike, ArnLike…) `${*}` and `${?}` stay literal there, not wildcards.
 */
export function substitute(text: string, context: ContextValues, pattern = false): string | undefined {
  if (!text.includes('${')) return text
  let missing = false
  const out = text.replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
    if (inner === '$') return inner
    if (inner === '*' || inner === '?') return pattern ? literalNext + inner : inner
    const [name, fallback] = inner.split(/,\s*/, 2) as [string, string | undefined]
    const value = contextValue(context, name.trim())
    if (value !== undefined && value.length === 1) return value[0]!
    if (fallback !== undefined) return fallback.replace(/^'|'$/g, '')
    missing = true
    return ''
  })
  return missing ? undefined : out
}
