// Lambda authorizers' cached answers, HTTP APIs' and WebSocket APIs' alike: per state, keyed on the API,
// stage, authorizer and identity source values, kept for the authorizer's TTL on Nimbus's clock and
// bounded (Nimbus's limit: the oldest entry goes first). ResetAuthorizersCache drops a stage's.
import type { HttpApiState } from './store.ts'

interface Entry { answer: unknown; expires: number }

const caches = new WeakMap<HttpApiState, Map<string, Entry>>()
const maxCached = 10_000

/** Undefined: nothing is cached (no TTL, or no identity source to key the answer on). */
export function authorizerCacheKey(apiId: string, stageName: string, authorizerId: string, values: string[], ttlSeconds: number): string | undefined {
  return ttlSeconds > 0 && values.length > 0 ? [apiId, stageName, authorizerId, ...values].join('\u0000') : undefined
}

/** The answer cached under the key and not yet expired. */
export function cachedAnswer<A>(state: HttpApiState, key: string | undefined, now: number): A | undefined {
  const entry = key === undefined ? undefined : caches.get(state)?.get(key)
  return entry === undefined || entry.expires <= now ? undefined : entry.answer as A
}

export function cacheAnswer(state: HttpApiState, key: string | undefined, answer: unknown, expires: number): void {
  if (key === undefined) return
  let cache = caches.get(state)
  if (cache === undefined) caches.set(state, cache = new Map())
  if (cache.size >= maxCached) cache.delete(cache.keys().next().value!)
  cache.set(key, { answer, expires })
}

/** ResetAuthorizersCache: the stage's cached answers are dropped (the next requests call the functions). */
export function resetAuthorizersCache(state: HttpApiState, apiId: string, stageName: string): void {
  const cache = caches.get(state)
  const prefix = `${apiId}\u0000${stageName}\u0000`
  for (const key of [...(cache?.keys() ?? [])]) if (key.startsWith(prefix)) cache!.delete(key)
}
