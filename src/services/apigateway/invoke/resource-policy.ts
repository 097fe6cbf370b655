// A REST API's resource policy at request time, as deployed (AWS: "If you update the resource policy,
// you'll need to deploy the API"), evaluated for `execute-api:Invoke` on the method ARN
// `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}` by Nimbus's IAM evaluator
// (src/policy), combined with the method's authorization as AWS's "How API Gateway resource policies
// affect authorization workflow" tables say:
// - no authorization (NONE): the policy must Allow the anonymous caller; an implicit or explicit deny → 403;
// - a Lambda or Cognito authorizer: an explicit Deny refuses before the authorizer runs; after it, an
//   authorizer policy that neither allows nor denies is rescued by a policy Allow (Table A);
// - AWS_IAM: the signed caller is the principal; same account (Table A) either the identity policies or
//   the resource policy must allow, across accounts (Table B) both; an explicit Deny in either wins.
// Denials answer ACCESS_DENIED: 403 `{"Message":"User: anonymous is not authorized to perform:
// execute-api:Invoke on resource: {arn}"}` (`… with an explicit deny` for a Deny), AccessDeniedException.
//
// A deployment's policy is parsed once, and where its decisions can't vary with the request (no
// Condition, no policy variable in a Resource: PolicyRevision.contextFree) they are remembered per
// method ARN and caller (src/policy/decision-cache.ts); any other policy is evaluated per request.
import type { HttpResponse } from '../../../protocol/http.ts'
import { PolicyDecisionCache, type PolicyRevision } from '../../../policy/decision-cache.ts'
import type { PolicyDocument } from '../../../policy/document.ts'
import { type Decision, type Principal, resourcePolicyDecision } from '../../../policy/evaluate.ts'
import { requestKeys } from '../../../policy/request-keys.ts'
import { methodArn } from '../../api-gateway-authorizer-policy.ts'
import type { DeploymentData } from '../store.ts'
import { expandPolicy, parseApiPolicy } from '../resource-policy/expand.ts'
import { gatewayResponses, type ResponseIds } from './gateway-responses.ts'
import { type InvokeContext, sourceIp } from './request-context.ts'

/** Each deployment's policy, parsed, and its decisions where they can be kept (a deployment never changes). */
const policies = new PolicyDecisionCache<DeploymentData>()

function revisionOf(deployment: DeploymentData, ctx: InvokeContext, log: (line: string) => void): PolicyRevision {
  const text = deployment.policy!
  return policies.revision(deployment, text) ?? policies.open(deployment, text, parseDeployed(text, ctx, log))
}

/** The deployed text as evaluated: undefined when it doesn't parse (every request denied). */
function parseDeployed(text: string, ctx: InvokeContext, log: (line: string) => void): PolicyDocument | undefined {
  // Older policies may still hold the abbreviated `execute-api:/…` form: read as saved ones would be.
  const expanded = expandPolicy(text, ctx.api.region, ctx.api.account, ctx.api.id)!
  try {
    return parseApiPolicy(expanded)
  } catch (error) {
    // Saved policies are checked (expand.ts); one kept from before that (a data dir) may still not parse.
    log(`[nimbus] apigateway ${ctx.api.id}: the deployed resource policy doesn't parse (${error instanceof Error ? error.message : String(error)}); denying every request`)
    return undefined
  }
}

/** The method ARN the policy is evaluated on (the request's own path, as AWS names it). */
const arnOf = (ctx: InvokeContext) => methodArn(ctx.api.region, ctx.api.account, ctx.api.id, ctx.stage.stageName, ctx.request.method, ctx.target.path)

/**
 * The condition keys a request to an invoke URL carries: the client's address (`aws:SourceIp`; the
 * socket's, never `X-Forwarded-For`), `aws:Referer`, `aws:UserAgent`, the time on Nimbus's clock and
 * `aws:SecureTransport` (execute-api is HTTPS only on AWS). No VPC endpoint ever carries a request
 * to Nimbus, so `aws:SourceVpce` and `aws:SourceVpc` are absent: StringEquals on them never matches.
 */
function conditionContext(ctx: InvokeContext): Record<string, string | undefined> {
  return { ...requestKeys(ctx.request, ctx.now, true), 'aws:SourceIp': sourceIp(ctx.request), 'aws:RequestedRegion': ctx.api.region }
}

