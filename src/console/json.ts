// JSON answers of the console's endpoints: `{ error, message }` for every refusal, as console.md's contract says.
import type { HttpResponse } from '../protocol/http.ts'

export function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) }
}

export function refuse(status: number, error: string, message: string): HttpResponse {
  return json(status, { error, message })
}
