// Runs a WebSocket route's integration on the integration timeout (Nimbus's clock): AWS_PROXY Lambda
// with the route's event, MOCK as an empty success; other kinds are a listed gap.
import type { LambdaPort } from '../../lambda/port.ts'
import type { IntegrationData } from '../data.ts'
import { functionArn } from '../invoke/serve.ts'
import type { HttpApiState } from '../store.ts'

export type IntegrationOutcome =
  /** The function's answer, parsed (undefined for an empty payload); MOCK answers undefined too. */
  | { ok: true; payload: unknown }
  | { ok: false; reason: string }

export interface IntegrateDeps {
  state: HttpApiState
  lambda: LambdaPort
}

export async function integrate(deps: IntegrateDeps, integration: IntegrationData, event: Record<string, unknown>): Promise<IntegrationOutcome> {
  if (integration.type === 'MOCK') return { ok: true, payload: undefined }
  if (integration.type !== 'AWS_PROXY') return { ok: false, reason: `Nimbus does not run ${integration.type} integrations of WebSocket APIs yet (see the apigatewayv2 README's Gaps)` }
  const arn = functionArn(integration.uri ?? '')
  if (arn === undefined) return { ok: false, reason: `integration ${integration.id} names no Lambda function: ${integration.uri ?? ''}` }
  try {
    const result = await deps.state.within(integration.timeoutInMillis, () => deps.lambda.invoke(arn, JSON.stringify(event)))
    if (result === 'timeout') return { ok: false, reason: `${arn} did not answer within ${integration.timeoutInMillis} ms` }
    if (result.outcome !== 'success') return { ok: false, reason: `${arn} answered ${result.outcome}: ${result.payload.toString('utf8').slice(0, 500)}` }
    const text = result.payload.toString('utf8')
    if (text.trim() === '') return { ok: true, payload: undefined }
    try {
      return { ok: true, payload: JSON.parse(text) as unknown }
    } catch {
      return { ok: false, reason: `${arn} answered something that is not JSON` }
    }
  } catch (error) {
    return { ok: false, reason: `invoking ${arn} failed: ${error instanceof Error ? error.message : String(error)}` }
  }
}

/** A proxy answer's status (absent: none given, which AWS takes as success [R]). */
export function statusOf(payload: unknown): number | undefined {
  if (payload === null || typeof payload !== 'object') return undefined
  const status = (payload as { statusCode?: unknown }).statusCode
  return typeof status === 'number' ? status : typeof status === 'string' && /^\d{3}$/.test(status) ? Number(status) : undefined
}

/** What a two-way route sends back: the proxy answer's `body` (a string as it is), or a bare string answer. */
export function replyOf(payload: unknown): string | undefined {
  if (typeof payload === 'string') return payload
  if (payload === null || typeof payload !== 'object' || !('body' in payload)) return undefined
  const body = (payload as { body?: unknown }).body
  if (body === undefined || body === null) return undefined
  return typeof body === 'string' ? body : JSON.stringify(body)
}

/** A header of a proxy answer, its name in any case (`Sec-WebSocket-Protocol` on `$connect`). */
export function headerOf(payload: unknown, name: string): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined
  const headers = (payload as { headers?: unknown }).headers
  if (headers === null || typeof headers !== 'object') return undefined
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]
  return typeof found === 'string' ? found : undefined
}
