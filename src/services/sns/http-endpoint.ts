// One POST to a subscriber's HTTP/S endpoint, through the shared outbound client
// (core/http-client.ts). The 15-second response timeout runs on Nimbus's clock, so a test with a
// manual clock decides when a hanging endpoint has timed out.
import type { Clock } from '../../core/clock.ts'
import { HttpClient } from '../../core/http-client.ts'

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
  private readonly client: HttpClient

  constructor(clock: Clock) {
    this.client = new HttpClient(clock)
  }

  async post(post: HttpPost): Promise<PostOutcome> {
    const outcome = await this.client.send({ method: 'POST', ...post, timeoutMs: responseTimeoutMs })
    // The body is not read for meaning: SNS only looks at the status.
    return 'status' in outcome ? { status: outcome.status } : { error: outcome.error }
  }

  /** Abandons every request still waiting (stop and reset). */
  abortAll(): void {
    this.client.abortAll()
  }
}
