// `$request.header.x` as HTTP APIs read it (parameter mapping, service integrations' parameters,
// Lambda authorizers' identity sources): the name case-insensitive, a repeated header's values joined
// with `,` — the parameter mapping guide's `"header1": "value1,value2"` — not Node's ", ".
import type { InvokeRequest } from '../port.ts'

export function requestHeader(request: InvokeRequest, name: string): string | undefined {
  const raw = request.rawHeaders
  if (raw === undefined) return request.headers[name.toLowerCase()]
  const values = rawHeaderValues(raw, name)
  return values.length === 0 ? undefined : values.join(',')
}

/** Each value sent for header `name` (case-insensitive), in order, from Node's alternating rawHeaders. */
export function rawHeaderValues(raw: readonly string[], name: string): string[] {
  const lower = name.toLowerCase()
  const values: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === lower) values.push(raw[i + 1]!)
  return values
}
