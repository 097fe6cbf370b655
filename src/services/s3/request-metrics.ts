// AWS/S3 request metrics (BucketName + FilterId), counted per minute (core/minute-log.ts) only for
// buckets with a metrics configuration: a request to any other bucket costs one map lookup. A request
// counts under every configuration whose filter matches its key (and the object's tags).
import type { MinuteLog } from '../../core/minute-log.ts'
import type { HttpRequest, HttpResponse } from '../../protocol/http.ts'
import type { Bucket } from './bucket.ts'
import type * as T from './generated/types.ts'

/** The list operations AWS counts in ListRequests. */
const listOperations = new Set(['ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'ListMultipartUploads'])

export class RequestMetrics {
  readonly log: MinuteLog
  /** Buckets with at least one metrics configuration, by name: the only map a request pays. */
  private readonly active = new Map<string, Bucket>()

  private readonly lookup: (name: string) => Bucket | undefined

  constructor(log: MinuteLog, lookup: (name: string) => Bucket | undefined) {
    this.log = log
    this.lookup = lookup
  }

  /** A bucket's configurations changed (or were loaded): it joins or leaves the counted buckets. */
  configured(bucket: Bucket): void {
    if (bucket.configs.has('metrics')) this.active.set(bucket.name, bucket)
    else if (this.active.get(bucket.name) === bucket) this.active.delete(bucket.name)
  }

  reset(): void {
    this.active.clear()
    this.log.clear()
  }

  /** Series names in the log: bucket and filter id. */
  static series(bucket: string, filterId: string): string {
    return `${bucket}\u0000${filterId}`
  }

  /**
   * One answered request (the gateway's observe hook). `ms`: wall time from the request reaching
   * the gateway to its response being ready (FirstByteLatency and TotalRequestLatency both).
   */
  observe(operation: string | undefined, input: Record<string, unknown> | undefined, request: HttpRequest, response: HttpResponse, ms: number): void {
    const name = input?.['Bucket']
    if (typeof name !== 'string') return
    const bucket = this.active.get(name)
    if (bucket === undefined) return
    // A bucket deleted (and maybe re-created without configurations) since: no longer counted.
    if (this.lookup(name) !== bucket) {
      this.active.delete(name)
      return
    }
    this.count(bucket, operation, input!, request, response, ms)
  }

  private count(bucket: Bucket, operation: string | undefined, input: Record<string, unknown>, request: HttpRequest, response: HttpResponse, ms: number): void {
    const configs = bucket.configs.get('metrics') as T.MetricsConfiguration[] | undefined
    if (configs === undefined) return
    const key = operation === 'DeleteObjects' ? undefined : (typeof input['Key'] === 'string' ? input['Key'] : undefined)
    const kind = requestKind(request.method, operation, key)
    const uploaded = Number(request.headers['x-amz-decoded-content-length'] ?? request.headers['content-length'] ?? 0)
    const downloaded = response.status < 300 && request.method !== 'HEAD' ? bodyLength(response) : 0
    let tags: Record<string, string> | undefined
    for (const config of configs) {
      if (config.Filter !== undefined) {
        if (key === undefined) continue
        tags ??= bucket.current(key)?.tags ?? {}
        if (!matches(config.Filter, key, tags)) continue
      }
      const series = RequestMetrics.series(bucket.name, config.Id)
      const account = bucket.owner
      const region = bucket.region
      this.log.count(account, region, series, 'AllRequests')
      if (kind !== undefined) this.log.count(account, region, series, kind)
      if (uploaded > 0) this.log.count(account, region, series, 'BytesUploaded', uploaded)
      if (downloaded > 0) this.log.count(account, region, series, 'BytesDownloaded', downloaded)
      // AWS reports each request's 4xx/5xx as 0 or 1: Average is the error rate, Sum the count.
      this.log.measure(account, region, series, '4xxErrors', response.status >= 400 && response.status < 500 ? 1 : 0)
      this.log.measure(account, region, series, '5xxErrors', response.status >= 500 ? 1 : 0)
      this.log.measure(account, region, series, 'FirstByteLatency', ms)
      this.log.measure(account, region, series, 'TotalRequestLatency', ms)
    }
  }
}

/** Which request counter a request adds to, by AWS's definitions (S3 User Guide, "Metrics and dimensions"). */
function requestKind(method: string, operation: string | undefined, key: string | undefined): string | undefined {
  switch (method) {
    case 'GET': return operation !== undefined && listOperations.has(operation) ? 'ListRequests' : key === undefined ? undefined : 'GetRequests'
    case 'PUT': return key === undefined ? undefined : 'PutRequests'
    case 'DELETE': return key === undefined ? undefined : 'DeleteRequests'
    case 'HEAD': return 'HeadRequests'
    // Delete Multiple Objects counts as a delete, not a POST.
    case 'POST': return operation === 'DeleteObjects' ? 'DeleteRequests' : 'PostRequests'
    default: return undefined
  }
}

function bodyLength(response: HttpResponse): number {
  const { body } = response
  if (typeof body === 'string') return Buffer.byteLength(body)
  if (Buffer.isBuffer(body)) return body.length
  return Number(response.headers['content-length'] ?? response.headers['Content-Length'] ?? 0)
}

/** A filter's prefix and tags against a key and its object's tags; an access point filter matches no request (README gap). */
function matches(filter: T.MetricsFilter, key: string, tags: Record<string, string>): boolean {
  if (filter.Prefix !== undefined) return key.startsWith(filter.Prefix)
  if (filter.Tag !== undefined) return tags[filter.Tag.Key] === filter.Tag.Value
  if (filter.AccessPointArn !== undefined) return false
  const and = filter.And
  if (and === undefined) return true
  if (and.AccessPointArn !== undefined) return false
  if (and.Prefix !== undefined && !key.startsWith(and.Prefix)) return false
  return (and.Tags ?? []).every((t) => tags[t.Key] === t.Value)
}
