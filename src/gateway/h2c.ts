// Cleartext HTTP/2 with prior knowledge (h2c) on Nimbus's one port, beside HTTP/1.1: the AWS SDK for
// JavaScript's Kinesis client sends every call over HTTP/2 (NodeHttp2Handler), which to an http://
// endpoint means h2c. A connection whose first bytes are HTTP/2's preface ("PRI * HTTP/2.0…") goes to
// an HTTP/2 server; anything else to Node's HTTP/1 parser exactly as before.
import type { Server } from 'node:http'
import { createRequire } from 'node:module'
import type { Socket } from 'node:net'

const http2 = createRequire(import.meta.url)('node:http2') as typeof import('node:http2')
type Http2Handler = (req: import('node:http2').Http2ServerRequest, res: import('node:http2').Http2ServerResponse) => void

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')

/** HTTP/2 forbids connection-specific headers; an answer carrying one would be refused by Node. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'])

/**
 * Routes each new connection of `server` by its first bytes. Requests arriving over HTTP/2 reach
 * `handle` with HTTP/1-style headers (`host` from `:authority`, no pseudo-headers) and their method and path.
 */
export function acceptH2c(server: Server, handle: Http2Handler, headersTimeoutMs: number): import('node:http2').Http2Server {
  const h2 = http2.createServer({}, (req, res) => {
    const headers = req.headers as Record<string, string | undefined>
    headers['host'] ??= headers[':authority']
    // Node's req.method and req.url read the :method and :path pseudo-headers: kept as the request's own
    // values before those go (else every HTTP/2 request would read as `GET /`).
    Object.defineProperties(req, { method: { value: req.method, writable: true }, url: { value: req.url, writable: true } })
    for (const name of Object.keys(headers)) if (name.startsWith(':')) delete headers[name]
    const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, string>) => void
    Object.assign(res, {
      writeHead: (status: number, reason?: string | Record<string, string>, more?: Record<string, string>) => {
        const all = typeof reason === 'object' ? reason : (more ?? {})
        writeHead(status, Object.fromEntries(Object.entries(all).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()))))
        return res
      },
      setHeader: (name: string, value: string) => (HOP_BY_HOP.has(name.toLowerCase()) ? res : res.constructor.prototype.setHeader.call(res, name, value)),
    })
    handle(req, res)
  })
  // Node's own HTTP/1 listener, registered by createServer: it now runs only for HTTP/1 connections.
  const http1 = server.listeners('connection')[0] as ((socket: Socket) => void) | undefined
  if (http1 === undefined) return h2
  server.removeListener('connection', http1)
  server.prependListener('connection', (socket: Socket) => {
    // Until it has said which protocol it speaks, a connection gets the headers timeout HTTP/1 would give it.
    const silent = setTimeout(() => socket.destroy(), headersTimeoutMs).unref()
    let seen: Buffer = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk])
      const n = Math.min(seen.length, PREFACE.length)
      const h2c = seen.subarray(0, n).equals(PREFACE.subarray(0, n))
      // A prefix of the preface so far ("P" of a POST sent byte by byte): wait for more before deciding.
      if (h2c && n < PREFACE.length) return
      clearTimeout(silent)
      socket.removeListener('data', onData)
      socket.removeListener('close', onClose)
      socket.pause()
      socket.unshift(seen)
      // The socket came from the HTTP/1 server, which keeps a connection half open when the client ends
      // its side (its parser answers, then closes). Node's HTTP/2 session doesn't: a client gone (its FIN)
      // would leave the socket in CLOSE_WAIT and every stream on it open for good — a SubscribeToShard
      // subscription never ended. Ended here as HTTP/2's own server would.
      if (h2c) {
        socket.allowHalfOpen = false
        h2.emit('connection', socket)
      }
      else http1.call(server, socket)
      process.nextTick(() => socket.resume())
    }
    const onClose = () => clearTimeout(silent)
    socket.on('data', onData)
    socket.once('close', onClose)
  })
  return h2
}
