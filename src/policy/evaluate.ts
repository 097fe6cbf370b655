// AWS's policy evaluation logic, as documented ("Policy evaluation logic"): an explicit Deny in any
// applicable policy wins; otherwise an Allow is needed — from an identity policy or a resource
// policy within one account, from both across accounts — and a permissions boundary, when set,
// must allow too; otherwise the implicit deny. Pure: the caller gathers the policies and context.
// This is the module an opt-in `--enforce-iam` will call, and it can replace S3's own anonymous-access
// evaluator: S3 enforces bucket policies through resourcePolicyDecision (services/s3/access/authorize.ts).
import { conditionsHold } from './conditions.ts'
import type { PolicyDocument, Statement } from './document.ts'
import { actionMatches, arnMatches, type ContextValues, substitute } from './match.ts'

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny'

export interface Principal {
  /** `arn:aws:iam::<account>:user/x`, `…:role/x`, `arn:aws:sts::<account>:assumed-role/r/s`, `…:root`; `*` for anonymous. */
  arn: string
  /** Empty for anonymous and service principals. */
  account: string
  /** The role's ARN for an assumed-role session (a resource policy may name the role instead of the session). */
  roleArn?: string
  /** A service principal (`lambda.amazonaws.com`), when a service acts. */
  service?: string
  /** The account's canonical user id, where a resource policy may name it (`{"CanonicalUser": "…"}`, S3). */
  canonicalUser?: string
}

export interface EvaluationRequest {
  principal: Principal
  /** `service:Action`, e.g. `s3:GetObject`. */
  action: string
  /**
   * The resource's ARN; undefined when the caller can't name it (action-level checks): Allow
   * statements then match whatever resources they name, Deny statements only when they cover all (`*`).
   */
  resource?: string
  /** The account that owns the resource (cross-account when it differs from the principal's). */
  resourceAccount: string
  /** Condition keys and policy variables: `aws:username`, `aws:SourceIp`, `s3:prefix`, `aws:PrincipalTag/team`… */
  context?: ContextValues
}

export interface ApplicablePolicies {
  /** The principal's identity policies: its own, its groups', attached managed ones, a session policy. */
  identity?: PolicyDocument[]
  /** The resource's policy (bucket policy, queue policy…). */
  resource?: PolicyDocument[]
  /** The principal's permissions boundary, if one is set. */
  boundary?: PolicyDocument
}

export function evaluate(request: EvaluationRequest, policies: ApplicablePolicies): Decision {
  const context = withPrincipalVariables(request)
  const identity = policies.identity ?? []
  const resource = policies.resource ?? []
  const all = [...identity, ...resource, ...(policies.boundary === undefined ? [] : [policies.boundary])]
  if (all.some((policy) => matching(policy, request, context, 'Deny', policy !== undefined && resource.includes(policy)))) return 'ExplicitDeny'
  const identityAllows = identity.some((policy) => matching(policy, request, context, 'Allow', false))
  const boundaryAllows = policies.boundary === undefined || matching(policies.boundary, request, context, 'Allow', false)
  const resourceAllows = resource.some((policy) => matching(policy, request, context, 'Allow', true))
  const sameAccount = request.principal.account !== '' && request.principal.account === request.resourceAccount
  if (sameAccount) {
    // Within an account a resource policy naming the principal suffices on its own; an identity allow must be within the boundary.
    return resourceAllows || (identityAllows && boundaryAllows) ? 'Allow' : 'ImplicitDeny'
  }
  // Across accounts both sides must allow. Anonymous callers and AWS services have no identity
  // policies: the resource policy alone decides for them.
  if (request.principal.arn === '*' || request.principal.service !== undefined) return resourceAllows ? 'Allow' : 'ImplicitDeny'
  return resourceAllows && identityAllows && boundaryAllows ? 'Allow' : 'ImplicitDeny'
}

