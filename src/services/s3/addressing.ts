// Where the bucket is named: in the path (`/bucket/key`, path style) or in the Host header
// (`bucket.s3.amazonaws.com`, `bucket.s3.localhost.localstack.cloud:4566`, `bucket.localhost:4566`,
// virtual-host style). Requests are rewritten to path style before routing.
import type { HttpRequest } from '../../protocol/http.ts'

/** `<bucket>.s3.<anything>`, `<bucket>.s3-<region>.<anything>` or `<bucket>.localhost[:port]`. */
export function bucketFromHost(host: string | undefined): string | undefined {
  if (host === undefined) return undefined
  const name = host.replace(/:\d+$/, '').toLowerCase()
  const s3 = /^(.+?)\.s3[.-]/.exec(name)
  if (s3 !== null) return s3[1]
  const local = /^(.+)\.localhost$/.exec(name)
  return local === null ? undefined : local[1]
}

/** Virtual-host requests become path style: `Host: b.s3.x` + `/k` → `/b/k`. */
export function toPathStyle(request: HttpRequest): HttpRequest {
  const bucket = bucketFromHost(request.headers['host'])
  if (bucket === undefined) return request
  return { ...request, rawPath: `/${bucket}${request.rawPath === '/' ? '' : request.rawPath}` }
}

/**
 * S3 takes what no other service claims, except a POST with no query string (S3's SDK POSTs always
 * carry a subresource: `?delete`, `?uploads`, `?uploadId=`, `?restore`) that isn't a browser form
 * upload (multipart/form-data): that is some other protocol's request Nimbus can't place, and stays UnknownService.
 */
export function looksLikeS3(request: HttpRequest): boolean {
  return request.method !== 'POST' || request.query.size > 0 || /^multipart\/form-data/i.test(request.headers['content-type'] ?? '')
}
