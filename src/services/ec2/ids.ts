// Resource ids as AWS shapes them ("i-" and 17 hex digits), random or derived from a seed.
import { createHash, randomBytes } from 'node:crypto'

export const newId = (prefix: string): string => `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`

/** The same id for the same seed at every start (a region's default VPC, a catalog AMI per region). */
export const seededId = (prefix: string, seed: string, digits = 17): string =>
  `${prefix}-${createHash('sha256').update(seed).digest('hex').slice(0, digits)}`

/** Ids from a seed and a counter: the n-th id asked for is the same at every run with that seed. */
export function seededIds(seed: string): (prefix: string) => string {
  let n = 0
  return (prefix) => seededId(prefix, `${seed}/${n++}`)
}

/** The EC2 id shapes: a prefix and 8 or 17 hex digits. */
export const isWellFormedId = (id: string, prefix: string): boolean => new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(id)
