// The DescribeX filter language: each filter names a field (or `tag:<key>`, `tag-key`, `tag-value`)
// and values with `*` and `?` wildcards; values of one filter are ORed, filters are ANDed. And
// MaxResults/NextToken pagination over the filtered list.
import { compileGlob, globTokens } from '../../core/glob.ts'
import { ec2Errors } from './errors.ts'
import type { Tag } from './resources.ts'

export interface Filter {
  Name?: string
  Values?: string[]
}

/** A resource type's filters: name → the resource's values for it (booleans and numbers as AWS prints them). */
export type FilterTable<T> = Readonly<Record<string, (resource: T) => readonly (string | undefined)[]>>

/** A filter value's test: `*` any run, `?` one character, `\*` `\?` `\\` literal, as AWS documents (core/glob.ts: no backtracking blow-up). */
function wildcard(pattern: string): (value: string) => boolean {
  return compileGlob(globTokens(pattern, true, '\\'))
}

/** Tag filters shared by every taggable resource. */
function tagValues(tags: readonly Tag[], name: string): readonly string[] {
  if (name.startsWith('tag:')) {
    const key = name.slice(4)
    return tags.filter((t) => t.Key === key).map((t) => t.Value)
  }
  if (name === 'tag-key') return tags.map((t) => t.Key)
  if (name === 'tag-value') return tags.map((t) => t.Value)
  return []
}

const isTagFilter = (name: string) => name.startsWith('tag:') || name === 'tag-key' || name === 'tag-value'

/** A predicate for the filters; an unknown filter name is AWS's InvalidParameterValue "The filter '…' is invalid". */
export function compileFilters<T>(filters: readonly Filter[] | undefined, table: FilterTable<T>): (resource: T) => boolean {
  if (filters === undefined || filters.length === 0) return () => true
  const compiled = filters.map((f) => {
    const name = f.Name ?? ''
    const field = Object.hasOwn(table, name) ? table[name] : undefined
    if (field === undefined && !isTagFilter(name)) throw ec2Errors.invalidFilter(name)
    return { name, patterns: (f.Values ?? []).map(wildcard), field }
  })
  return (resource) => compiled.every(({ name, patterns, field }) => {
    const values = field !== undefined ? field(resource) : tagValues((resource as { tags?: Tag[] }).tags ?? [], name)
    return patterns.some((p) => values.some((v) => v !== undefined && p(v)))
  })
}

export interface Page<T> {
  items: T[]
  nextToken: string | undefined
}

/** A page from the token's offset (opaque to clients); `limits` bounds MaxResults as the operation does. */
export function paginate<T>(all: readonly T[], maxResults: number | undefined, token: string | undefined,
  limits: { min: number; max: number } = { min: 5, max: 1000 }): Page<T> {
  let offset = 0
  if (token !== undefined && token !== '') {
    const decoded = /^[A-Za-z0-9_-]+$/.test(token) ? Number(Buffer.from(token, 'base64url').toString('utf8')) : NaN
    if (!Number.isInteger(decoded) || decoded < 0) throw ec2Errors.invalidNextToken(token)
    offset = decoded
  }
  if (maxResults !== undefined && (maxResults < limits.min || maxResults > limits.max)) {
    throw ec2Errors.invalidParameterValue(`Value ( ${maxResults} ) for parameter maxResults is invalid. ` +
      `Expecting a value ${maxResults < limits.min ? `greater than ${limits.min}` : `less than ${limits.max}`}.`)
  }
  if (maxResults === undefined) return { items: all.slice(offset), nextToken: undefined }
  const end = offset + maxResults
  return { items: all.slice(offset, end), nextToken: end < all.length ? Buffer.from(String(end)).toString('base64url') : undefined }
}
