// A minimal HTTP/1.1 client on one net.Socket: pre-serialized requests, pipelining 1, Content-Length
// bodies only. It costs the load generator a fraction of what node:http's Agent/ClientRequest/IncomingMessage
// machinery does, so round trips measure the server rather than the client (as autocannon does for floods).
// It reconnects when the server answers `Connection: close` (moto) or drops the socket.
import { connect, type Socket } from 'node:net'
import { HOST, sqsHeaders } from './sqs.ts'

export interface RawResponse {
  status: number
  /** The status line and headers, as received (latin1). */
  head: string
  text: string
}

/** The bytes of one SQS JSON-protocol POST, headers and body. */
export function sqsRequest(port: number, operation: string, input: unknown): Buffer {
  const body = Buffer.from(typeof input === 'string' ? input : JSON.stringify(input))
  const headers = { host: `${HOST}:${port}`, ...sqsHeaders(operation), 'content-length': String(body.length) }
  const head = `POST / HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`
  return Buffer.concat([Buffer.from(head, 'latin1'), body])
}

const HEADER_END = Buffer.from('\r\n\r\n')

export class RawConnection {
  private socket: Socket | undefined
  private buffer: Buffer = Buffer.alloc(0)
  private pending: { resolve: (r: RawResponse) => void, reject: (e: Error) => void, timer: NodeJS.Timeout } | undefined
  private readonly port: number
  private readonly timeoutMs: number

  constructor(port: number, timeoutMs = 10_000) {
    this.port = port
    this.timeoutMs = timeoutMs
  }

  request(bytes: Buffer): Promise<RawResponse> {
    if (this.pending !== undefined) return Promise.reject(new Error('request already in flight'))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs)
      this.pending = { resolve, reject, timer }
      this.connection().write(bytes)
    })
  }

  close(): void {
    this.socket?.destroy()
    this.socket = undefined
  }

  private connection(): Socket {
    if (this.socket !== undefined) return this.socket
    const socket = connect({ host: HOST, port: this.port, noDelay: true })
    this.socket = socket
    this.buffer = Buffer.alloc(0)
    // A socket we already dropped (Connection: close) must not fail the next socket's request.
    socket.on('data', (chunk: Buffer) => {
      if (this.socket === socket) this.onData(chunk)
    })
    socket.on('error', (error) => {
      if (this.socket === socket) this.fail(error)
    })
    socket.on('close', () => {
      if (this.socket === socket) this.fail(new Error('socket closed before the response'))
    })
    return socket
  }

  private fail(error: Error): void {
    const pending = this.pending
    if (pending === undefined) return
    this.pending = undefined
    clearTimeout(pending.timer)
    this.close()
    pending.reject(error)
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk])
    const end = this.buffer.indexOf(HEADER_END)
    if (end < 0) return
    const head = this.buffer.toString('latin1', 0, end)
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)
    if (length === null) {
      this.fail(new Error('response without Content-Length (chunked bodies are not supported)'))
      return
    }
    const bodyStart = end + HEADER_END.length
    const bodyEnd = bodyStart + Number(length[1])
    if (this.buffer.length < bodyEnd) return
    const response = { status: Number(head.slice(9, 12)), head, text: this.buffer.toString('utf8', bodyStart, bodyEnd) }
    this.buffer = this.buffer.subarray(bodyEnd)
    if (/\r\nconnection:\s*close/i.test(head)) this.close()
    const pending = this.pending
    this.pending = undefined
    if (pending === undefined) return
    clearTimeout(pending.timer)
    pending.resolve(response)
  }
}
