// `$request.header.x` as HTTP APIs read it (parameter mapping, service integrations' parameters,
// Lambda authorizers' identity sources): the name case-insensitive, a repeated header's values joined
// with `,` — the parameter mapping guide's `"header1": "value1,value2"` — not Node's ", ".
import type { InvokeRequest } from '../port.ts'

export function requestHeader(request: InvokeRequest, name: string): string | undefined {
  const lower = name.toLowerCase()
  const raw = request.rawHeaders
  if (raw === undefined) return request.headers[lower]
  const values: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === lower) values.push(raw[i + 1]!)
  return values.length === 0 ? undefined : values.join(',')
}
