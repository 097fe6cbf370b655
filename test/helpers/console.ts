// The web console's JSON API over HTTP, as the console (or a script) calls it.
import type { Nimbus } from '../../src/index.ts'
import { jsonHeaders, rawRequest } from './raw-http.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read back in tests
export type Json = any

export async function consoleGet(nimbus: Nimbus, path: string): Promise<{ status: number; body: Json }> {
  const response = await rawRequest(nimbus.endpoint, { method: 'GET', path })
  return { status: response.status, body: JSON.parse(response.body) as Json }
}

/** GET that must answer 200: its body. */
export async function consoleRead(nimbus: Nimbus, path: string): Promise<Json> {
  const { status, body } = await consoleGet(nimbus, path)
  if (status !== 200) throw new Error(`GET ${path} answered ${status}: ${JSON.stringify(body)}`)
  return body
}

export async function consoleAction(nimbus: Nimbus, action: { service: string; type: string; id: string; action: string;
  params?: Record<string, unknown> }): Promise<{ status: number; body: Json }> {
  const response = await rawRequest(nimbus.endpoint, { method: 'POST', path: '/_nimbus/api/action', headers: jsonHeaders,
    body: JSON.stringify({ params: {}, ...action }) })
  return { status: response.status, body: JSON.parse(response.body) as Json }
}
