// WebSocket API test helpers: a client on Node's global WebSocket (the path-form URL: `*.localhost`
// needn't resolve for Node), a raw upgrade for the host form and refused handshakes, and the
// @connections management client pointed at the API's own URL.
import { request as httpRequest, Agent } from 'node:http'
import type { Socket } from 'node:net'
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import type { Nimbus } from '../../src/index.ts'
import { testCredentials } from './nimbus.ts'

export const portOf = (nimbus: Nimbus) => new URL(nimbus.endpoint).port

/** The path-form URL LocalStack users know: `ws://localhost:4566/restapis/{id}/{stage}/_user_request_`. */
export const pathFormUrl = (nimbus: Nimbus, apiId: string, stage: string, query = '') =>
  `ws://127.0.0.1:${portOf(nimbus)}/restapis/${apiId}/${stage}/_user_request_${query}`

/** A connected client whose messages queue up until read. */
export interface TestSocket {
  socket: WebSocket
  next(): Promise<string>
  closed: Promise<{ code: number; reason: string }>
  send(data: string | Buffer): void
}

export function openSocket(url: string, protocols?: string | string[]): Promise<TestSocket> {
  const socket = new WebSocket(url, protocols)
  const queue: string[] = []
  const waiting: ((text: string) => void)[] = []
  socket.addEventListener('message', (event) => {
    const text = typeof event.data === 'string' ? event.data : Buffer.from(event.data as ArrayBuffer).toString('utf8')
    const waiter = waiting.shift()
    if (waiter !== undefined) waiter(text)
    else queue.push(text)
  })
  socket.binaryType = 'arraybuffer'
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason }))
  })
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve({
      socket, closed, send: (data) => socket.send(data),
      next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((r) => waiting.push(r))),
    }))
    socket.addEventListener('error', () => reject(new Error(`WebSocket to ${url} failed`)))
  })
}

/** The raw handshake's outcome: 101 with the socket, or the refusal's status and body. */
export type RawUpgrade = { status: 101; headers: Record<string, string | string[] | undefined>; socket: Socket }
  | { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** An upgrade request to 127.0.0.1 with any Host (the host form: `{apiId}.execute-api.localhost:{port}`). */
export function rawUpgrade(nimbus: Nimbus, host: string, path: string, headers: Record<string, string> = {}): Promise<RawUpgrade> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1', port: portOf(nimbus), path, headers: {
        host, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers,
      },
    })
    req.on('upgrade', (res, socket) => resolve({ status: 101, headers: res.headers, socket }))
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Reads one unmasked server frame (short payloads only) off a raw socket. */
export function readFrame(socket: Socket): Promise<{ opcode: number; payload: Buffer }> {
  return new Promise((resolve) => {
    let seen = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk])
      if (seen.length < 2) return
      const length = seen[1]! & 0x7f
      const offset = length === 126 ? 4 : 2
      const size = length === 126 ? seen.readUInt16BE(2) : length
      if (seen.length < offset + size) return
      socket.off('data', onData)
      resolve({ opcode: seen[0]! & 0x0f, payload: seen.subarray(offset, offset + size) })
    }
    socket.on('data', onData)
  })
}

/** The management client as users configure it (`http://{apiId}.execute-api.localhost:{port}/{stage}`), the name resolved to 127.0.0.1. */
export function managementClient(nimbus: Nimbus, apiId: string, stage: string): ApiGatewayManagementApiClient {
  const agent = new Agent({
    lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }])
      else callback(null, '127.0.0.1', 4)
    }) as never,
  })
  return new ApiGatewayManagementApiClient({
    endpoint: `http://${apiId}.execute-api.localhost:${portOf(nimbus)}/${stage}`, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: agent }),
  })
}
