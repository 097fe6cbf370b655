// Under `--enforce-iam`: a stream's or consumer's resource-based policy (PutResourcePolicy) decides
// who else may use it, as IAM's "Policy evaluation logic" and Kinesis's "Share access using
// resource-based policies" describe. The gateway has already checked the caller's identity policies
// at the level of the action (services/authorization.ts); here, once the operation's resource is
// known: an explicit Deny in its policy refuses anyone, the owner's own identities included; another
// account's caller needs an Allow from it, and only for an action a policy can share (`shareable`
// below). Put/Get/DeleteResourcePolicy are the owner account's alone
// (API reference: the caller must "belong to the owner's account"), and its root user's whatever the
// policy says (no lock-out). A resource that doesn't exist is
// left to the operation's own ResourceNotFoundException.
//
// Conditions see the request's keys too (access-context.ts: aws:SourceIp, aws:CurrentTime on the
// clock, aws:SecureTransport, aws:ResourceTag/…), as S3's bucket policies do. Decisions of a policy
// whose conditions and variables read only the principal's own keys (aws:PrincipalArn,
// aws:PrincipalAccount, aws:username) are cached per policy revision (the stored text: PutResourcePolicy
// replaces it whole) and per operation and caller (a holder's resource ARN never changes) — a statement
// costs ~10 µs to evaluate, so PutRecords from a shared account pays two Map lookups. A policy reading
// any other key is evaluated on every call, with the request's context.
import type { AccessKeyLookup } from '../../core/access-keys.ts'
import { parsePolicy, type PolicyDocument } from '../../policy/document.ts'
import { PolicyDecisionCache, type PolicyRevision } from '../../policy/decision-cache.ts'
import { type Decision, type Principal, resourcePolicyDecision } from '../../policy/evaluate.ts'
import { AwsError } from '../../protocol/errors.ts'
import type { HttpRequest } from '../../protocol/http.ts'
import { callerPrincipal } from '../authorization.ts'
import type { OperationContext } from '../service.ts'
import { readsRequest, requestContext } from './access-context.ts'
import { decodeIterator } from './iterators.ts'
import { decodeToken } from './operations/common.ts'
import type { KinesisState } from './store.ts'
import type { Consumer, Stream } from './stream.ts'

/** What a request acts on: the stream or consumer, its ARN and where its policy is kept. */
interface Target {
  kind: 'stream' | 'consumer'
  stream: Stream
  arn: string
  holder: { policy?: string; tags: Record<string, string> }
}

/** Operations on the policy itself: the owner's account only, whatever the policy says. */
const policyOperations = new Set(['PutResourcePolicy', 'GetResourcePolicy', 'DeleteResourcePolicy'])

/**
 * What a resource policy can share with another account — the Developer Guide's table of "Kinesis Data
 * Streams actions that can be shared" ("Controlling access with resource-based policies"): on a data
 * stream DescribeStreamSummary, ListShards, GetShardIterator, GetRecords, PutRecord and PutRecords, and
 * DescribeStream (its "Share access with cross-account AWS Lambda functions" steps: "Make sure to include
 * the action kinesis:DescribeStream"); on a registered consumer DescribeStreamConsumer and
 * SubscribeToShard. Anything else (DeleteStream, RegisterStreamConsumer, tagging, resharding…) stays the
 * owner account's, whatever the policy allows (`kinesis:*` included).
 */
const shareable = {
  stream: new Set(['DescribeStream', 'DescribeStreamSummary', 'ListShards', 'GetShardIterator', 'GetRecords', 'PutRecord', 'PutRecords']),
  consumer: new Set(['DescribeStreamConsumer', 'SubscribeToShard']),
}

export class ResourcePolicies {
  /** Each holder's policy revision and its decisions (src/policy/decision-cache.ts). */
  private readonly cache = new PolicyDecisionCache<object>()
  /** Revisions whose conditions or variables read more than the principal's keys: evaluated on every call, never cached. */
  private readonly perRequest = new WeakMap<PolicyRevision, boolean>()
  /** Policies evaluated so far (not answered from the cache): what the cache saves is seen in tests. */
  evaluations = 0

