// IAM's name, path and limit rules (AWS's model constraints and documented quotas), checked as AWS
// checks them, with its "1 validation error detected" wording naming the member in lower camel case.
import { iamErrors } from './errors.ts'

/** Users, groups, roles, policies, instance profiles: `[\w+=,.@-]+`, with each kind's length. */
const NAME = /^[\w+=,.@-]+$/

export function checkName(member: string, value: string, max: number): void {
  if (value.length < 1) throw iamErrors.constraint(member, value, 'Member must have length greater than or equal to 1')
  if (value.length > max) throw iamErrors.constraint(member, value, `Member must have length less than or equal to ${max}`)
  if (!NAME.test(value)) throw iamErrors.constraint(member, value, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+')
}

/** A path is `/` or `/…/`, at most 512 characters of printable ASCII. */
export function checkPath(member: string, value: string | undefined): string {
  if (value === undefined) return '/'
  if (value.length > 512) throw iamErrors.constraint(member, value, 'Member must have length less than or equal to 512')
  if (!/^(\u002F)|(\u002F[\u0021-\u007E]+\u002F)$/.test(value) || !value.startsWith('/') || !value.endsWith('/')) {
    throw iamErrors.constraint(member, value, 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)')
  }
  return value
}

export const limits = {
  userName: 64,
  groupName: 128,
  roleName: 64,
  policyName: 128,
  instanceProfileName: 128,
  accessKeysPerUser: 2,
  policyVersions: 5,
  tagsPerResource: 50,
  managedPoliciesPerEntity: 10,
  roleDescription: 1000,
  /** MaxSessionDuration: 1 to 12 hours. */
  minSession: 3600,
  maxSession: 43_200,
}

/** Tags: at most 50, keys 1–128 and values 0–256 characters of AWS's tag alphabet. */
export function checkTags(tags: { Key: string; Value: string }[] | undefined): void {
  if (tags === undefined) return
  if (tags.length > limits.tagsPerResource) throw iamErrors.limitExceeded('The number of tags has reached the maximum limit.')
  for (const [index, tag] of tags.entries()) {
    const member = `tags.${index + 1}.member.key`
    if (tag.Key.length < 1 || tag.Key.length > 128) throw iamErrors.constraint(member, tag.Key, 'Member must have length less than or equal to 128')
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u.test(tag.Key)) {
      throw iamErrors.constraint(member, tag.Key, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+')
    }
    if (tag.Value.length > 256) throw iamErrors.constraint(`tags.${index + 1}.member.value`, tag.Value, 'Member must have length less than or equal to 256')
  }
  const keys = new Set(tags.map((tag) => tag.Key.toLowerCase()))
  if (keys.size !== tags.length) throw iamErrors.invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.')
}

/** Tags merged into `current` (a key already there, case-insensitively, takes the new value). */
export function mergeTags(current: { Key: string; Value: string }[], added: { Key: string; Value: string }[]): { Key: string; Value: string }[] {
  checkTags(added)
  const merged = [...current]
  for (const tag of added) {
    const at = merged.findIndex((t) => t.Key.toLowerCase() === tag.Key.toLowerCase())
    if (at === -1) merged.push(tag)
    else merged[at] = tag
  }
  if (merged.length > limits.tagsPerResource) throw iamErrors.limitExceeded('The number of tags has reached the maximum limit.')
  return merged
}

/** UntagX: tag keys match case-insensitively, as IAM's do. */
export function removeTags(current: { Key: string; Value: string }[], keys: readonly string[]): { Key: string; Value: string }[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()))
  return current.filter((t) => !drop.has(t.Key.toLowerCase()))
}

/** Marker/MaxItems pagination (MaxItems 1–1000, default 100); the marker is the next item's index. */
export function paginate<T>(items: T[], marker: string | undefined, maxItems: number | undefined): { page: T[]; IsTruncated: boolean; Marker?: string } {
  if (maxItems !== undefined && (maxItems < 1 || maxItems > 1000)) {
    throw iamErrors.constraint('maxItems', maxItems, maxItems < 1 ? 'Member must have value greater than or equal to 1' : 'Member must have value less than or equal to 1000')
  }
  const start = marker === undefined ? 0 : Number.parseInt(Buffer.from(marker, 'base64').toString('utf8'), 10)
  if (!Number.isInteger(start) || start < 0) throw iamErrors.invalidInput('Invalid Marker.')
  const size = maxItems ?? 100
  const page = items.slice(start, start + size)
  const truncated = start + size < items.length
  return { page, IsTruncated: truncated, ...(truncated && { Marker: Buffer.from(String(start + size)).toString('base64') }) }
}

/** Path-prefix filters on List* calls. */
export function underPrefix(path: string, prefix: string | undefined): boolean {
  return prefix === undefined || path.startsWith(prefix)
}
