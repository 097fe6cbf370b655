// The HTTP request and response as the protocol layer sees them: no Node objects leak past here.
import type { Readable } from 'node:stream'

export interface HttpRequest {
  readonly method: string
  /** The path as sent, still percent-encoded (REST protocols decode per label). */
  readonly rawPath: string
  readonly query: URLSearchParams
  /** Lower-cased header names. Repeated headers are joined with ", ". */
  readonly headers: Readonly<Record<string, string>>
  /** The whole body, read by the gateway for every protocol that needs it parsed. */
  readonly body: Buffer
}

export interface HttpResponse {
  status: number
  headers: Record<string, string>
  body: string | Buffer | Readable
}
