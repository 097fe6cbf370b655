// The HTTP server's sockets: timeouts, the connection cap and the drain on shutdown. Whatever a
// client does (never finish its headers, stall its body, hold thousands of idle sockets), a new
// client still gets served, and a stopping Nimbus lets in-flight requests finish.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

export interface ConnectionLimits {
  /** Headers not complete within this → socket closed (Node's own headersTimeout). */
  readonly headersTimeoutMs: number
  /** A request body with no bytes for this long → socket closed. Only while the body arrives. */
  readonly bodyIdleTimeoutMs: number
  readonly keepAliveTimeoutMs: number
  readonly maxConnections: number
}

/** The options createServer needs for these limits. */
export function serverOptions(limits: ConnectionLimits): { keepAliveTimeout: number; requestTimeout: number; headersTimeout: number;
  connectionsCheckingInterval: number } {
  return {
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // No total request time: a large upload over a slow link may take as long as it takes while it
    // moves (bodyIdleTimeoutMs drops one that stalls). Responses take as long as the operation
    // (a 20 s SQS long poll, a 15-minute Lambda invoke).
    requestTimeout: 0,
    headersTimeout: limits.headersTimeoutMs,
    // Node checks headersTimeout on this period (default 30 s): often enough for small test values.
    connectionsCheckingInterval: Math.max(10, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 4))),
  }
}

/**
 * An HTTP/1.x request that declares no body (no Transfer-Encoding, no Content-Length or 0): its
 * parser has already seen its end, so there is nothing to read, time or wait for (a GET at an invoke URL).
 * HTTP/2 requests may send a body without declaring its length: never bodiless here.
 */
export function bodiless(req: IncomingMessage): boolean {
  if (req.httpVersionMajor !== 1 || req.headers['transfer-encoding'] !== undefined) return false
  const length = req.headers['content-length']
  return length === undefined || length === '0'
}

export class Connections {
  private readonly server: Server
  private readonly limits: ConnectionLimits
  /** Open sockets, oldest first (a Set keeps insertion order). */
  private readonly sockets = new Set<Socket>()
  /** Sockets with a request in flight (received, not yet answered), and how many. */
  private readonly busy = new Map<Socket, number>()
  private draining = false
  /** Sockets closed to make room under the cap (for tests and health). */
  evicted = 0

  constructor(server: Server, limits: ConnectionLimits) {
    this.server = server
    this.limits = limits
    server.on('connection', (socket: Socket) => this.onConnection(socket))
  }

  get open(): number {
    return this.sockets.size
  }

  /** Requests received and not yet answered. */
  get inFlight(): number {
    let n = 0
    for (const count of this.busy.values()) n += count
    return n
  }

  /** Called first thing for every request: marks its socket busy and watches its body. */
  track(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket
    this.busy.set(socket, (this.busy.get(socket) ?? 0) + 1)
    // Draining: this is the connection's last answer, so the client doesn't send another on it.
    if (this.draining) res.setHeader('connection', 'close')
    if (!req.complete && !bodiless(req)) {
      // Inactivity, not total time: every chunk that arrives restarts the timer. Once the body is
      // in, the socket has no timeout while the operation runs (keep-alive's applies after).
      socket.setTimeout(this.limits.bodyIdleTimeoutMs)
      req.once('end', () => {
        if (!socket.destroyed) socket.setTimeout(0)
      })
    }
    res.once('close', () => {
      const left = (this.busy.get(socket) ?? 1) - 1
      if (left > 0) this.busy.set(socket, left)
      else this.busy.delete(socket)
      if (this.draining && left <= 0) setImmediate(() => this.closeIfIdle(socket))
    })
  }

  /**
   * Stops accepting, closes idle connections, lets in-flight requests finish (each connection closes
   * after its answer) and resolves once all are gone, or after `graceMs` with the rest cut.
   */
  drain(graceMs: number): Promise<void> {
    this.draining = true
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const socket of this.sockets) this.closeIfIdle(socket)
    let timer: NodeJS.Timeout | undefined
    const cut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.server.closeAllConnections()
        for (const socket of this.sockets) socket.destroy()
        resolve()
      }, graceMs)
    })
    return Promise.race([closed, cut]).finally(() => clearTimeout(timer))
  }

  private onConnection(socket: Socket): void {
    this.sockets.add(socket)
    socket.once('close', () => {
      this.sockets.delete(socket)
      this.busy.delete(socket)
    })
    if (this.draining) return void socket.destroy()
    if (this.sockets.size > this.limits.maxConnections) this.makeRoom(socket)
  }

  /**
   * Over the cap: the oldest socket not serving a request goes (an idle keep-alive connection, one
   * that never sent anything, or one still dribbling its headers), so a real client is served.
   * When every socket is serving a request, the newcomer is refused instead.
   */
  private makeRoom(newcomer: Socket): void {
    for (const socket of this.sockets) {
      if (socket === newcomer || this.busy.has(socket)) continue
      this.evicted += 1
      socket.destroy()
      return
    }
    newcomer.destroy()
  }

  private closeIfIdle(socket: Socket): void {
    if (this.busy.has(socket) || socket.destroyed) return
    // After pending writes (the last answer's tail) are flushed.
    socket.destroySoon()
  }
}