/** `who` names the principal among a deployment's callers (its ARN and account). */
function decide(revision: PolicyRevision, ctx: InvokeContext, principal: Principal, who: string): Decision {
  const { document } = revision
  if (document === undefined) return 'ImplicitDeny'
  const resource = arnOf(ctx)
  const known = revision.contextFree ? revision.get(resource, who) : undefined
  if (known !== undefined) return known
  const decision = resourcePolicyDecision({
    principal, action: 'execute-api:Invoke', resource, resourceAccount: ctx.api.account, context: conditionContext(ctx),
  }, [document])
  if (revision.contextFree) revision.set(resource, who, decision)
  return decision
}

const anonymous: Principal = { arn: '*', account: '' }

function denial(user: string, decision: Decision, ctx: InvokeContext, ids: ResponseIds): HttpResponse {
  const tail = decision === 'ExplicitDeny' ? ' with an explicit deny' : ''
  return gatewayResponses.iamDenied(`User: ${user} is not authorized to perform: execute-api:Invoke on resource: ${arnOf(ctx)}${tail}`, ids)
}

/**
 * The phase before authorization: undefined when the request goes on (ctx.resourcePolicy set for the
 * authorizer's step), else the 403 that ends it. Only called for a deployment with a policy.
 */
export function checkResourcePolicy(ctx: InvokeContext, deployment: DeploymentData, ids: ResponseIds, log: (line: string) => void): HttpResponse | undefined {
  const revision = revisionOf(deployment, ctx, log)
  const type = ctx.route.method.authorizationType
  // AWS_IAM: evaluated once the caller is known (iamPolicyDenial).
  if (type === 'AWS_IAM') {
    ctx.resourcePolicy = { revision, anonymous: 'ImplicitDeny' }
    return undefined
  }
  const decision = decide(revision, ctx, anonymous, anonymous.arn)
  ctx.resourcePolicy = { revision, anonymous: decision }
  if (decision === 'Allow') return undefined
  // With an authorizer only an explicit Deny refuses before it runs (the "pre-auth" phase).
  if ((type === 'CUSTOM' || type === 'COGNITO_USER_POOLS') && decision === 'ImplicitDeny') return undefined
  log(`[nimbus] apigateway ${ctx.api.id}: resource policy ${decision === 'ExplicitDeny' ? 'explicitly denies' : 'does not allow'} ${ctx.request.method} ${ctx.target.path} from ${sourceIp(ctx.request)}`)
  return denial('anonymous', decision, ctx, ids)
}

/** A Lambda authorizer's policy that neither allowed nor denied the request: the resource policy's Allow lets it through (Table A). */
export const resourcePolicyAllows = (ctx: InvokeContext): boolean => ctx.resourcePolicy?.anonymous === 'Allow'

/**
 * An AWS_IAM method's signed caller against the deployed resource policy: undefined when allowed, else
 * the 403. `identity` is what the caller's identity policies said (`--enforce-iam`; without it Nimbus
 * evaluates none, and they count as allowing).
 */
export function iamPolicyDenial(ctx: InvokeContext, caller: { arn: string; account: string }, identity: 'explicit' | 'implicit' | undefined,
  ids: ResponseIds): HttpResponse | undefined {
  const roleSession = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(caller.arn)
  const principal: Principal = { arn: caller.arn, account: caller.account,
    ...(roleSession !== null && { roleArn: `arn:aws:iam::${roleSession[1]}:role/${roleSession[2]}` }) }
  const revision = ctx.resourcePolicy?.revision
  const policy = revision === undefined ? 'ImplicitDeny' : decide(revision, ctx, principal, `${caller.account} ${caller.arn}`)
  let decision: Decision
  if (identity === 'explicit' || policy === 'ExplicitDeny') decision = 'ExplicitDeny'
  else if (caller.account === ctx.api.account) decision = identity === undefined || policy === 'Allow' ? 'Allow' : 'ImplicitDeny'
  else decision = identity === undefined && policy === 'Allow' ? 'Allow' : 'ImplicitDeny'
  return decision === 'Allow' ? undefined : denial(caller.arn, decision, ctx, ids)
}
