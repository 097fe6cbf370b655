// The stage cache's contents: per API and stage, method responses keyed by method, resource and
// cache key parameters, each expiring on Nimbus's clock. In memory only (AWS's cache is a separate
// instance whose contents a restart of Nimbus need not keep; README By design).
import type { HttpResponse } from '../../../protocol/http.ts'

/** A cached method response: the body as bytes, so every hit can answer it afresh. */
export interface CachedResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
  expires: number
}

/** AWS caches responses up to 1,048,576 bytes ("Cache settings for REST APIs in API Gateway"). */
export const maxCachedBytes = 1_048_576

/** Nimbus's bound on one stage's entries (AWS's is the cluster's memory). */
const maxEntriesPerStage = 10_000

export class StageCache {
  private readonly stages = new Map<string, Map<string, CachedResponse>>()
  /** Hits and misses per API and stage since the start: what CacheHitCount/CacheMissCount count. */
  readonly counts = new Map<string, { hits: number; misses: number }>()

  get(stage: string, key: string, now: number): CachedResponse | undefined {
    const entries = this.stages.get(stage)
    const entry = entries?.get(key)
    if (entry === undefined) return undefined
    if (entry.expires <= now) {
      entries!.delete(key)
      return undefined
    }
    return entry
  }

  /** Keeps a response that fits AWS's size limit; a streamed body is never cached. */
  put(stage: string, key: string, response: HttpResponse, expires: number): void {
    if (typeof response.body !== 'string' && !Buffer.isBuffer(response.body)) return
    const body = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body, 'utf8')
    if (body.length > maxCachedBytes) return
    let entries = this.stages.get(stage)
    if (entries === undefined) this.stages.set(stage, (entries = new Map()))
    // Bounded, oldest first: a cache keyed on many distinct parameters must not grow without end.
    entries.delete(key)
    if (entries.size >= maxEntriesPerStage) entries.delete(entries.keys().next().value!)
    entries.set(key, { status: response.status, headers: { ...response.headers }, body, expires })
  }

  count(stage: string, hit: boolean): void {
    let counts = this.counts.get(stage)
    if (counts === undefined) this.counts.set(stage, (counts = { hits: 0, misses: 0 }))
    if (hit) counts.hits++
    else counts.misses++
  }

  /** FlushStageCache, a cluster resized or disabled, the stage deleted. */
  flush(stage: string): void {
    this.stages.delete(stage)
  }

  /** Every stage of an API (DeleteRestApi). */
  flushApi(apiId: string): void {
    for (const stage of this.stages.keys()) if (stage.startsWith(`${apiId}/`)) this.stages.delete(stage)
  }

  clear(): void {
    this.stages.clear()
    this.counts.clear()
  }
}

/** The cache's name for a stage: `{apiId}/{stageName}`. */
export const stageCacheId = (apiId: string, stageName: string) => `${apiId}/${stageName}`
