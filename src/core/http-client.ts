// Outbound HTTP/S requests that AWS services make to customers' endpoints (SNS HTTP/S
// subscriptions, EventBridge API destinations and their OAuth token endpoints). The response
// timeout runs on Nimbus's clock, so a test with a manual clock decides when a hanging endpoint has
// timed out; every request still on the wire can be abandoned on reset/stop.
import type { ClientRequest, IncomingHttpHeaders } from 'node:http'
import { createRequire } from 'node:module'
import type { Clock } from './clock.ts'

// Required, not imported: the ESM facade of node:http loads undici at start-up (see gateway).
const require = createRequire(import.meta.url)

export interface OutboundRequest {
  method: string
  url: string
  headers: Record<string, string>
  /** Sent with a Content-Length; omitted (no body) when undefined. A Buffer goes as its bytes (API Gateway's proxies). */
  body?: string | Buffer
  /** Clock milliseconds before the request is abandoned. */
  timeoutMs: number
  /** Bytes of the response body kept (the rest is drained unread); 0 keeps none. */
  keepBodyBytes?: number
}

/** A response, or why there was none (refused, reset, timed out, bad URL). */
export type OutboundOutcome =
  | { status: number; headers: IncomingHttpHeaders; body: string; bytes?: Buffer; rawHeaders?: string[] }
  | { error: string; timedOut: boolean }

export class HttpClient {
  private readonly clock: Clock
  private readonly inFlight = new Set<ClientRequest>()

  constructor(clock: Clock) {
    this.clock = clock
  }

  /** Requests on the wire right now. */
  get pending(): number {
    return this.inFlight.size
  }

  send(out: OutboundRequest): Promise<OutboundOutcome> {
    return new Promise((resolve) => {
      let url: URL
      try {
        url = new URL(out.url)
      } catch {
        resolve({ error: 'invalid URL', timedOut: false })
        return
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        resolve({ error: `unsupported protocol ${url.protocol}`, timedOut: false })
        return
      }
      const https = url.protocol === 'https:'
      const transport = require(https ? 'node:https' : 'node:http') as typeof import('node:https')
      const body = out.body === undefined ? undefined : Buffer.isBuffer(out.body) ? out.body : Buffer.from(out.body, 'utf8')
      const headers = body === undefined ? { ...out.headers } : { ...out.headers, 'content-length': String(body.length) }
      // One connection per request (no pooled keep-alive socket the endpoint may be closing just
      // then). Self-signed certificates are accepted: local HTTPS endpoints rarely have a public CA's.
      let request: ClientRequest
      try {
        request = transport.request(url, { method: out.method, headers, agent: false, ...(https ? { rejectUnauthorized: false } : {}) })
      } catch (error) {
        // Node refuses a header it can't send (a CR/LF or non-Latin-1 value): an outcome, never a rejection.
        resolve({ error: `request refused: ${(error as Error).message}`, timedOut: false })
        return
      }
      this.inFlight.add(request)
      let timedOut = false
      const seconds = out.timeoutMs / 1000
      const timer = this.clock.after(out.timeoutMs, () => {
        timedOut = true
        request.destroy(new Error(`timed out after ${seconds} seconds`))
      })
      let settled = false
      const settle = (outcome: OutboundOutcome) => {
        if (settled) return
        settled = true
        timer.cancel()
        this.inFlight.delete(request)
        resolve(outcome)
      }
      request.on('response', (response) => {
        const keep = out.keepBodyBytes ?? 0
        const chunks: Buffer[] = []
        let kept = 0
        response.on('data', (chunk: Buffer) => {
          if (kept >= keep) return
          chunks.push(chunk)
          kept += chunk.length
        })
        response.on('end', () => {
          const bytes = Buffer.concat(chunks).subarray(0, keep)
          settle({ status: response.statusCode ?? 0, headers: response.headers, body: bytes.toString('utf8'), bytes, rawHeaders: response.rawHeaders })
        })
        response.on('error', (error) => settle({ error: error.message, timedOut }))
      })
      request.on('error', (error) => settle({ error: error.message, timedOut }))
      request.end(body)
    })
  }

  /** Abandons every request still waiting (stop and reset). */
  abortAll(): void {
    for (const request of this.inFlight) request.destroy(new Error('Nimbus stopped'))
    this.inFlight.clear()
  }
}
