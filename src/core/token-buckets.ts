// Token buckets on Nimbus's clock, as API Gateway throttles (REST usage plans and method settings, HTTP API
// route settings): a bucket holds up to `burstLimit` tokens, refills at `rateLimit` tokens per second,
// starts full, and each request takes one; an empty bucket answers 429.

interface Bucket {
  tokens: number
  at: number
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>()

  /** Takes a token from the bucket `key` (created full); false when none is left. */
  take(key: string, rateLimit: number, burstLimit: number, now: number): boolean {
    const capacity = Math.max(0, burstLimit)
    let bucket = this.buckets.get(key)
    if (bucket === undefined) this.buckets.set(key, bucket = { tokens: capacity, at: now })
    const refilled = Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.at) * Math.max(0, rateLimit)) / 1000)
    bucket.at = now
    bucket.tokens = refilled
    if (refilled < 1) return false
    bucket.tokens = refilled - 1
    return true
  }

  clear(): void {
    this.buckets.clear()
  }
}
