// Whether API Gateway may invoke a Lambda function (REST and HTTP APIs' Lambda integrations and
// authorizers): the function's resource policy must allow the service principal
// `apigateway.amazonaws.com` `lambda:InvokeFunction` on the function as invoked, with its conditions
// (`AWS:SourceArn` — the method or authorizer ARN — and `AWS:SourceAccount`, the API's account) holding,
// as `aws lambda add-permission --principal apigateway.amazonaws.com --source-arn …` grants it. AWS
// refuses otherwise ("Execution failed due to configuration error: Invalid permissions on Lambda
// function", 500) unless the integration names a `credentials` role. Nimbus checks it only under
// `--enforce-iam` (README): by default an integration needs no `lambda:AddPermission`. The evaluation
// (and its cache per policy revision) is the shared lambda-permission.ts.
import type { LambdaPort } from './lambda/port.ts'
import { serviceMayInvoke } from './lambda-permission.ts'

/** AWS's execution-log line for the refusal. */
export const invalidLambdaPermissions = 'Execution failed due to configuration error: Invalid permissions on Lambda function'

const apiGateway = ['apigateway.amazonaws.com']

/** True when the function doesn't exist (the invocation answers that itself) or its policy lets API Gateway invoke it from `sourceArn`. */
export function apiGatewayMayInvoke(lambda: LambdaPort, functionArn: string, sourceArn: string, sourceAccount: string): boolean {
  return serviceMayInvoke(lambda, { principals: apiGateway, functionArn, sourceArn, sourceAccount })
}
