// Which API, stage and resource path an invoke URL names, in both forms Nimbus serves:
// Host `{apiId}.execute-api.{anything}` with path `/{stage}/{path}`, or path
// `/restapis/{apiId}/{stage}/_user_request_/{path}` on any Nimbus host (LocalStack's form).
import type { HttpRequest } from '../../../protocol/http.ts'

export interface InvokeTarget {
  apiId: string
  /** Undefined when the URL names none (`https://{id}.execute-api…/`). */
  stage: string | undefined
  /** The resource path, still percent-encoded, always starting with `/`. */
  path: string
  /**
   * The event's `domainName`: the Host as the client sent it, without the port; for the path form, the API's own
   * invoke host `{apiId}.execute-api.localhost` (AWS's events always name the invoke or custom domain, never the
   * server's address — code reads the API id from `domainPrefix`, and AWS's WebSocket samples build
   * `https://{domainName}/{stage}`, which functions reach: see src/runtime/README.md, Invoke hosts).
   */
  domainName: string
  /**
   * A custom domain's request path as the client sent it, base path included (`/v1/pets`): `$context.path`
   * and the event's `requestContext.path` (else `/{stage}{path}`).
   */
  requestPath?: string
}

const hostPattern = /^([a-z0-9]+)\.execute-api\./

export function invokeTarget(request: HttpRequest): InvokeTarget | undefined {
  const host = request.headers['host'] ?? 'localhost'
  const colon = host.lastIndexOf(':')
  const domainName = (colon > host.lastIndexOf(']') ? host.slice(0, colon) : host).toLowerCase()
  const path = request.rawPath
  if (path.startsWith('/restapis/')) {
    // /restapis/{id}/{stage}/_user_request_[/{path}]
    const parts = path.split('/')
    if (parts.length >= 5 && parts[4] === '_user_request_' && parts[2] !== '' && parts[3] !== '') {
      const rest = parts.slice(5).join('/')
      return { apiId: parts[2]!, stage: safeDecode(parts[3]!), path: `/${rest}`, domainName: `${parts[2]!.toLowerCase()}.execute-api.localhost` }
    }
  }
  const match = hostPattern.exec(domainName)
  if (match === null) return undefined
  const slash = path.indexOf('/', 1)
  const first = slash === -1 ? path.slice(1) : path.slice(1, slash)
  return { apiId: match[1]!, stage: first === '' ? undefined : safeDecode(first), path: slash === -1 ? '/' : path.slice(slash), domainName }
}

export function safeDecode(text: string): string {
  // Nothing to decode (nearly every path segment): no call, no try.
  if (!text.includes('%')) return text
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
