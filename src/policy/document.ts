// IAM policy documents: parsing and AWS's grammar checks (MalformedPolicyDocument), shared by IAM
// (identity and trust policies) and the evaluator. Pure: imports nothing outside core/.
// AWS's messages here are as IAM answers them; those not confirmed against AWS are marked [R] in
// src/services/iam/README.md.

export type Effect = 'Allow' | 'Deny'

export interface Statement {
  Sid?: string
  Effect: Effect
  Action?: string[]
  NotAction?: string[]
  Resource?: string[]
  NotResource?: string[]
  /** `*` or `{ AWS: [...], Service: [...], Federated: [...] }`, normalised to lists. */
  Principal?: '*' | Record<string, string[]>
  NotPrincipal?: '*' | Record<string, string[]>
  Condition?: Record<string, Record<string, string[]>>
}

export interface PolicyDocument {
  Version: string
  Id?: string
  Statement: Statement[]
}

/** What the document is: an identity policy (no Principal), a trust policy (Principal, no Resource), a resource policy. */
export type PolicyKind = 'identity' | 'trust' | 'resource'

export class MalformedPolicy extends Error {}

const VERSIONS = new Set(['2012-10-17', '2008-10-17'])
const TOP_KEYS = new Set(['Version', 'Id', 'Statement'])
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition'])

const fail = (message: string): never => {
  throw new MalformedPolicy(message)
}

/**
 * Parses and checks a document; throws MalformedPolicy with AWS's message. `anySid`: any string is a
 * statement id and ids needn't be unique (IAM's rule; Lambda's statement ids like `apigateway-test-2` and
 * API Gateway's and S3's Sids aren't held to it, and evaluation never reads them).
 */
export function parsePolicy(text: string, kind: PolicyKind, options: { anySid?: boolean } = {}): PolicyDocument {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return fail('This policy contains invalid Json')
  }
  if (!isObject(raw)) return fail('Syntax errors in policy.')
  for (const name of Object.keys(raw)) if (!TOP_KEYS.has(name)) fail('Syntax errors in policy.')
  const version = raw.Version ?? '2008-10-17'
  if (typeof version !== 'string' || !VERSIONS.has(version)) return fail('The policy failed legacy parsing')
  if (raw.Statement === undefined) return fail('Syntax errors in policy.')
  const list = Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement]
  if (list.length === 0) return fail('Syntax errors in policy.')
  const statements = list.map((entry) => statement(entry, kind, options.anySid === true))
  const sids = statements.flatMap((s) => (s.Sid === undefined ? [] : [s.Sid]))
  if (options.anySid !== true && new Set(sids).size !== sids.length) fail('Statement IDs (SID) in a single policy must be unique.')
  return { Version: version, ...(typeof raw.Id === 'string' && { Id: raw.Id }), Statement: statements }
}

function statement(raw: unknown, kind: PolicyKind, anySid: boolean): Statement {
  if (!isObject(raw)) return fail('Syntax errors in policy.')
  for (const name of Object.keys(raw)) if (!STATEMENT_KEYS.has(name)) fail('Syntax errors in policy.')
  if (raw.Effect === undefined) fail('Missing required field Effect')
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') fail(`Invalid effect: ${String(raw.Effect)}`)
  if (raw.Sid !== undefined && (typeof raw.Sid !== 'string' || (!anySid && !/^[A-Za-z0-9]*$/.test(raw.Sid)))) {
    fail('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*')
  }
  if (raw.Action !== undefined && raw.NotAction !== undefined) fail('Syntax errors in policy.')
  if (raw.Resource !== undefined && raw.NotResource !== undefined) fail('Syntax errors in policy.')
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) fail('Syntax errors in policy.')
  const out: Statement = { Effect: raw.Effect as Effect }
  if (typeof raw.Sid === 'string') out.Sid = raw.Sid
  if (raw.Action === undefined && raw.NotAction === undefined) fail('Policy statement must contain actions.')
  for (const name of ['Action', 'NotAction'] as const) {
    if (raw[name] === undefined) continue
    const actions = strings(raw[name])
    for (const action of actions) {
      if (action !== '*' && !/^[A-Za-z0-9-]+:[\w*?-]*$/.test(action)) fail('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.')
    }
    out[name] = actions
  }
  for (const name of ['Resource', 'NotResource'] as const) {
    if (raw[name] === undefined) continue
    if (kind === 'trust') fail(`Has prohibited field ${name}`)
    const resources = strings(raw[name])
    for (const resource of resources) {
      if (resource !== '*' && !resource.startsWith('arn:')) fail(`Resource ${resource} must be in ARN format or "*".`)
    }
    out[name] = resources
  }
  if (kind === 'identity' && raw.Resource === undefined && raw.NotResource === undefined) fail('Policy statement must contain resources.')
  for (const name of ['Principal', 'NotPrincipal'] as const) {
    if (raw[name] === undefined) continue
    if (kind === 'identity') fail('Policy document should not specify a principal.')
    out[name] = principal(raw[name])
  }
  if (kind === 'trust' && out.Principal === undefined && out.NotPrincipal === undefined) fail('Missing required field Principal')
  if (raw.Condition !== undefined) out.Condition = condition(raw.Condition)
  return out
}

function principal(raw: unknown): '*' | Record<string, string[]> {
  if (raw === '*') return '*'
  if (!isObject(raw)) return fail('Syntax errors in policy.')
  const out: Record<string, string[]> = {}
  for (const [type, value] of Object.entries(raw)) {
    if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(type)) fail('Syntax errors in policy.')
    out[type] = strings(value)
  }
  return out
}

function condition(raw: unknown): Record<string, Record<string, string[]>> {
  if (!isObject(raw)) return fail('Syntax errors in policy.')
  const out: Record<string, Record<string, string[]>> = {}
  for (const [operator, block] of Object.entries(raw)) {
    if (!isObject(block)) fail('Syntax errors in policy.')
    out[operator] = {}
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      const values = Array.isArray(value) ? value : [value]
      if (values.some((v) => typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) fail('Syntax errors in policy.')
      out[operator]![key] = values.map(String)
    }
  }
  return out
}

function strings(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw]
  if (list.some((item) => typeof item !== 'string')) fail('Syntax errors in policy.')
  return list as string[]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
