// Whether an AWS service may invoke a Lambda function on a resource's behalf: the function's resource
// policy (AddPermission's statements) must allow one of the service's principals
// `lambda:InvokeFunction` on the function as invoked, with its conditions (`AWS:SourceArn`,
// `AWS:SourceAccount`) holding for the resource that invokes — what `aws lambda add-permission
// --principal <service> --source-arn … --source-account …` grants. API Gateway's integrations and
// authorizers (api-gateway-lambda-permission.ts), CloudWatch Logs' subscription filters and S3's Lambda
// notification destinations (s3/notifier.ts) ask it, under
// `--enforce-iam` only (each service's README).
import { PolicyRevision } from '../policy/decision-cache.ts'
import { MalformedPolicy, parsePolicy, type PolicyDocument } from '../policy/document.ts'
import { resourcePolicyDecision } from '../policy/evaluate.ts'
import type { LambdaPort } from './lambda/port.ts'

/**
 * Parsed policies by their text, each a revision holding its decisions (src/policy/decision-cache.ts) by
 * caller and function ARN, then source ARN and account. Lambda's port hands back the same string until the
 * policy changes (one serialisation per revision), so the lookup by text costs no rehash, and a changed
 * policy is a new text: its old decisions are never read again and go when the entry is dropped.
 */
const parsed = new Map<string, PolicyRevision>()
/** Policy texts kept at most (the oldest goes first); each remembers MAX_DECISIONS decisions at most (distinct method ARNs, log groups, buckets). */
const maxPolicies = 1000

function parsedPolicy(text: string): PolicyRevision {
  let entry = parsed.get(text)
  if (entry !== undefined) return entry
  let document: PolicyDocument | undefined
  try {
    // Lambda's statement ids (`apigateway-test-2`) needn't be IAM's alphanumeric Sids: they play no part here.
    document = parsePolicy(text, 'resource', { anySid: true })
  } catch (error) {
    if (!(error instanceof MalformedPolicy)) throw error
  }
  if (parsed.size >= maxPolicies) parsed.delete(parsed.keys().next().value!)
  entry = new PolicyRevision(text, document)
  parsed.set(text, entry)
  return entry
}

export interface ServiceInvocation {
  /** The service's principals, any of which a permission may name (`logs.amazonaws.com`, `logs.us-east-1.amazonaws.com`). */
  principals: readonly string[]
  functionArn: string
  /** The invoking resource (`AWS:SourceArn`): a method ARN, a log group's ARN… */
  sourceArn: string
  /** Its account (`AWS:SourceAccount`). */
  sourceAccount: string
}

/** True when the function doesn't exist (the invocation answers that itself) or its policy lets the service invoke it for `sourceArn`. */
export function serviceMayInvoke(lambda: LambdaPort, { principals, functionArn, sourceArn, sourceAccount }: ServiceInvocation): boolean {
  if (!lambda.exists(functionArn)) return true
  const text = lambda.policy(functionArn)
  if (text === undefined) return false
  const policy = parsedPolicy(text)
  if (policy.document === undefined) return false
  // The ARN as invoked is in the key: a version's or alias's ARN shares the function's policy text, not its Resource match.
  const who = `${principals.join(' ')}\n${functionArn}`
  const source = `${sourceArn}\n${sourceAccount}`
  let decision = policy.get(who, source)
  if (decision === undefined) {
    const document = policy.document
    decision = principals.some((service) => resourcePolicyDecision({
      principal: { arn: service, account: '', service },
      action: 'lambda:InvokeFunction', resource: functionArn, resourceAccount: sourceAccount,
      context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount },
    }, [document]) === 'Allow') ? 'Allow' : 'ImplicitDeny'
    policy.set(who, source, decision)
  }
  return decision === 'Allow'
}
