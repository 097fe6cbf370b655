// Walks a bucket's keys in UTF-8 byte order for ListObjects (v1, v2) and ListObjectVersions:
// prefix, delimiter rolling keys up into common prefixes, an exclusive start, and a page size.
import { type Bucket, compareKeys } from './bucket.ts'
import type { ObjectVersion } from './object.ts'

export interface ListQuery {
  prefix: string
  delimiter: string | undefined
  /** Exclusive: the marker, start-after or continuation position. */
  after: string | undefined
  /** Makes `after` inclusive (ListObjectVersions continuing inside the marker key). */
  includeAfter?: boolean
  maxKeys: number
}

export type ListEntry = { version: ObjectVersion; prefix?: undefined } | { prefix: string; version?: undefined }

export interface ListPage {
  entries: ListEntry[]
  truncated: boolean
}

/** First index whose key is ≥ `value`. */
function lowerBound(keys: readonly string[], value: string): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareKeys(keys[mid]!, value) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The common prefix a key rolls up into, if the delimiter appears after the prefix. */
function commonPrefix(key: string, q: ListQuery): string | undefined {
  if (q.delimiter === undefined || q.delimiter === '') return undefined
  const i = key.indexOf(q.delimiter, q.prefix.length)
  return i === -1 ? undefined : key.slice(0, i + q.delimiter.length)
}

/**
 * Walks keys from the start position; `visit` turns one key into entries (its current version, or
 * its versions). Stops once `maxKeys` entries are taken and another one exists.
 */
function walk(bucket: Bucket, q: ListQuery, visit: (key: string) => ListEntry[]): ListPage {
  const entries: ListEntry[] = []
  if (q.maxKeys <= 0) return { entries, truncated: false }
  const keys = bucket.sortedKeys()
  const from = q.after !== undefined && compareKeys(q.after, q.prefix) > 0 ? q.after : q.prefix
  let lastPrefix: string | undefined
  const passed = (value: string) => q.after !== undefined && (q.includeAfter === true
    ? compareKeys(value, q.after) < 0 : compareKeys(value, q.after) <= 0)
  for (let i = lowerBound(keys, from); i < keys.length; i++) {
    const key = keys[i]!
    if (!key.startsWith(q.prefix)) break
    const rolled = commonPrefix(key, q)
    if (rolled !== undefined) {
      // A marker inside a common prefix means that prefix was already returned.
      if (rolled === lastPrefix || passed(rolled)) continue
      if (visit(key).length === 0) continue
      if (entries.length === q.maxKeys) return { entries, truncated: true }
      entries.push({ prefix: rolled })
      lastPrefix = rolled
      continue
    }
    if (passed(key)) continue
    for (const entry of visit(key)) {
      if (entries.length === q.maxKeys) return { entries, truncated: true }
      entries.push(entry)
    }
  }
  return { entries, truncated: false }
}

/** ListObjects / ListObjectsV2: current versions that are not delete markers. */
export function listObjects(bucket: Bucket, q: ListQuery): ListPage {
  return walk(bucket, q, (key) => {
    const current = bucket.current(key)
    return current === undefined || current.deleteMarker ? [] : [{ version: current }]
  })
}

/**
 * ListObjectVersions: every version, newest first per key. `afterVersion` continues inside the
 * marker key (VersionIdMarker); without it the marker key is skipped whole.
 */
export function listVersions(bucket: Bucket, q: ListQuery, afterVersion: string | undefined): ListPage {
  const marker = q.after
  const resume = afterVersion !== undefined && marker !== undefined
  // Start at the marker key itself when continuing inside it.
  const query = resume ? { ...q, includeAfter: true } : q
  return walk(bucket, query, (key) => {
    const versions = bucket.versions(key)
    if (resume && key === marker) {
      const i = versions.findIndex((v) => v.versionId === afterVersion)
      return versions.slice(i + 1).map((version) => ({ version }))
    }
    return versions.map((version) => ({ version }))
  })
}

/** encoding-type=url: keys and prefixes percent-encoded, `/` kept as is. */
export function urlEncodeKey(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}
