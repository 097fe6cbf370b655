// One instance's Instance Metadata Service on 127.0.0.1:<free port>: IMDSv2 session tokens
// (PUT /latest/api/token with a TTL of 1–21,600 s, sent back in X-aws-ec2-metadata-token) and
// IMDSv1 where the instance's metadata options allow it, as AWS documents. What the paths hold is
// the caller's (`resolve`): this file knows HTTP and tokens only. Token lifetimes run on the clock.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Clock } from '../core/clock.ts'

export interface MetadataAnswer {
  body: string
  contentType?: string
}

export interface ImdsOptions {
  clock: Clock
  /** `/latest/meta-data/instance-id` → its answer; undefined is a 404. */
  resolve: (path: string) => MetadataAnswer | undefined
  /** HttpTokens: `required` refuses requests without a valid token (401); `optional` serves IMDSv1 too. */
  tokens: () => 'required' | 'optional'
  /** HttpEndpoint `disabled`: every request is refused with 403 (AWS: "not allowed or the IMDS is turned off"). */
  enabled?: () => boolean
}

export interface ImdsServer {
  /** `http://127.0.0.1:<port>`: what AWS_EC2_METADATA_SERVICE_ENDPOINT points at. */
  readonly endpoint: string
  close(): void
}

const maxTtlSeconds = 21_600
const notFound = '<?xml version="1.0" encoding="iso-8859-1"?>\n<!DOCTYPE html>\n<html><head><title>404 - Not Found</title></head>'
  + '<body><h1>404 - Not Found</h1></body></html>\n'

export async function startImds(options: ImdsOptions): Promise<ImdsServer> {
  /** Token → when it expires (epoch ms of the clock). */
  const tokens = new Map<string, number>()
  const server: Server = createServer((req, res) => {
    try {
      answer(req, res)
    } catch {
      send(res, 500, 'Internal Server Error')
    }
  })
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    if (options.enabled?.() === false) return send(res, 403, 'Forbidden')
    const path = (req.url ?? '/').split('?', 1)[0]!
    if (path === '/latest/api/token') {
      if (req.method !== 'PUT') return send(res, 405, 'Method Not Allowed')
      // A proxied token request is refused: tokens are for the instance itself [D].
      if (req.headers['x-forwarded-for'] !== undefined) return send(res, 403, 'Forbidden')
      const ttlText = req.headers['x-aws-ec2-metadata-token-ttl-seconds']
      const ttl = typeof ttlText === 'string' && /^\d+$/.test(ttlText) ? Number(ttlText) : NaN
      if (!(ttl >= 1 && ttl <= maxTtlSeconds)) return send(res, 400, 'Bad Request')
      const now = options.clock.now()
      // Expired tokens nobody presents again would pile up: a script that PUTs per request must not grow the map.
      if (tokens.size >= 100) for (const [t, expires] of tokens) if (expires <= now) tokens.delete(t)
      const token = randomBytes(36).toString('base64')
      tokens.set(token, now + ttl * 1000)
      return send(res, 200, token, 'text/plain', { 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) })
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method Not Allowed')
    const token = req.headers['x-aws-ec2-metadata-token']
    const now = options.clock.now()
    let ttlLeft: number | undefined
    if (typeof token === 'string') {
      const expires = tokens.get(token)
      if (expires === undefined || expires <= now) {
        tokens.delete(token)
        return send(res, 401, 'Unauthorized')
      }
      ttlLeft = Math.ceil((expires - now) / 1000)
    } else if (options.tokens() === 'required') return send(res, 401, 'Unauthorized')
    const found = options.resolve(path)
    if (found === undefined) return send(res, 404, notFound, 'text/html')
    send(res, 200, req.method === 'HEAD' ? '' : found.body, found.contentType ?? 'text/plain',
      ttlLeft === undefined ? {} : { 'x-aws-ec2-metadata-token-ttl-seconds': String(ttlLeft) })
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  // An error once listening (accept failing: EMFILE…) must not crash Nimbus; the server keeps serving.
  server.on('error', () => {})
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => {
      server.close()
      server.closeAllConnections()
    },
  }
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), server: 'EC2ws', ...headers })
  res.end(body)
}
