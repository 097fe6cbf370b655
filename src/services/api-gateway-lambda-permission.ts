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

/** Parsed policies by their text (the same few functions are asked about again and again). */
const parsed = new Map<string, PolicyDocument | undefined>()

function documentOf(text: string): PolicyDocument | undefined {
  if (parsed.has(text)) return parsed.get(text)
  let document: PolicyDocument | undefined
  try {
    // Lambda's statement ids (`apigateway-test-2`) needn't be IAM's alphanumeric Sids: they play no part here.
    document = parsePolicy(text, 'resource', { anySid: true })
  } catch (error) {
    if (!(error instanceof MalformedPolicy)) throw error
  }
  if (parsed.size >= 1000) parsed.delete(parsed.keys().next().value!)
  parsed.set(text, document)
  return document
}

/** True when the function doesn't exist (the invocation answers that itself) or its policy lets API Gateway invoke it from `sourceArn`. */
export function apiGatewayMayInvoke(lambda: LambdaPort, functionArn: string, sourceArn: string, sourceAccount: string): boolean {
  if (!lambda.exists(functionArn)) return true
  const text = lambda.policy(functionArn)
  const document = text === undefined ? undefined : documentOf(text)
  if (document === undefined) return false
  return resourcePolicyDecision({
    principal: { arn: 'apigateway.amazonaws.com', account: '', service: 'apigateway.amazonaws.com' },
    action: 'lambda:InvokeFunction', resource: functionArn, resourceAccount: sourceAccount,
    context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount },
  }, [document]) === 'Allow'
}
