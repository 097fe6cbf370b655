// Runs a WebSocket route's integration on the integration timeout (Nimbus's clock): AWS_PROXY Lambda
// with the route's event (its answer's statusCode, body and Sec-WebSocket-Protocol read as AWS reads
// them), HTTP_PROXY with the message as it is, and the non-proxy kinds (AWS, HTTP, MOCK) through their
// templates and integration responses (non-proxy.ts). Under --enforce-iam both Lambda kinds need the
// function's permission for apigateway.amazonaws.com (lambda-permission.ts).
import type { LambdaPort } from '../../lambda/port.ts'
import type { IntegrationData } from '../data.ts'
import { functionArn, withStageVariables } from '../invoke/function-arn.ts'
import { integrationPayload } from './content-handling.ts'
import { type NonProxyDeps, type RouteRequest, runNonProxy, sendHttp } from './non-proxy.ts'
import { integrationRefused } from './lambda-permission.ts'

export type IntegrationOutcome =
  /** The function's answer, parsed (undefined for an empty payload). */
  | { ok: true; payload: unknown }
  | { ok: false; reason: string }

/**
 * What the route's integration answered: its status (undefined: none given, which AWS takes as
 * success [R]), what a two-way route sends back (undefined: nothing), the handshake's subprotocol;
 * or why it failed (`message`: the error frame's, else "Internal server error").
 */
export type RouteOutcome =
  | { ok: true; status?: number; reply?: string | Buffer; protocol?: string; unmatched?: boolean }
  | { ok: false; reason: string; message?: string }

export interface IntegrateDeps extends NonProxyDeps {
  lambda: LambdaPort
  /** `--enforce-iam`: Lambda integrations need the function's permission for apigateway.amazonaws.com (lambda-permission.ts). */
  enforceIam?: boolean
}

export async function runIntegration(deps: IntegrateDeps, integration: IntegrationData, event: Record<string, unknown>,
  request: RouteRequest): Promise<RouteOutcome> {
  if (integration.type === 'AWS_PROXY') {
    const outcome = await integrate(deps, integration, event, request.stageVariables)
    if (!outcome.ok) return outcome
    return { ok: true, status: statusOf(outcome.payload), reply: replyOf(outcome.payload), protocol: headerOf(outcome.payload, 'Sec-WebSocket-Protocol') }
  }
  if (integration.type === 'HTTP_PROXY') {
    const answer = await sendHttp(deps, integration, request, integrationPayload(integration.contentHandlingStrategy, request.body))
    if ('failed' in answer) return { ok: false, reason: answer.failed }
    return { ok: true, status: answer.status, reply: answer.body, protocol: Object.entries(answer.headers).find(([k]) => k.toLowerCase() === 'sec-websocket-protocol')?.[1] }
  }
  // A non-proxy (AWS) Lambda integration needs the same permission as a proxy one (REST APIs check both kinds).
  if (integration.type === 'AWS' && deps.enforceIam === true) {
    const arn = functionArn(withStageVariables(integration.uri ?? '', request.stageVariables))
    const refused = arn === undefined ? undefined : integrationRefused(deps, event, arn, integration.credentialsArn)
    if (refused !== undefined) return { ok: false, reason: refused }
  }
  const mapped = await runNonProxy(deps, integration, request)
  if (!mapped.ok) return mapped
  return { ok: true, status: mapped.status, reply: mapped.reply, unmatched: mapped.reply === undefined }
}

/** A Lambda proxy integration: the function (its name or alias may be `${stageVariables.x}`, AWS's stages guide) invoked with the event. */
async function integrate(deps: IntegrateDeps, integration: IntegrationData, event: Record<string, unknown>,
  stageVariables: Record<string, string>): Promise<IntegrationOutcome> {
  const arn = functionArn(withStageVariables(integration.uri ?? '', stageVariables))
  if (arn === undefined) return { ok: false, reason: `integration ${integration.id} names no Lambda function: ${integration.uri ?? ''}` }
  const refused = deps.enforceIam === true ? integrationRefused(deps, event, arn, integration.credentialsArn) : undefined
  if (refused !== undefined) return { ok: false, reason: refused }
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
