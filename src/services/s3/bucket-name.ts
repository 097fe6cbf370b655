// General purpose bucket naming rules: 3–63 characters of lower-case letters, digits, dots and
// hyphens, a letter or digit at each end, no `..`, not an IP address, none of AWS's reserved
// prefixes and suffixes.
import { createHash } from 'node:crypto'
import { s3Errors } from './errors.ts'

const reservedPrefixes = ['xn--', 'sthree-', 'amzn-s3-demo-']
const reservedSuffixes = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']

export function checkBucketName(name: string): void {
  const valid = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') && !name.includes('.-') && !name.includes('-.') &&
    !/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) &&
    !reservedPrefixes.some((p) => name.startsWith(p)) && !reservedSuffixes.some((s) => name.endsWith(s))
  if (!valid) throw s3Errors.invalidBucketName(name)
}

/** `EU` is the old name of eu-west-1; an absent constraint means us-east-1. */
export function regionOfConstraint(constraint: string | undefined): string {
  if (constraint === undefined || constraint === '') return 'us-east-1'
  return constraint === 'EU' ? 'eu-west-1' : constraint
}

/** A stable 64-hex canonical user id for an account (S3's Owner.ID). */
export function canonicalId(account: string): string {
  return createHash('sha256').update(`nimbus:${account}`).digest('hex')
}
