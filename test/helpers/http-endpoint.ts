// A local HTTP server standing in for a subscriber's endpoint: it records every request and
// answers with the status a test scripts (or never answers, to play a hanging endpoint).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Nimbus } from '../../src/index.ts'

export interface Received {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
}

export interface TestEndpoint {
  url: string
  received: Received[]
  /** What the next requests get: a status, or 'hang' (no answer until the endpoint closes). */
  answer(status: number | 'hang'): void
  /** Resolves with request number `index` (0-based) once it has arrived; rejects after `boundMs` of real time. */
  request(index: number, boundMs?: number): Promise<Received>
  close(): Promise<void>
}

export async function startEndpoint(path = '/sns'): Promise<TestEndpoint> {
  let reply: number | 'hang' = 200
  const received: Received[] = []
  const waiting = new Map<number, (r: Received) => void>()
  const hanging: ServerResponse[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const entry = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      received.push(entry)
      waiting.get(received.length - 1)?.(entry)
      if (reply === 'hang') hanging.push(res)
      else res.writeHead(reply).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    answer: (status) => void (reply = status),
    // Bounded in real time so a delivery that never comes fails the test instead of hanging it.
    request: (index, boundMs = 15_000) => {
      const got = received[index]
      if (got !== undefined) return Promise.resolve(got)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`request #${index} never reached ${path} (${received.length} did)`)), boundMs)
        waiting.set(index, (r) => {
          clearTimeout(timer)
          resolve(r)
        })
      })
    },
    close: async () => {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** HTTP/S deliveries SNS has not finished (in flight or waiting for a retry). */
export function httpDeliveriesPending(nimbus: Nimbus): number {
  return (nimbus.health().sns as { httpDeliveriesPending?: number } | undefined)?.httpDeliveriesPending ?? 0
}

/**
 * Resolves once no SNS POST is on the wire (every HTTP/S delivery has either finished or is
 * waiting on the clock for a retry): the moment a test may move the clock. Never sleeps.
 */
export async function httpQuiet(nimbus: Nimbus): Promise<void> {
  for (let attempt = 0; attempt < 200_000; attempt++) {
    const sns = nimbus.health().sns as { httpDeliveriesPending?: number; httpRetriesWaiting?: number } | undefined
    if ((sns?.httpDeliveriesPending ?? 0) === (sns?.httpRetriesWaiting ?? 0)) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error('SNS HTTP requests still on the wire')
}

/** Resolves once SNS has no HTTP/S delivery in flight or waiting; yields to the event loop, never sleeps. */
export async function httpDeliveriesSettled(nimbus: Nimbus): Promise<void> {
  for (let attempt = 0; attempt < 200_000; attempt++) {
    if (httpDeliveriesPending(nimbus) === 0) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error('SNS HTTP deliveries did not settle')
}
