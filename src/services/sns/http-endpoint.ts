// One POST to a subscriber's HTTP/S endpoint. The 15-second response timeout runs on Nimbus's
// clock, so a test with a manual clock decides when a hanging endpoint has timed out.
import type { ClientRequest } from 'node:http'
import { createRequire } from 'node:module'
import type { Clock } from '../../core/clock.ts'

// Required, not imported: the ESM facade of node:http loads undici at start-up (see gateway).
const require = createRequire(import.meta.url)

/** AWS gives an endpoint 15 seconds to answer [D]. */
export const responseTimeoutMs = 15_000

export interface HttpPost {
  url: string
  headers: Record<string, string>
  body: string
}

/** A status, or why there was none (refused, reset, timed out, bad URL). */
export type PostOutcome = { status: number } | { error: string }

export class HttpPoster {
  private readonly clock: Clock
  private readonly inFlight = new Set<ClientRequest>()

  constructor(clock: Clock) {
    this.clock = clock
  }

  post(post: HttpPost): Promise<PostOutcome> {
    return new Promise((resolve) => {
      let url: URL
      try {
        url = new URL(post.url)
      } catch {
        resolve({ error: 'invalid URL' })
        return
      }
      const https = url.protocol === 'https:'
      const transport = require(https ? 'node:https' : 'node:http') as typeof import('node:https')
      const body = Buffer.from(post.body, 'utf8')
      const headers = { ...post.headers, 'content-length': String(body.length) }
      // One connection per attempt (no pooled keep-alive socket the endpoint may be closing just
      // then). Self-signed certificates are accepted: local HTTPS endpoints rarely have a public CA's.
      const request = transport.request(url, { method: 'POST', headers, agent: false, ...(https ? { rejectUnauthorized: false } : {}) })
      this.inFlight.add(request)
      const timer = this.clock.after(responseTimeoutMs, () => request.destroy(new Error('timed out after 15 seconds')))
      const settle = (outcome: PostOutcome) => {
        timer.cancel()
        this.inFlight.delete(request)
        resolve(outcome)
      }
      request.on('response', (response) => {
        // The body is not read for meaning; draining it lets the connection close cleanly.
        response.resume()
        response.on('end', () => settle({ status: response.statusCode ?? 0 }))
        response.on('error', (error) => settle({ error: error.message }))
      })
      request.on('error', (error) => settle({ error: error.message }))
      request.end(body)
    })
  }

  /** Abandons every request still waiting (stop and reset). */
  abortAll(): void {
    for (const request of this.inFlight) request.destroy(new Error('Nimbus stopped'))
    this.inFlight.clear()
  }
}
