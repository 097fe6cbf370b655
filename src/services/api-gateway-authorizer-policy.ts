// A Lambda authorizer's answer: its shape checked, and its IAM policy evaluated against the
// request's method ARN (`arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`).
// As IAM: an explicit Deny wins, then an Allow; neither denies implicitly. Wildcards match as IAM's
// do (src/policy/match.ts: actions case-insensitively, ARNs segment by segment). Shared by REST APIs'
// authorizers and HTTP APIs' Lambda authorizers answering IAM policies (against the route ARN).
import { actionMatches, arnMatches } from '../policy/match.ts'

export type PolicyVerdict = 'allow' | 'explicitDeny' | 'implicitDeny'

export interface AuthorizerAnswer {
  principalId: string
  policy: unknown
  context: Record<string, unknown>
  /** The API key the request is metered with when the API's apiKeySource is AUTHORIZER. */
  usageIdentifierKey?: string
}

/** The method ARN AWS hands the authorizer and evaluates the policy against (the request's path, not the resource's). */
export function methodArn(region: string, account: string, apiId: string, stage: string, method: string, path: string): string {
  return `arn:aws:execute-api:${region}:${account}:${apiId}/${stage}/${method}${path.startsWith('/') ? path : `/${path}`}`
}

/**
 * Undefined when the answer is no valid authorizer output (AWS: "Could not parse policy" →
 * AuthorizerConfigurationException): a principalId, a policyDocument with statements, and a flat
 * context whose values are strings, numbers or booleans — or, for HTTP APIs (`nestedContext`), any
 * JSON values: their guide's authorizer examples return `arrayKey` and `mapKey` members.
 */
export function parseAuthorizerAnswer(payload: Buffer, nestedContext = false): AuthorizerAnswer | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload.toString('utf8'))
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const answer = parsed as Record<string, unknown>
  const doc = answer['policyDocument']
  if (typeof doc !== 'object' || doc === null || statements(doc) === undefined) return undefined
  const context: Record<string, unknown> = {}
  const raw = answer['context']
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw)) return undefined
    for (const [k, v] of Object.entries(raw)) {
      // AWS refuses nested objects and arrays in the context (a configuration error, 500).
      if (!nestedContext && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined
      context[k] = v
    }
  }
  const principal = answer['principalId']
  const usageKey = answer['usageIdentifierKey']
  return {
    principalId: principal === undefined || principal === null ? '' : String(principal), policy: doc, context,
    ...(typeof usageKey === 'string' && { usageIdentifierKey: usageKey }),
  }
}

function statements(doc: object): Record<string, unknown>[] | undefined {
  const raw = (doc as Record<string, unknown>)['Statement']
  const list = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : undefined
  if (list === undefined || !list.every((s) => typeof s === 'object' && s !== null)) return undefined
  return list as Record<string, unknown>[]
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)])

function applies(statement: Record<string, unknown>, arn: string): boolean {
  const actions = asList(statement['Action'])
  const notActions = asList(statement['NotAction'])
  const actionOk = actions.length > 0
    ? actions.some((a) => actionMatches(a, 'execute-api:Invoke'))
    : notActions.length > 0 && !notActions.some((a) => actionMatches(a, 'execute-api:Invoke'))
  if (!actionOk) return false
  const resources = asList(statement['Resource'])
  const notResources = asList(statement['NotResource'])
  return resources.length > 0
    ? resources.some((r) => arnMatches(r, arn))
    : notResources.length > 0 && !notResources.some((r) => arnMatches(r, arn))
}

export function evaluatePolicy(policy: unknown, arn: string): PolicyVerdict {
  let allowed = false
  for (const statement of statements(policy as object) ?? []) {
    if (!applies(statement, arn)) continue
    const effect = String(statement['Effect'] ?? '')
    if (effect === 'Deny') return 'explicitDeny'
    if (effect === 'Allow') allowed = true
  }
  return allowed ? 'allow' : 'implicitDeny'
}
