// Lifecycle rules as S3 reads them: which objects a rule's filter selects, when its actions fall
// due (days count from creation, rounded up to the next midnight UTC [D]), the checks a PUT passes,
// and the x-amz-expiration header reads answer with.
import { randomUUID } from 'node:crypto'
import type { Bucket } from './bucket.ts'
import { s3Errors } from './errors.ts'
import type * as T from './generated/types.ts'
import type { ObjectVersion } from './object.ts'

export const dayMs = 86_400_000

/** The midnight UTC at or after `ms`. */
export function midnightAtOrAfter(ms: number): number {
  return Math.ceil(ms / dayMs) * dayMs
}

/** `days` after `from`, rounded up to midnight UTC: AWS's example, created 1/15 10:30 + 3 days → expires 1/19 00:00 [D]. */
export function dueAfterDays(from: Date, days: number): number {
  return midnightAtOrAfter(from.getTime() + days * dayMs)
}

/** The bucket's rules with Status Enabled (Disabled ones are stored, never applied). */
export function enabledRules(bucket: Bucket): T.LifecycleRule[] {
  const rules = bucket.configs.get('lifecycle') as T.LifecycleRule[] | undefined
  return rules?.filter((r) => r.Status === 'Enabled') ?? []
}

/** What a filter looks at: the key, and for objects their size and tags (uploads have neither). */
export interface Subject {
  key: string
  size?: number
  tags?: Readonly<Record<string, string>>
}

/**
 * Filter (Prefix, Tag, ObjectSizeGreaterThan/LessThan, or And of them) or the legacy rule-level
 * Prefix; an empty filter selects every object. Sizes compare strictly, as AWS's names say.
 */
export function ruleSelects(rule: T.LifecycleRule, subject: Subject): boolean {
  const f = rule.Filter
  const and = f?.And
  const prefix = rule.Prefix ?? f?.Prefix ?? and?.Prefix
  if (prefix !== undefined && !subject.key.startsWith(prefix)) return false
  const tags = [...(f?.Tag === undefined ? [] : [f.Tag]), ...(and?.Tags ?? [])]
  if (tags.some((t) => subject.tags?.[t.Key] !== t.Value)) return false
  const greater = f?.ObjectSizeGreaterThan ?? and?.ObjectSizeGreaterThan
  const less = f?.ObjectSizeLessThan ?? and?.ObjectSizeLessThan
  if (greater !== undefined && !(subject.size !== undefined && subject.size > greater)) return false
  if (less !== undefined && !(subject.size !== undefined && subject.size < less)) return false
  return true
}

/** When a current version expires under this rule's Expiration (Days or Date), if it does. */
export function currentExpiry(rule: T.LifecycleRule, version: ObjectVersion): number | undefined {
  const e = rule.Expiration
  if (e?.Days !== undefined) return dueAfterDays(version.lastModified, e.Days)
  if (e?.Date !== undefined) return new Date(e.Date).getTime()
  return undefined
}

/** The rule that expires this current version first, and when. */
export function firstExpiry(bucket: Bucket, version: ObjectVersion): { rule: T.LifecycleRule; at: number } | undefined {
  let first: { rule: T.LifecycleRule; at: number } | undefined
  for (const rule of enabledRules(bucket)) {
    if (!ruleSelects(rule, version)) continue
    const at = currentExpiry(rule, version)
    if (at !== undefined && (first === undefined || at < first.at)) first = { rule, at }
  }
  return first
}

/** x-amz-expiration on PutObject/GetObject/HeadObject of a current version: `expiry-date="<RFC 1123>", rule-id="<ID>"` [D]. */
export function expirationHeader(bucket: Bucket, version: ObjectVersion): string | undefined {
  if (version.deleteMarker || bucket.current(version.key) !== version || !bucket.configs.has('lifecycle')) return undefined
  const first = firstExpiry(bucket, version)
  if (first === undefined) return undefined
  return `expiry-date="${new Date(first.at).toUTCString()}", rule-id="${first.rule.ID ?? ''}"`
}

/** Rules as stored: one without an ID gets a generated one (AWS: a random base64 id) [D]. */
export function withRuleIds(rules: readonly T.LifecycleRule[]): T.LifecycleRule[] {
  return rules.map((rule) => rule.ID === undefined || rule.ID === '' ? { ...rule, ID: Buffer.from(randomUUID()).toString('base64') } : rule)
}

/** The checks a PUT ?lifecycle makes before storing the rules [R: wording as AWS's error messages are recalled]. */
export function checkLifecycleRules(rules: readonly T.LifecycleRule[]): void {
  const ids = new Set<string>()
  for (const rule of rules) {
    if (rule.ID !== undefined) {
      if (rule.ID.length > 255) throw s3Errors.invalidArgument('ID length should not exceed allowed limit of 255', 'ID', rule.ID)
      if (ids.has(rule.ID)) throw s3Errors.invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', rule.ID)
      ids.add(rule.ID)
    }
    for (const t of rule.Transitions ?? []) {
      if (t.Date !== undefined && new Date(t.Date).getTime() % dayMs !== 0) throw s3Errors.invalidArgument('\'Date\' must be at midnight GMT')
    }
    const e = rule.Expiration
    if (rule.Status !== 'Enabled' && rule.Status !== 'Disabled') throw s3Errors.malformedXml()
    if (e?.Days !== undefined && (!Number.isInteger(e.Days) || e.Days <= 0)) {
      throw s3Errors.invalidArgument('\'Days\' for Expiration action must be a positive integer')
    }
    if (e?.ExpiredObjectDeleteMarker !== undefined && (e.Days !== undefined || e.Date !== undefined)) {
      throw s3Errors.malformedXml()
    }
    if (e?.Date !== undefined && new Date(e.Date).getTime() % dayMs !== 0) {
      throw s3Errors.invalidArgument('\'Date\' must be at midnight GMT')
    }
    const n = rule.NoncurrentVersionExpiration
    if (n !== undefined && (n.NoncurrentDays === undefined || n.NoncurrentDays <= 0)) {
      throw s3Errors.invalidArgument('\'NoncurrentDays\' for NoncurrentVersionExpiration action must be a positive integer')
    }
  }
}
