// DNS-rebinding guard: a web page can point a name it controls at 127.0.0.1 and then talk to Nimbus
// "same-origin" under that name. Real clients call Nimbus by an IP, localhost, an AWS-style name or
// this machine's name; any other Host is refused before anything else runs. String tests only (hot path).
// API Gateway's invoke hosts are allowed on purpose by the same three rules, never by an
// `execute-api` test of their own: `{id}.execute-api.localhost`, `{id}.execute-api.{region}.amazonaws.com`
// and `{id}.execute-api.localhost.localstack.cloud` pass; `{id}.execute-api.evil.example` does not.
// A Host refused here may still be an API Gateway custom domain the user created: the HTTP server then serves it
// as that domain alone (identify-service.ts `customHostTarget`), never as Nimbus.
import { hostname } from 'node:os'
import type { HttpResponse } from '../protocol/http.ts'

/** The names accepted besides the built-in ones: exact, or a suffix when given as `.example.test` / `*.example.test`. */
export interface AllowedHosts {
  readonly any: boolean
  readonly exact: ReadonlySet<string>
  readonly suffixes: readonly string[]
}

export function allowedHosts(configured: readonly string[]): AllowedHosts {
  const names = configured.map((h) => h.trim().toLowerCase()).filter((h) => h !== '')
  const exact = new Set(names.filter((h) => !h.startsWith('.') && !h.startsWith('*.')))
  const own = hostname().toLowerCase()
  if (own !== '') exact.add(own)
  return { any: names.includes('*'), exact, suffixes: names.filter((h) => h.startsWith('.') || h.startsWith('*.')).map((h) => h.slice(h.indexOf('.'))) }
}

/** True for IP literals (any port), localhost and `*.localhost`, `*.localhost.localstack.cloud`, AWS names, this machine and the configured names. */
export function hostAllowed(header: string | undefined, allowed: AllowedHosts): boolean {
  // HTTP/1.0 clients may send none; a browser always sends one.
  if (header === undefined || allowed.any || isIpv4(header)) return true
  if (header.startsWith('[')) {
    const end = header.indexOf(']')
    return end !== -1 && (end === header.length - 1 || header[end + 1] === ':')
  }
  const colon = header.indexOf(':')
  let name = (colon === -1 ? header : header.slice(0, colon)).toLowerCase()
  if (name.endsWith('.')) name = name.slice(0, -1)
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  if (name === 'localhost.localstack.cloud' || name.endsWith('.localhost.localstack.cloud')) return true
  if (name === 'amazonaws.com' || name.endsWith('.amazonaws.com') || name.endsWith('.amazonaws.com.cn')) return true
  if (allowed.exact.has(name)) return true
  for (const suffix of allowed.suffixes) if (name.endsWith(suffix)) return true
  return false
}

/** `a.b.c.d` or `a.b.c.d:port`, read in place (the common case: no slicing, no lower-casing). */
function isIpv4(host: string): boolean {
  let dots = 0
  let i = 0
  for (; i < host.length; i++) {
    const c = host.charCodeAt(i)
    if (c === 46) dots++
    else if (c === 58) break
    else if (c < 48 || c > 57) return false
  }
  if (dots !== 3 || i < 7 || i > 15) return false
  for (i++; i < host.length; i++) {
    const c = host.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** 403 with a short reason: the request never reaches a service. */
export function hostRefused(): HttpResponse {
  return {
    status: 403,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: 'Nimbus refused this request: its Host header is not a name Nimbus answers to (DNS-rebinding protection). ' +
      'Call Nimbus by IP, localhost, or add the name with --allowed-hosts / NIMBUS_ALLOWED_HOSTS.\n',
  }
}