  private readonly state: KinesisState
  private readonly keys: AccessKeyLookup

  constructor(state: KinesisState, keys: AccessKeyLookup) {
    this.state = state
    this.keys = keys
  }

  /**
   * Before the operation runs (the service's prepareInput, right after the gateway's identity check, as
   * S3 checks its bucket policies): throws AccessDeniedException unless the resource's policy lets the
   * caller through. `request` gives the per-request condition keys (absent in unit tests: no address).
   */
  authorize(operation: string, input: Record<string, unknown>, ctx: OperationContext, request?: HttpRequest): void {
    const target = this.target(operation, input, ctx)
    if (target === undefined) return
    const owner = target.stream.meta.account
    const text = target.holder.policy
    // The owner's identities on a resource without a policy — nearly every call — stop here.
    if (text === undefined && ctx.caller.account === owner && !policyOperations.has(operation)) return
    // The gateway's caller account is the issued key's own (gateway/caller.ts).
    const sameAccount = ctx.caller.account === owner
    if (policyOperations.has(operation) && !sameAccount) throw this.denied(ctx, operation, target.arn, 'policy-owner')
    // The owner account's root user can always manage the policy, even one that denies it everything
    // (the API reference: only "an identity other than the root user of the AWS account that owns the
    // resource" needs the permission), so a Deny of kinesis:* can't lock the account out for good.
    if (policyOperations.has(operation) && isRoot(callerPrincipal(ctx.caller, this.keys))) return
    const decision = text === undefined ? 'ImplicitDeny' : this.decide(target, text, operation, ctx, request)
    if (decision === 'ExplicitDeny') throw this.denied(ctx, operation, target.arn, 'deny')
    // Across accounts only an Allow of a shareable action counts [R: AWS's wording for an unshareable one].
    if (!sameAccount && (decision !== 'Allow' || !shareable[target.kind].has(operation))) throw this.denied(ctx, operation, target.arn, 'no-allow')
  }

  /** The cached decision for this revision, operation and caller; evaluated (and the principal built) only on a miss. */
  private decide(target: Target, text: string, operation: string, ctx: OperationContext, request: HttpRequest | undefined): Decision {
    let cached = this.cache.revision(target.holder, text)
    if (cached === undefined) {
      cached = this.cache.open(target.holder, text, parse(text))
      this.perRequest.set(cached, cached.document !== undefined && readsRequest(cached.document, text))
    }
    const { caller } = ctx
    if (this.perRequest.get(cached) === true) {
      this.evaluations++
      const context = requestContext(request, ctx.clock.now(), caller.region, target.holder.tags)
      return resourcePolicyDecision({ principal: callerPrincipal(caller, this.keys), action: `kinesis:${operation}`, resource: target.arn,
        resourceAccount: target.stream.meta.account, context }, [cached.document!])
    }
    // A holder's resource ARN never changes, so what and who are the keys. Stored strings (an issued
    // key's principal ARN, the operation's name) keep their hash: a hit is two Map lookups.
    const who = (caller.accessKeyId.length === 20 ? this.keys.principal(caller.accessKeyId)?.arn : undefined) ?? caller.account
    let decision = cached.get(operation, who)
    if (decision === undefined) {
      this.evaluations++
      decision = cached.document === undefined ? 'ImplicitDeny' : resourcePolicyDecision({ principal: callerPrincipal(caller, this.keys),
        action: `kinesis:${operation}`, resource: target.arn, resourceAccount: target.stream.meta.account }, [cached.document])
      cached.set(operation, who, decision)
    }
    return decision
  }

  private denied(ctx: OperationContext, operation: string, resource: string, why: 'deny' | 'no-allow' | 'policy-owner'): AwsError {
    return denied(callerPrincipal(ctx.caller, this.keys), `kinesis:${operation}`, resource, why)
  }

