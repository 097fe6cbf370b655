// Which Block Public Access settings hold for a bucket: AWS applies the bucket's and its owner
// account's (S3 Control's PutPublicAccessBlock) together, each setting on when either turns it on —
// the most restrictive combination wins (S3 User Guide, "Blocking public access to your Amazon S3
// storage"). An access point's own settings add to these for requests made through it.
import type { Bucket } from '../bucket.ts'

export interface PublicAccessBlock {
  BlockPublicAcls?: boolean
  IgnorePublicAcls?: boolean
  BlockPublicPolicy?: boolean
  RestrictPublicBuckets?: boolean
}

export const blockSettings = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const

/** Each setting on when any of the blocks turns it on. */
export function combineBlocks(...blocks: Array<PublicAccessBlock | undefined>): PublicAccessBlock {
  const out: PublicAccessBlock = {}
  for (const setting of blockSettings) if (blocks.some((b) => b?.[setting] === true)) out[setting] = true
  return out
}

/** The bucket's settings combined with its owner account's. */
export function publicAccessBlockOf(bucket: Bucket): PublicAccessBlock {
  const own = bucket.configs.get('publicAccessBlock') as PublicAccessBlock | undefined
  const account = bucket.accountSettings?.block(bucket.owner)
  return account === undefined ? (own ?? {}) : combineBlocks(own, account)
}
