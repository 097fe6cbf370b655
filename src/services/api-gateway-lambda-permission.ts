// Whether API Gateway may invoke a Lambda function (REST and HTTP APIs' Lambda integrations and
// authorizers): the function's resource policy must allow the service principal
// `apigateway.amazonaws.com` `lambda:InvokeFunction` on the function as invoked, with its conditions
// (`AWS:SourceArn` — the method or authorizer ARN — and `AWS:SourceAccount`, the API's account) holding,
// as `aws lambda add-permission --principal apigateway.amazonaws.com --source-arn …` grants it. AWS
// refuses otherwise ("Execution failed due to configuration error: Invalid permissions on Lambda
// function", 500) unless the integration names a `credentials` role. Nimbus checks it only under
// `--enforce-iam` (README): by default an integration needs no `lambda:AddPermission`.
import { MalformedPolicy, parsePolicy, type PolicyDocument } from '../policy/document.ts'
import { resourcePolicyDecision } from '../policy/evaluate.ts'
import type { LambdaPort } from './lambda/port.ts'

/** AWS's execution-log line for the refusal. */
export const invalidLambdaPermissions = 'Execution failed due to configuration error: Invalid permissions on Lambda function'

/**
 * Parsed policies by their text, and each one's decisions by source ARN and account. Lambda's port hands back the
 * same string until the policy changes (one serialisation per revision), so the lookup by text costs no rehash,
 * and a changed policy is a new text: its old decisions are never read again and go when the entry is dropped.
 */
interface ParsedPolicy {
  document: PolicyDocument | undefined
  decisions: Map<string, boolean>
}
const parsed = new Map<string, ParsedPolicy>()
/** Distinct request paths make distinct method ARNs: each policy remembers this many decisions at most. */
const maxDecisions = 1000

function parsedPolicy(text: string): ParsedPolicy {
  let entry = parsed.get(text)
  if (entry !== undefined) return entry
  let document: PolicyDocument | undefined
  try {
    // Lambda's statement ids (`apigateway-test-2`) needn't be IAM's alphanumeric Sids: they play no part here.
    document = parsePolicy(text, 'resource', { anySid: true })
  } catch (error) {
    if (!(error instanceof MalformedPolicy)) throw error
  }
  if (parsed.size >= 1000) parsed.delete(parsed.keys().next().value!)
  entry = { document, decisions: new Map() }
  parsed.set(text, entry)
  return entry
}

/** True when the function doesn't exist (the invocation answers that itself) or its policy lets API Gateway invoke it from `sourceArn`. */
export function apiGatewayMayInvoke(lambda: LambdaPort, functionArn: string, sourceArn: string, sourceAccount: string): boolean {
  if (!lambda.exists(functionArn)) return true
  const text = lambda.policy(functionArn)
  if (text === undefined) return false
  const policy = parsedPolicy(text)
  if (policy.document === undefined) return false
  // The ARN as invoked is in the key: a version's or alias's ARN shares the function's policy text, not its Resource match.
  const key = `${functionArn}\n${sourceArn}\n${sourceAccount}`
  let allowed = policy.decisions.get(key)
  if (allowed === undefined) {
    allowed = resourcePolicyDecision({
      principal: { arn: 'apigateway.amazonaws.com', account: '', service: 'apigateway.amazonaws.com' },
      action: 'lambda:InvokeFunction', resource: functionArn, resourceAccount: sourceAccount,
      context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount },
    }, [policy.document]) === 'Allow'
    if (policy.decisions.size >= maxDecisions) policy.decisions.delete(policy.decisions.keys().next().value!)
    policy.decisions.set(key, allowed)
  }
  return allowed
}