  /** The stream or consumer the request names, if it exists (else the operation answers for itself). */
  private target(operation: string, input: Record<string, unknown>, ctx: OperationContext): Target | undefined {
    const consumerArn = str(input.ConsumerARN) ?? (str(input.ResourceARN)?.includes('/consumer/') === true ? str(input.ResourceARN) : undefined)
    if (consumerArn !== undefined) return this.consumer(consumerArn)
    const streamArn = str(input.StreamARN) ?? str(input.ResourceARN)
    if (streamArn !== undefined) {
      const stream = this.streamByArn(streamArn)
      if (stream === undefined) return undefined
      const name = str(input.ConsumerName)
      // Describe/DeregisterStreamConsumer by stream ARN and name act on the consumer.
      if (name !== undefined && operation !== 'RegisterStreamConsumer') {
        const consumer = stream.consumer(name)
        return consumer === undefined ? undefined : consumerTarget(stream, consumer)
      }
      return streamTarget(stream)
    }
    if (operation === 'GetRecords' && typeof input.ShardIterator === 'string') {
      const it = decodeIterator(input.ShardIterator)
      const stream = it === undefined ? undefined : this.state.find(it.account, it.region, it.stream)
      return stream === undefined ? undefined : streamTarget(stream)
    }
    // ListShards' NextToken (given alone) names the stream it pages through: the policy judged is that
    // stream's as it is now, so a token outlives neither the policy's Allow nor reaches another account's stream.
    if (operation === 'ListShards' && typeof input.NextToken === 'string' && input.StreamName === undefined) {
      const token = decodeToken(input.NextToken)
      const stream = token === undefined ? undefined : this.state.find(String(token['a']), String(token['r']), String(token['n']))
      return stream === undefined ? undefined : streamTarget(stream)
    }
    const name = str(input.StreamName)
    if (name === undefined) return undefined
    const stream = this.state.find(ctx.caller.account, ctx.caller.region, name)
    return stream === undefined ? undefined : streamTarget(stream)
  }

  private consumer(arn: string): Target | undefined {
    const at = arn.indexOf('/consumer/')
    const stream = this.streamByArn(arn.slice(0, at))
    const consumer = stream?.consumer(arn.slice(at + '/consumer/'.length).replace(/:\d+$/, ''))
    return stream === undefined || consumer === undefined || consumer.arn !== arn ? undefined : consumerTarget(stream, consumer)
  }

  private streamByArn(arn: string): Stream | undefined {
    const m = /^arn:aws[a-z-]*:kinesis:([^:]+):(\d{12}):stream\/([^/]+)$/.exec(arn)
    return m === null ? undefined : this.state.find(m[2]!, m[1]!, m[3]!)
  }
}

const streamTarget = (stream: Stream): Target => ({ kind: 'stream', stream, arn: stream.arn, holder: stream.meta })
const consumerTarget = (stream: Stream, consumer: Consumer): Target => ({ kind: 'consumer', stream, arn: consumer.arn, holder: consumer })

const isRoot = (principal: Principal): boolean => principal.arn === `arn:aws:iam::${principal.account}:root`

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** The stored text as the evaluator reads it; one the parser refuses (PutResourcePolicy only checks for a JSON object) grants nothing. */
function parse(text: string): PolicyDocument | undefined {
  try {
    return parsePolicy(text, 'resource', { anySid: true })
  } catch {
    return undefined
  }
}

/** IAM's AccessDenied wording (403), as for identity policies in services/authorization.ts [R: Kinesis's exact text]. */
function denied(principal: Principal, action: string, resource: string, why: 'deny' | 'no-allow' | 'policy-owner'): AwsError {
  const reason = why === 'deny' ? 'with an explicit deny in a resource-based policy'
    : why === 'no-allow' ? `because no resource-based policy allows the ${action} action`
      : 'because the resource belongs to another account'
  return new AwsError('AccessDeniedException', `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource} ${reason}`,
    { status: 403 })
}
