// PutBucketPolicy's checks, with S3's MalformedPolicy wordings (they differ from IAM's), then the
// shared parser (src/policy/) for the document the evaluator reads. A statement needs a Principal,
// an Action naming S3 actions, a Resource naming this bucket or its objects (an action must apply
// to one of them), and conditions S3 knows. Wordings not seen in AWS answers are marked [R] in the README.
import { glob } from '../../../policy/match.ts'
import { MalformedPolicy, parsePolicy, type PolicyDocument } from '../../../policy/document.ts'
import { knownActions } from './actions.ts'

const fail = (message: string): never => {
  throw new MalformedPolicy(message)
}

const TOP = new Set(['Version', 'Id', 'Statement'])
const STATEMENT = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'])
const operators = new Set(['stringequals', 'stringnotequals', 'stringequalsignorecase', 'stringnotequalsignorecase', 'stringlike', 'stringnotlike',
  'numericequals', 'numericnotequals', 'numericlessthan', 'numericlessthanequals', 'numericgreaterthan', 'numericgreaterthanequals',
  'dateequals', 'datenotequals', 'datelessthan', 'datelessthanequals', 'dategreaterthan', 'dategreaterthanequals', 'bool', 'binaryequals',
  'ipaddress', 'notipaddress', 'arnequals', 'arnnotequals', 'arnlike', 'arnnotlike'])
/** S3's own condition keys (Service Authorization Reference, "Condition keys for Amazon S3"); `/…` ones take any tag key. */
const s3Keys = new Set(['s3:prefix', 's3:delimiter', 's3:max-keys', 's3:versionid', 's3:x-amz-acl', 's3:x-amz-content-sha256',
  's3:x-amz-copy-source', 's3:x-amz-grant-full-control', 's3:x-amz-grant-read', 's3:x-amz-grant-read-acp', 's3:x-amz-grant-write',
  's3:x-amz-grant-write-acp', 's3:x-amz-metadata-directive', 's3:x-amz-server-side-encryption', 's3:x-amz-server-side-encryption-aws-kms-key-id',
  's3:x-amz-server-side-encryption-customer-algorithm', 's3:x-amz-storage-class', 's3:x-amz-website-redirect-location', 's3:authtype',
  's3:signatureage', 's3:signatureversion', 's3:tlsversion', 's3:locationconstraint', 's3:requestobjecttagkeys', 's3:object-lock-mode',
  's3:object-lock-retain-until-date', 's3:object-lock-remaining-retention-days', 's3:object-lock-legal-hold', 's3:resourceaccount',
  's3:accesspointnetworkorigin', 's3:dataaccesspointaccount', 's3:dataaccesspointarn', 's3:x-amz-object-ownership', 's3:if-match',
  's3:if-none-match', 's3:objectcreationoperation', 's3:x-amz-checksum-algorithm'])
const taggedKeys = /^(s3:(existingobjecttag|requestobjecttag)|aws:(requesttag|resourcetag|principaltag))\/.+$/

/** What a Resource names: the bucket (or access point) itself, its objects, or both; undefined when it's not this one's. */
type ResourceKinds = (resource: string) => Array<'object' | 'bucket'> | undefined

const bucketResources = (bucket: string): ResourceKinds => (resource) => {
  const match = /^arn:aws:s3:::([^/]+)(\/.*)?$/.exec(resource)
  if (match === null || !glob(match[1]!, bucket)) return undefined
  // `arn:aws:s3:::bucket*` names the bucket and (through the wildcard) its objects too.
  return match[2] !== undefined ? ['object'] : match[1]!.endsWith('*') ? ['bucket', 'object'] : ['bucket']
}

/** An access point policy names the access point's ARN, or its objects as `<arn>/object/<key>` (S3 User Guide, access point policies). */
const accessPointResources = (arn: string): ResourceKinds => (resource) => {
  if (resource === arn) return ['bucket']
  if (resource.startsWith(`${arn}/object/`)) return ['object']
  if (resource.endsWith('*') && arn.startsWith(resource.slice(0, -1))) return ['bucket', 'object']
  return undefined
}

/** Checks a bucket policy as S3 does at PutBucketPolicy; throws MalformedPolicy with S3's message. */
export function checkBucketPolicy(text: string, bucket: string): PolicyDocument {
  return checkPolicyText(text, bucketResources(bucket))
}

/** Checks an access point policy (S3 Control's PutAccessPointPolicy) with the same rules, its resources the access point's. */
export function checkAccessPointPolicy(text: string, arn: string): PolicyDocument {
  return checkPolicyText(text, accessPointResources(arn))
}

function checkPolicyText(text: string, resourceKinds: ResourceKinds): PolicyDocument {
  if (!text.trimStart().startsWith('{')) fail("Policies must be valid JSON and the first byte must be '{'")
  let raw: Record<string, unknown>
  try {
    raw = JSON.parse(text) as Record<string, unknown>
  } catch {
    return fail('This policy contains invalid Json')
  }
  for (const name of Object.keys(raw)) if (!TOP.has(name)) fail(`Unknown field ${name}`)
  if (raw.Version !== undefined && raw.Version !== '2012-10-17' && raw.Version !== '2008-10-17') fail('Invalid policy version')
  if (raw.Statement === undefined) fail('Missing required field Statement')
  const statements = Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement]
  for (const statement of statements) checkStatement(statement, resourceKinds)
  return parseBucketPolicy(text)
}

