// What a stream's or consumer's resource policy may test beyond the caller (under `--enforce-iam`):
// the request's global condition keys, given to the shared evaluator as S3's bucket policies and API
// Gateway's resource policies give them (services/s3/access/context.ts, apigateway/invoke/resource-policy.ts),
// and which policies need them at all. A policy whose conditions and variables read only the
// principal's own keys decides the same for every call of one caller (access.ts caches that); any
// other key — aws:SourceIp, aws:CurrentTime, aws:SecureTransport, aws:ResourceTag/…, or one Nimbus
// never sets — makes the policy evaluated on each call with this context.
import type { PolicyDocument } from '../../policy/document.ts'
import type { HttpRequest } from '../../protocol/http.ts'
import { requestKeys } from '../../policy/request-keys.ts'

/** The keys the shared evaluator fills from the principal alone (policy/evaluate.ts), and the escape variables `${*}`, `${?}`, `${$}`. */
const principalKeys = new Set(['aws:principalarn', 'aws:principalaccount', 'aws:username', 'aws:principalservicename', '*', '?', '$'])

/** Whether a document's decision can depend on more than the caller: a condition key or policy variable beyond the principal's own. */
export function readsRequest(document: PolicyDocument, text: string): boolean {
  for (const statement of document.Statement) {
    for (const keys of Object.values(statement.Condition ?? {})) {
      for (const key of Object.keys(keys)) if (!principalKeys.has(key.toLowerCase())) return true
    }
  }
  // Variables in Resource, NotResource or condition values (`${aws:SourceIp}`…); a default (`${k, 'x'}`) counts as per request.
  for (const m of text.matchAll(/\$\{([^}]*)\}/g)) if (!principalKeys.has(m[1]!.toLowerCase())) return true
  return false
}

/**
 * The request's condition keys. Nimbus listens on plain HTTP, so `aws:SecureTransport` is "false"
 * (as S3's bucket policies see it); the time is the injected clock's; `aws:SourceIp` is the socket's
 * address (absent for a call made in process, e.g. an API Gateway AWS integration). No VPC endpoint
 * ever carries a request to Nimbus: `aws:SourceVpce`, `aws:SourceVpc` and `aws:VpcSourceIp` are absent,
 * so StringEquals on them never matches (and a Deny with StringNotEquals on them applies).
 */
export function requestContext(request: HttpRequest | undefined, now: number, region: string,
  tags: Readonly<Record<string, string>>): Record<string, string> {
  const out = requestKeys(request, now, false)
  out['aws:RequestedRegion'] = region
  out['aws:ViaAWSService'] = 'false'
  for (const [key, value] of Object.entries(tags)) out[`aws:ResourceTag/${key}`] = value
  return out
}
