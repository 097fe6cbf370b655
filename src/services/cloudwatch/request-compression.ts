// PutMetricData bodies may arrive gzip-compressed (the model's requestcompression trait: SDKs
// compress bodies over 10 KiB and send Content-Encoding: gzip); they are inflated before parsing.
import { gunzipSync } from 'node:zlib'
import type { HttpRequest } from '../../protocol/http.ts'

export function inflateRequest(request: HttpRequest): HttpRequest {
  const encoding = request.headers['content-encoding']
  if (encoding === undefined || !/\bgzip\b/i.test(encoding) || request.body.length === 0) return request
  try {
    const headers = { ...request.headers }
    delete headers['content-encoding']
    return { ...request, headers, body: gunzipSync(request.body) }
  } catch {
    // Not gzip after all: parsing the body as it is answers the client's error.
    return request
  }
}
