// HTTP APIs' parameter mapping ("Transform API requests and responses for HTTP APIs"): request
// parameters `append|overwrite|remove:header.x` / `querystring.x` and `overwrite:path`, response
// parameters per status code `append|overwrite|remove:header.x` and `overwrite:statuscode`. A value
// is a static text, one `$request.…`/`$response.…`/`$context.…`/`$stageVariables.…` source, or text
// with `${…}` sources inside it.
import type { InvokeResponse } from '../port.ts'
import { evaluate, type ServiceCallFacts } from './aws-service.ts'

/** What a response mapping reads besides the request: the integration's answer. */
export interface MappingResponse {
  status: number
  headers: Record<string, string | string[]>
  body: Buffer | string
}

function source(expression: string, facts: ServiceCallFacts, response?: MappingResponse): string | undefined {
  if (expression === '$request.path') return facts.request.rawPath.split('?')[0]
  const header = /^\$response\.header\.(.+)$/.exec(expression)
  if (header !== null) {
    const value = response?.headers[header[1]!.toLowerCase()]
    return Array.isArray(value) ? value.join(',') : value
  }
  const body = /^\$response\.body(?:\.(.+))?$/.exec(expression)
  if (body !== null) {
    if (response === undefined) return undefined
    const text = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : response.body
    if (body[1] === undefined) return text
    return evaluate(`$request.body.${body[1]}`, { ...facts, request: { ...facts.request, body: Buffer.from(text) } })
  }
  return evaluate(expression, facts)
}

/** A mapping value. Undefined when a lone source has no value (the parameter is then left alone). */
export function mappingValue(value: string, facts: ServiceCallFacts, response?: MappingResponse): string | undefined {
  if (value.includes('${')) return value.replace(/\$\{([^}]+)\}/g, (_, inner: string) => source(`$${inner}`, facts, response) ?? '')
  if (value.startsWith('$')) return source(value, facts, response)
  return value
}

export interface MappedRequest {
  /** Lower-cased names; undefined: removed. */
  headers: Record<string, string>
  query: URLSearchParams
  path?: string
}

/** Applies the integration's request parameters to what is about to go to the backend. */
export function mapRequest(parameters: Record<string, string> | undefined, facts: ServiceCallFacts, out: MappedRequest): void {
  for (const [key, value] of Object.entries(parameters ?? {})) {
    const m = /^(append|overwrite|remove):(?:(header|querystring)\.(.+)|(path))$/.exec(key)
    if (m === null) continue
    const [, action, kind, rawName] = m as unknown as [string, string, string | undefined, string | undefined]
    const resolved = action === 'remove' ? '' : mappingValue(value, facts)
    if (resolved === undefined) continue
    if (kind === undefined) {
      out.path = resolved
    } else if (kind === 'header') {
      const name = rawName!.toLowerCase()
      if (action === 'remove') delete out.headers[name]
      else if (action === 'append' && out.headers[name] !== undefined) out.headers[name] = `${out.headers[name]},${resolved}`
      else out.headers[name] = resolved
    } else {
      const name = rawName!
      if (action === 'remove') out.query.delete(name)
      else if (action === 'append') out.query.append(name, resolved)
      else out.query.set(name, resolved)
    }
  }
}

/** Applies the response parameters keyed by the integration's status code. */
export function mapResponse(parameters: Record<string, Record<string, string>> | undefined, facts: ServiceCallFacts,
  response: InvokeResponse): InvokeResponse {
  const mappings = parameters?.[String(response.status)]
  if (mappings === undefined) return response
  const original: MappingResponse = { status: response.status, headers: { ...response.headers }, body: response.body }
  for (const [key, value] of Object.entries(mappings)) {
    const m = /^(append|overwrite|remove):(?:header\.(.+)|(statuscode))$/.exec(key)
    if (m === null) continue
    const [, action, rawName] = m as unknown as [string, string, string | undefined]
    const resolved = action === 'remove' ? '' : mappingValue(value, facts, original)
    if (resolved === undefined) continue
    if (rawName === undefined) {
      if (/^[1-5]\d\d$/.test(resolved)) response.status = Number(resolved)
      continue
    }
    const name = rawName.toLowerCase()
    if (action === 'remove') delete response.headers[name]
    else if (action === 'append' && response.headers[name] !== undefined) response.headers[name] = `${response.headers[name]},${resolved}`
    else response.headers[name] = resolved
  }
  return response
}
