// `$context.authorizer.*` of an HTTP API request, as parameter mapping reads it ("Transform API requests and
// responses": a context variable's value) and access logs write it: a Lambda authorizer's `principalId` (an
// IAM policy answer's) and its context's scalar members, a JWT authorizer's `claims.{claim}`.
export function authorizerVariables(lambda: Record<string, unknown> | undefined, principalId: string | undefined,
  claims: Record<string, string> | undefined): Record<string, string> | undefined {
  if (lambda === undefined && principalId === undefined && claims === undefined) return undefined
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(lambda ?? {})) {
    if (value !== undefined && value !== null && typeof value !== 'object') out[key] = String(value)
  }
  for (const [claim, value] of Object.entries(claims ?? {})) out[`claims.${claim}`] = value
  if (principalId !== undefined) out['principalId'] = principalId
  return out
}
