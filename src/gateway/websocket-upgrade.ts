// WebSocket upgrades on Nimbus's one port: the Host check, the service the request names (API
// Gateway's WebSocket APIs at the execute-api hosts), the opening handshake, then frames in and out
// between the socket and the service's session. Services never see the socket.
import type { IncomingMessage, Server } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import { acceptKey, closeCodes, closePayload, encodeFrame, FrameReader, opcodes, validKey } from '../protocol/websocket.ts'
import type { SocketPeer, SocketSession } from '../services/service.ts'
import { type GatewayDeps, invokeCheck } from './handle-request.ts'
import { type AllowedHosts, hostAllowed, hostRefused } from './host-check.ts'
import { customHostTarget, identifyService } from './identify-service.ts'

export interface UpgradeDeps {
  gateway: GatewayDeps
  hosts: AllowedHosts
  /** The gateway's reading of a Node request (node-request.ts). */
  toHttpRequest: (req: IncomingMessage, body: Buffer) => HttpRequest
}

/** Only `Upgrade: websocket` requests are upgrades here (Node ≥ 24.9 asks; others are ordinary requests). */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return req.headers.upgrade?.toLowerCase() === 'websocket'
}

export function acceptWebSockets(server: Server, deps: UpgradeDeps): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    upgrade(req, socket, head, deps).catch((error: unknown) => {
      deps.gateway.log(`[nimbus] failed to answer a WebSocket upgrade: ${String(error)}`)
      writeResponse(socket, { status: 500, headers: { 'content-type': 'application/json' }, body: '{"message":"Internal server error"}' })
    })
  })
}

async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, deps: UpgradeDeps): Promise<void> {
  // A foreign Host passes only as a user-created custom domain name, whose service alone then answers (see customHostTarget).
  const allowed = hostAllowed(req.headers.host, deps.hosts)
  const customOnly = allowed ? undefined : customHostTarget(deps.toHttpRequest(req, Buffer.alloc(0)), deps.gateway.index)
  if (!allowed && customOnly === undefined) return writeResponse(socket, hostRefused())
  const key = req.headers['sec-websocket-key']
  if (!isWebSocketUpgrade(req) || req.method !== 'GET' || !validKey(key) || req.headers['sec-websocket-version'] !== '13') {
    return writeResponse(socket, plain(400, 'Bad Request: not a WebSocket opening handshake (RFC 6455 §4.2.1).'))
  }
  const request = deps.toHttpRequest(req, Buffer.alloc(0))
  // Routed by Host and path alone: a client signing its upgrade (IAM-authorized WebSocket APIs sign it
  // `execute-api`, the management API's name) still means the API at that URL.
  const service = customOnly?.service ?? identifyService(request, undefined, deps.gateway.index)?.service
  // AWS_IAM `$connect` routes: the gateway's SigV4 check, as for invoke URLs' requests.
  const answer = service?.serveUpgrade?.(request, invokeCheck(deps.gateway))
  if (answer === undefined) return writeResponse(socket, plain(404, 'Not Found: no WebSocket API answers at this URL.'))
  const decided = await answer
  if (socket.destroyed) {
    // The client left while the service decided ($connect ran): an accepted session is told at once.
    if ('accept' in decided) decided.accept({ send: () => {}, close: () => {} }).closed(closeCodes.abnormal, 'Client left before the handshake ended')
    return
  }
  if ('refuse' in decided) return writeResponse(socket, decided.refuse)
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(key.trim())}`,
    ...Object.entries(safe(decided.headers ?? {})).map(([name, value]) => `${name}: ${value}`)]
  socket.write(`${lines.join('\r\n')}\r\n\r\n`)
  const peer = new Peer(socket)
  const session = decided.accept(peer)
  peer.run(session, new FrameReader(decided.limits), head)
}

/** One accepted connection: frames the service's messages, reads the client's, answers pings and closes. */
class Peer implements SocketPeer {
  private readonly socket: Duplex
  private closing = false
  private ended = false
  private session: SocketSession | undefined

  constructor(socket: Duplex) {
    this.socket = socket
  }

  send(data: string | Buffer): void {
    if (this.closing || !this.socket.writable) return
    const binary = typeof data !== 'string'
    this.socket.write(encodeFrame(binary ? opcodes.binary : opcodes.text, binary ? data : Buffer.from(data, 'utf8')))
  }

  close(code: number, reason = ''): void {
    // Already ending (Nimbus's shutdown ends idle sockets first): nothing more can be written.
    if (this.closing || !this.socket.writable) return this.finish(code, reason)
    this.closing = true
    this.socket.write(encodeFrame(opcodes.close, closePayload(code, reason)))
    this.socket.end()
    // A client that never answers the close frame is cut loose after a moment.
    setTimeout(() => this.socket.destroy(), 2_000).unref()
    this.finish(code, reason)
  }

  run(session: SocketSession, reader: FrameReader, head: Buffer): void {
    this.session = session
    const read = (chunk: Buffer) => {
      for (const event of reader.push(chunk)) {
        if (event.kind === 'message') {
          if (!this.closing) session.message(event.data, event.binary)
        } else if (event.kind === 'ping') {
          if (!this.closing) this.socket.write(encodeFrame(opcodes.pong, event.data))
        } else if (event.kind === 'close') {
          // Answered with the same code (none: an empty close frame), then the socket ends.
          if (!this.closing) {
            this.closing = true
            this.socket.write(encodeFrame(opcodes.close, event.code === undefined ? Buffer.alloc(0) : closePayload(event.code)))
            this.socket.end()
          }
          this.finish(event.code, event.reason)
        } else if (event.kind === 'error') {
          this.close(event.code, event.reason)
        }
      }
    }
    this.socket.on('data', read)
    // Gone without a close frame: 1006, the code RFC 6455 §7.4.1 reserves for reporting exactly that.
    this.socket.once('close', () => this.finish(closeCodes.abnormal, 'Connection closed abnormally'))
    if (head.length > 0) read(head)
  }

  /** Tells the session once, whichever side ended it first. */
  private finish(code: number | undefined, reason: string): void {
    if (this.ended) return
    this.ended = true
    this.session?.closed(code, reason)
  }
}

function safe(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => /^[!#$%&'*+.^_`|~\w-]+$/.test(name) && !/[\r\n]/.test(value)))
}

function plain(status: number, text: string): HttpResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `${text}\n` }
}

/** An HTTP answer written on the raw socket (the upgrade request left Node's response machinery), then the end. */
function writeResponse(socket: Duplex, response: HttpResponse): void {
  if (socket.destroyed) return
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : Buffer.isBuffer(response.body) ? response.body : Buffer.alloc(0)
  // Written by hand, so checked by hand: a value with CR or LF (a function's answer echoed) is dropped.
  const headers = { ...safe(response.headers), 'content-length': String(body.length), connection: 'close' }
  // A status outside HTTP's final range (a function's statusCode of 101 or 1000) is a 500.
  const status = response.status >= 200 && response.status <= 599 ? response.status : 500
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n')
  socket.end(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]))
}
