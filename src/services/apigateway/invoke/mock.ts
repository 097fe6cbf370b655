// MOCK integrations: the request template names the status (`{"statusCode": 200}`), an integration
// response is selected by it, and its static response template (with `$context.*` and
// `$stageVariables.*` filled in — no other VTL) is the body.
import type { HttpResponse } from '../../../protocol/http.ts'
import type * as T from '../generated/types.ts'
import type { IntegrationData } from '../store.ts'
import { type InvokeContext, requestContext } from './request-context.ts'

/** Undefined: no integration response matches and none is the default (AWS answers 500). */
export function mockResponse(integration: IntegrationData, ctx: InvokeContext): HttpResponse | undefined {
  const status = String(requestedStatus(integration, ctx.request.headers['content-type']))
  const response = select(Object.values(integration.integrationResponses), status)
  if (response === undefined) return undefined
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  for (const [target, source] of Object.entries(response.responseParameters ?? {})) {
    // Only static values ('text'): MOCK has no integration response headers to map from.
    if (target.startsWith('method.response.header.') && source.length >= 2 && source.startsWith("'") && source.endsWith("'")) {
      headers[target.slice('method.response.header.'.length).toLowerCase()] = source.slice(1, -1)
    }
  }
  const templates = response.responseTemplates ?? {}
  const type = Object.hasOwn(templates, 'application/json') ? 'application/json' : Object.keys(templates)[0]
  if (type !== undefined && type !== 'application/json') headers['content-type'] = type
  const template = type === undefined ? '' : (templates[type] ?? '')
  return { status: Number(response.statusCode), headers, body: fill(template, ctx) }
}

/** The status the request template asks for; 200 without one [R]. */
function requestedStatus(integration: IntegrationData, contentType: string | undefined): number {
  const templates = integration.requestTemplates ?? {}
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  const template = (type !== undefined ? templates[type] : undefined) ?? templates['application/json'] ?? Object.values(templates)[0]
  const match = template === undefined ? null : /"?statusCode"?\s*:\s*"?(\d{3})/.exec(template)
  return match === null ? 200 : Number(match[1])
}

/** The first response whose selectionPattern matches the whole status, else the default (no pattern). */
function select(responses: readonly T.IntegrationResponse[], status: string): T.IntegrationResponse | undefined {
  for (const response of responses) {
    const pattern = response.selectionPattern
    if (pattern === undefined || pattern === '') continue
    try {
      if (new RegExp(`^(?:${pattern})$`).test(status)) return response
    } catch {
      // An invalid pattern never matches.
    }
  }
  return responses.find((r) => r.selectionPattern === undefined || r.selectionPattern === '')
}

/** `$context.x` / `$context.identity.x` / `$stageVariables.x` (also `${…}`); other VTL is left as written. */
function fill(template: string, ctx: InvokeContext): string {
  if (!template.includes('$')) return template
  const context = requestContext(ctx)
  return template.replace(/\$\{?(context|stageVariables)\.([a-zA-Z]+(?:\.[a-zA-Z]+)?)\}?/g, (whole, root: string, name: string) => {
    const value = root === 'stageVariables' ? ctx.stage.variables[name]
      : name.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | null)?.[k], context)
    return value === undefined || value === null ? (root === 'stageVariables' ? '' : whole) : String(value)
  })
}
