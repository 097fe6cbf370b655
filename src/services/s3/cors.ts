// A bucket's CORS configuration applied to browser requests, as S3 evaluates it [D]: the first
// rule whose AllowedOrigins (each with at most one `*`), AllowedMethods and — for a preflight —
// AllowedHeaders (case-insensitive, `*` wildcards) all match decides; no match, no CORS.
import { compileGlob, globTokens } from '../../core/glob.ts'
import type { HttpRequest, HttpResponse } from '../../protocol/http.ts'
import { XmlWriter } from '../../protocol/xml.ts'
import type { ServiceCors } from '../service.ts'
import { s3Errors } from './errors.ts'
import type { CORSRule } from './generated/types.ts'
import type { S3State } from './store.ts'

/** What S3 varies its CORS answers on [R]. */
const vary = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method'

// AWS's own wording, its "evalution" typo included [R].
const notAllowed = 'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / ' +
  'Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.'
const notEnabled = 'CORSResponse: CORS is not enabled for this bucket.'

/** `*` any run of characters, case-insensitive (core/glob.ts: no backtracking blow-up). */
function wildcard(pattern: string): (text: string) => boolean {
  return compileGlob(globTokens(pattern, false), true)
}

/** The first rule allowing this origin, method and (preflight) request headers. */
export function matchRule(rules: readonly CORSRule[], origin: string, method: string, headers: readonly string[]): CORSRule | undefined {
  return rules.find((rule) =>
    rule.AllowedOrigins.some((o) => o === '*' || wildcard(o)(origin)) &&
    rule.AllowedMethods.includes(method) &&
    headers.every((h) => (rule.AllowedHeaders ?? []).some((allowed) => wildcard(allowed)(h))))
}

/** The bucket and whether a key follows, from a path-style request. */
function target(request: HttpRequest): { bucket: string; object: boolean } | undefined {
  const m = /^\/([^/]+)(\/.+)?$/.exec(request.rawPath)
  if (m === null) return undefined
  try {
    return { bucket: decodeURIComponent(m[1]!), object: m[2] !== undefined }
  } catch {
    return undefined
  }
}

function allowHeaders(rule: CORSRule, origin: string): Record<string, string> {
  // A rule open to every origin answers `*` and no credentials; a named origin is echoed with credentials [R].
  const any = rule.AllowedOrigins.includes('*')
  const headers: Record<string, string> = {
    'access-control-allow-origin': any ? '*' : origin,
    'access-control-allow-methods': rule.AllowedMethods.join(', '),
    vary,
  }
  if (!any) headers['access-control-allow-credentials'] = 'true'
  if (rule.ExposeHeaders !== undefined && rule.ExposeHeaders.length > 0) headers['access-control-expose-headers'] = rule.ExposeHeaders.join(', ')
  if (rule.MaxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.MaxAgeSeconds)
  return headers
}

function forbidden(message: string, method: string, object: boolean, status = 403, code = 'AccessForbidden'): HttpResponse {
  const w = new XmlWriter().open('Error').leaf('Code', code).leaf('Message', message)
  if (status === 403) w.leaf('Method', method).leaf('ResourceType', object ? 'OBJECT' : 'BUCKET')
  return { status, headers: { 'content-type': 'application/xml' }, body: w.close('Error').toString() }
}

export function s3Cors(state: S3State): ServiceCors {
  return {
    // A path naming no existing bucket (ListBuckets, another service's endpoint S3 caught) keeps the gateway's default.
    preflight(request) {
      const t = target(request)
      const bucket = t === undefined ? undefined : state.bucket(t.bucket)
      if (t === undefined || bucket === undefined) return undefined
      const asked = request.headers['access-control-request-method']
      const method = asked ?? ''
      const origin = request.headers['origin']
      if (origin === undefined) return forbidden('Insufficient information. Origin request header needed.', method, t.object, 400, 'BadRequest')
      const rules = bucket.configs.get('cors') as CORSRule[] | undefined
      if (rules === undefined) return forbidden(notEnabled, method, t.object)
      // A preflight must name the method it asks for [R: wording].
      if (asked === undefined) return forbidden('Invalid Access-Control-Request-Method: null', method, t.object, 400, 'BadRequest')
      const requested = (request.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase())
        .filter((h) => h !== '')
      const rule = matchRule(rules, origin, method, requested)
      if (rule === undefined) return forbidden(notAllowed, method, t.object)
      const headers = allowHeaders(rule, origin)
      if (requested.length > 0) headers['access-control-allow-headers'] = requested.join(', ')
      return { status: 200, headers, body: '' }
    },

    headers(request) {
      const origin = request.headers['origin']
      const t = target(request)
      const bucket = t === undefined ? undefined : state.bucket(t.bucket)
      if (origin === undefined || bucket === undefined) return undefined
      const rules = bucket.configs.get('cors') as CORSRule[] | undefined
      const rule = rules === undefined ? undefined : matchRule(rules, origin, request.method, [])
      return rule === undefined ? {} : allowHeaders(rule, origin)
    },
  }
}

const corsMethods = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD'])

/** PUT ?cors: only the five methods S3 knows, one `*` per origin or header [R: wording as recalled]. */
export function checkCorsRules(rules: readonly CORSRule[]): void {
  for (const rule of rules) {
    const method = rule.AllowedMethods.find((m) => !corsMethods.has(m))
    if (method !== undefined) throw s3Errors.invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${method}`)
    const origin = rule.AllowedOrigins.find((o) => o.split('*').length > 2)
    if (origin !== undefined) throw s3Errors.invalidRequest(`AllowedOrigin "${origin}" can not have more than one wildcard.`)
    const header = (rule.AllowedHeaders ?? []).find((h) => h.split('*').length > 2)
    if (header !== undefined) throw s3Errors.invalidRequest(`AllowedHeader "${header}" can not have more than one wildcard.`)
  }
}
