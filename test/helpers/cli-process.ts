// A Nimbus started as a command (`nimbus start`, `npm start`, `npx nimbus start`): its endpoint from
// the ready line, and whether it has stopped listening.
import type { ChildProcess } from 'node:child_process'
import { rawRequest } from './raw-http.ts'

/** Resolves with the endpoint of the ready line the child prints on stdout; rejects if it exits first. */
export function readyEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const endpoint = /ready on (http:\/\/[^ ]+)/.exec(out)?.[1]
      if (endpoint !== undefined) resolve(endpoint)
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code} before it was ready: ${out}`)))
  })
}

/** Resolves once nothing listens at `endpoint` any more (a process of its own: polled, at most 5 s). */
export async function untilRefused(endpoint: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const refused = await rawRequest(endpoint, { method: 'GET', path: '/_nimbus/health', headers: { connection: 'close' } })
      .then(() => false, (error: { code?: string }) => error.code === 'ECONNREFUSED')
    if (refused) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`Nimbus still serves at ${endpoint}`)
}