/**
 * The document as the shared evaluator reads it. S3 takes any string as a `Sid` (IAM: alphanumerics
 * only) [R], so Sids the shared parser would refuse are dropped first: evaluation never reads them.
 */
export function parseBucketPolicy(text: string): PolicyDocument {
  const raw = JSON.parse(text) as { Statement?: unknown }
  const list = Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement]
  for (const statement of list) {
    const s = statement as { Sid?: unknown } | null
    if (s !== null && typeof s === 'object' && s.Sid !== undefined && (typeof s.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(s.Sid))) delete s.Sid
  }
  return parsePolicy(JSON.stringify(raw), 'resource')
}

const parsed = new WeakMap<object, { text: string; document: PolicyDocument | undefined }>()

/**
 * The stored policy text of `holder` (a bucket or an access point) as the evaluator reads it, parsed
 * once per text. A policy stored before Nimbus checked them that the parser refuses grants nothing.
 */
export function cachedPolicy(holder: object, text: string | undefined): PolicyDocument | undefined {
  if (text === undefined) return undefined
  const cached = parsed.get(holder)
  if (cached?.text === text) return cached.document
  let document: PolicyDocument | undefined
  try {
    document = parseBucketPolicy(text)
  } catch {
    document = undefined
  }
  parsed.set(holder, { text, document })
  return document
}

function checkStatement(raw: unknown, resourceKinds: ResourceKinds): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('Invalid policy syntax.')
  const s = raw as Record<string, unknown>
  for (const name of Object.keys(s)) if (!STATEMENT.has(name)) fail(`Unknown field ${name}`)
  if (s.Effect === undefined) fail('Missing required field Effect')
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') fail(`Invalid effect: ${String(s.Effect)}`)
  if (s.Principal === undefined && s.NotPrincipal === undefined) fail('Missing required field Principal')
  checkPrincipal(s.Principal ?? s.NotPrincipal)
  if (s.Action === undefined && s.NotAction === undefined) fail('Missing required field Action')
  if (s.Resource === undefined && s.NotResource === undefined) fail('Missing required field Resource')
  const actions = strings(s.Action ?? s.NotAction)
  const resources = strings(s.Resource ?? s.NotResource)
  const kinds = new Set<'object' | 'bucket'>()
  for (const resource of resources) {
    const named = resourceKinds(resource)
    if (named === undefined) fail('Policy has invalid resource')
    for (const kind of named!) kinds.add(kind)
  }
  for (const action of actions) {
    if (action === '*') continue
    if (!/^s3:/i.test(action)) fail('Policy has invalid action')
    const matched = [...knownActions].filter(([name]) => glob(action.toLowerCase(), name))
    if (matched.length === 0) fail('Policy has invalid action')
    if (s.Action !== undefined && !matched.some(([, kind]) => kinds.has(kind))) fail('Action does not apply to any resource(s) in statement')
  }
  if (s.Condition !== undefined) checkCondition(s.Condition)
}

function checkPrincipal(raw: unknown): void {
  if (raw === '*') return
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('Invalid principal in policy')
  for (const [type, value] of Object.entries(raw as Record<string, unknown>)) {
    const values = strings(value, 'Invalid principal in policy')
    if (type === 'AWS') {
      for (const v of values) {
        const valid = v === '*' || /^\d{12}$/.test(v) || /^arn:aws:iam::(\d{12}|\*):(root|user\/.+|role\/.+|federated-user\/.+)$/.test(v) ||
          /^arn:aws:sts::\d{12}:(assumed-role\/[^/]+\/.+|federated-user\/.+)$/.test(v)
        if (!valid) fail('Invalid principal in policy')
      }
    } else if (type === 'Service') {
      if (values.some((v) => !/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(v) && v !== '*')) fail('Invalid principal in policy')
    } else if (type === 'CanonicalUser') {
      if (values.some((v) => !/^[0-9a-f]{64}$/.test(v))) fail('Invalid principal in policy')
    } else if (type !== 'Federated') {
      fail('Invalid principal in policy')
    }
  }
}

function checkCondition(raw: unknown): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('Invalid policy syntax.')
  for (const [operator, block] of Object.entries(raw as Record<string, unknown>)) {
    const base = operator.replace(/^(ForAllValues|ForAnyValue):/i, '').replace(/IfExists$/i, '').toLowerCase()
    if (!operators.has(base) && base !== 'null') fail(`Invalid Condition type : ${operator}`)
    if (block === null || typeof block !== 'object' || Array.isArray(block)) return fail('Invalid policy syntax.')
    for (const key of Object.keys(block as object)) {
      const name = key.toLowerCase()
      const known = (name.startsWith('aws:') && name.length > 4) || s3Keys.has(name) || taggedKeys.test(name)
      if (!known) fail('Policy has an invalid condition key')
    }
  }
}

function strings(raw: unknown, message = 'Invalid policy syntax.'): string[] {
  const list = Array.isArray(raw) ? raw : [raw]
  if (list.length === 0 || list.some((item) => typeof item !== 'string')) fail(message)
  return list as string[]
}