/**
 * A resource policy's verdict on its own, identity policies aside: for a service that enforces its
 * resource policies on every request while identity-based enforcement stays opt-in (S3's bucket
 * policies). ExplicitDeny when a Deny statement applies, Allow when an Allow does, else ImplicitDeny.
 */
export function resourcePolicyDecision(request: EvaluationRequest, policies: readonly PolicyDocument[]): Decision {
  const context = withPrincipalVariables(request)
  if (policies.some((policy) => matching(policy, request, context, 'Deny', true))) return 'ExplicitDeny'
  return policies.some((policy) => matching(policy, request, context, 'Allow', true)) ? 'Allow' : 'ImplicitDeny'
}

function matching(policy: PolicyDocument, request: EvaluationRequest, context: ContextValues, effect: 'Allow' | 'Deny', isResourcePolicy: boolean): boolean {
  // Policy variables are only read in 2012-10-17 documents; older ones treat `${…}` literally.
  const variables = policy.Version === '2012-10-17'
  return policy.Statement.some((statement) => statement.Effect === effect && statementApplies(statement, request, context, variables, isResourcePolicy))
}

export function statementApplies(statement: Statement, request: EvaluationRequest, context: ContextValues, variables = true, isResourcePolicy = false): boolean {
  if (statement.Action !== undefined && !statement.Action.some((a) => actionMatches(a, request.action))) return false
  if (statement.NotAction !== undefined && statement.NotAction.some((a) => actionMatches(a, request.action))) return false
  const resolve = (pattern: string) => (variables ? substitute(pattern, context, true) : pattern)
  const { resource } = request
  if (resource === undefined) {
    if (statement.Effect === 'Deny' && (statement.NotResource !== undefined || !(statement.Resource ?? []).includes('*'))) return false
  } else {
    const resourceMatch = (pattern: string) => {
      const resolved = resolve(pattern)
      return resolved !== undefined && arnMatches(resolved, resource)
    }
    if (statement.Resource !== undefined && !statement.Resource.some(resourceMatch)) return false
    if (statement.NotResource !== undefined && statement.NotResource.some(resourceMatch)) return false
  }
  if (isResourcePolicy || statement.Principal !== undefined || statement.NotPrincipal !== undefined) {
    if (statement.Principal !== undefined && !principalMatches(statement.Principal, request.principal)) return false
    if (statement.NotPrincipal !== undefined && principalMatches(statement.NotPrincipal, request.principal)) return false
    if (isResourcePolicy && statement.Principal === undefined && statement.NotPrincipal === undefined) return false
  }
  return statement.Condition === undefined || conditionsHold(statement.Condition, context)
}

/** `*`; `{AWS: '*'}`; an account id or its root ARN (every principal of that account); an exact ARN; a service. */
export function principalMatches(spec: '*' | Record<string, string[]>, principal: Principal): boolean {
  if (spec === '*') return true
  for (const [type, values] of Object.entries(spec)) {
    for (const value of values) {
      if (type === 'Service' && principal.service !== undefined && value === principal.service) return true
      if (type === 'CanonicalUser' && principal.canonicalUser !== undefined && value === principal.canonicalUser) return true
      if (type !== 'AWS') continue
      if (value === '*') return true
      if (principal.account !== '' && (value === principal.account || value === `arn:aws:iam::${principal.account}:root`)) return true
      if (value === principal.arn || (principal.roleArn !== undefined && value === principal.roleArn)) return true
    }
  }
  return false
}

/** The principal's own variables (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:username` for users) joined to the request's context. */
function withPrincipalVariables(request: EvaluationRequest): ContextValues {
  const { principal } = request
  const own: Record<string, string> = {}
  if (principal.arn !== '*') {
    own['aws:PrincipalArn'] = principal.roleArn ?? principal.arn
    own['aws:PrincipalAccount'] = principal.account
    const user = /^arn:aws:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(principal.arn)
    if (user !== null) own['aws:username'] = user[1]!
  }
  if (principal.service !== undefined) own['aws:PrincipalServiceName'] = principal.service
  return { ...own, ...request.context }
}
