// h2c beside HTTP/1.1 on one port: a connection is routed by its first bytes, an HTTP/1 request
// trickling in byte by byte (whose "P" could start HTTP/2's preface) still reaches HTTP/1, and a
// connection that never speaks is closed after the headers timeout.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { connect } from 'node:http2'
import { connect as tcp } from 'node:net'
import { after, before, it } from 'node:test'
import { acceptH2c } from './h2c.ts'

const server = createServer((_req, res) => res.end('http1'))
acceptH2c(server, (req, res) => res.end(`h2 ${req.headers['host'] !== undefined} ${req.method} ${req.url} ${Object.keys(req.headers).filter((h) => h.startsWith(':')).length}`), 200)
let port = 0
before(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => {
  port = (server.address() as { port: number }).port
  resolve()
})))
after(() => new Promise<void>((resolve) => {
  server.closeAllConnections()
  server.close(() => resolve())
}))

it('answers HTTP/2 with prior knowledge, with a host header from :authority, its method and path, no pseudo-headers', async () => {
  const session = connect(`http://127.0.0.1:${port}`)
  const req = session.request({ ':method': 'POST', ':path': '/restapis/x?a=1' })
  req.end('{}')
  let body = ''
  req.setEncoding('utf8')
  req.on('data', (c: string) => { body += c })
  await new Promise((resolve) => req.on('end', resolve))
  session.close()
  assert.equal(body, 'h2 true POST /restapis/x?a=1 0')
})

it('answers HTTP/1.1 sent one byte at a time', async () => {
  const socket = tcp(port, '127.0.0.1')
  const request = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
  let answer = ''
  socket.setEncoding('utf8')
  socket.on('data', (c: string) => { answer += c })
  for (const ch of request) {
    socket.write(ch)
    await new Promise((resolve) => setImmediate(resolve))
  }
  await new Promise((resolve) => socket.on('close', resolve))
  assert.match(answer, /^HTTP\/1\.1 200 OK/)
  assert.match(answer, /http1$/)
})

it('closes a connection that says nothing within the headers timeout', async () => {
  const socket = tcp(port, '127.0.0.1')
  await new Promise((resolve) => socket.on('close', resolve))
})
