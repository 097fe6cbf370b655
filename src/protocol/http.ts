// The HTTP request and response as the protocol layer sees them: no Node objects leak past here.
import type { Readable } from 'node:stream'

export interface HttpRequest {
  readonly method: string
  /** The path as sent, still percent-encoded (REST protocols decode per label). */
  readonly rawPath: string
  readonly query: URLSearchParams
  /** The query string as sent (after `?`, still encoded; `+` not yet a space): what a SigV4 signature covers. */
  readonly rawQuery?: string
  /** Lower-cased header names. Repeated headers are joined with ", ". */
  readonly headers: Readonly<Record<string, string>>
  /** The whole body, read by the gateway for every protocol that needs it parsed; empty when `bodyStream` is set. */
  readonly body: Buffer
  /**
   * The unread body, for the operations a service declares streaming (S3 PutObject, UploadPart):
   * a 1 GiB upload flows through to the service instead of sitting in memory.
   */
  readonly bodyStream?: Readable
  /** The client's address as the socket saw it (policies' `aws:SourceIp`); absent for requests made in process. */
  readonly remoteAddress?: string
  /** Header names as sent and each value on its own, alternating (Node's rawHeaders): API Gateway's multiValueHeaders need them. */
  readonly rawHeaders?: readonly string[]
}

export interface HttpResponse {
  status: number
  headers: Record<string, string>
  body: string | Buffer | Readable
}

/**
 * An output may name its HTTP status under this key where the model binds none (S3 GetObject
 * answers a Range with 206 Partial Content); serializers ignore symbol keys otherwise.
 */
export const responseStatus: unique symbol = Symbol.for('nimbus.responseStatus')
