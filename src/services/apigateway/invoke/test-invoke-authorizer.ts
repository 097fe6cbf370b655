// TestInvokeAuthorizer: runs a Lambda authorizer (TOKEN or REQUEST) once with the request the caller
// describes — headers, `pathWithQueryString`, stage variables — as the console's "Test" does, and
// answers what it decided: `clientStatus` 0 when the authorizer answered a policy (AWS: "Value is 0 if
// the authorizer succeeded"), 401 for a missing identity or an "Unauthorized" error, 500 for a failure;
// `principalId`, the `policy` as JSON text, `authorization` (the context's values as lists), `latency`
// and a `log`. Nothing is cached. Cognito authorizers can't be tested (Nimbus serves no Cognito).
import type { LambdaPort } from '../../lambda/port.ts'
import type { OperationContext } from '../../service.ts'
import { parseAuthorizerAnswer } from '../../api-gateway-authorizer-policy.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { ApiGatewayState } from '../store.ts'
import { fullMatch, identityValues } from './authorizer.ts'
import { lambdaFunctionArn } from './lambda-uri.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => Promise<O>


export function testInvokeAuthorizerOperations(deps: { state: ApiGatewayState; lambda: LambdaPort }) {
  const testInvokeAuthorizer: Op<T.TestInvokeAuthorizerRequest, T.TestInvokeAuthorizerResponse> = async (input, ctx) => {
    const api = deps.state.api(ctx.caller.account, ctx.caller.region, input.restApiId)
    const config = api.authorizers?.[input.authorizerId]
    if (config === undefined) throw apiGatewayErrors.authorizerNotFound()
    const started = deps.state.clock.now()
    const lines: string[] = []
    const at = () => new Date(deps.state.clock.now()).toUTCString()
    const done = (clientStatus: number, extra: Partial<T.TestInvokeAuthorizerResponse> = {}): T.TestInvokeAuthorizerResponse =>
      ({ clientStatus, log: lines.map((l) => `${at()} : ${l}`).join('\n'), latency: deps.state.clock.now() - started, ...extra })
    if (config.type === 'COGNITO_USER_POOLS') {
      lines.push('Cognito user pool authorizers are not served by Nimbus (no user pool can validate the token)')
      return done(401)
    }
    const [rawPath = '/', rawQuery = ''] = (input.pathWithQueryString ?? '/').split('?', 2)
    const headers = Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]))
    for (const [k, v] of Object.entries(input.multiValueHeaders ?? {})) headers[k.toLowerCase()] ??= v.join(',')
    const request = { headers, query: new URLSearchParams(rawQuery), path: rawPath, stageVariables: input.stageVariables ?? {} }
    // The request context the test's REQUEST event carries, which `context.x` sources read too.
    const requestContext = { resourcePath: request.path, httpMethod: 'GET', stage: 'test-invoke-stage', accountId: api.account, apiId: api.id, ...input.additionalContext }
    lines.push(`Starting authorizer: ${config.id} for request: test-request`)
    const values = identityValues(config.identitySource, { ...request, pathParameters: {}, context: () => requestContext })
    if (values === undefined) {
      lines.push(`Unauthorized request: the identity source ${config.identitySource ?? ''} is missing`)
      return done(401)
    }
    const token = values[0] ?? ''
    if (config.type === 'TOKEN' && config.identityValidationExpression !== undefined && config.identityValidationExpression !== '') {
      if (!fullMatch(config.identityValidationExpression, token)) {
        lines.push('Unauthorized request: the token does not match the identity validation expression')
        return done(401)
      }
    }
    const functionArn = lambdaFunctionArn(config.authorizerUri ?? '', request.stageVariables)
    if (functionArn === undefined) throw apiGatewayErrors.badRequest(`Invalid authorizer URI: ${config.authorizerUri ?? 'null'}`)
    // [R] The method ARN the console's test hands the function.
    const methodArn = `arn:aws:execute-api:${api.region}:${api.account}:${api.id}/ESTestInvoke-stage/GET/`
    const query = Object.fromEntries(request.query)
    const event = config.type === 'TOKEN' ? { type: 'TOKEN', methodArn, authorizationToken: token } : {
      type: 'REQUEST', methodArn, resource: request.path, path: request.path, httpMethod: 'GET', headers: input.headers ?? {},
      multiValueHeaders: input.multiValueHeaders ?? Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k, [v]])),
      queryStringParameters: query, multiValueQueryStringParameters: Object.fromEntries([...request.query.keys()].map((k) => [k, request.query.getAll(k)])),
      pathParameters: {}, stageVariables: request.stageVariables,
      requestContext,
    }
    lines.push(`Sending request to ${functionArn}`)
    let result
    try {
      result = await deps.lambda.invoke(functionArn, JSON.stringify(event))
    } catch (error) {
      lines.push(`Execution failed due to configuration error: ${error instanceof Error ? error.message : String(error)}`)
      return done(500)
    }
    const text = result.payload.toString('utf8')
    if (result.outcome !== 'success') {
      const unauthorized = /"errorMessage"\s*:\s*"Unauthorized"/.test(text)
      lines.push(unauthorized ? 'Unauthorized request: the authorizer answered Unauthorized' : `Execution failed: the authorizer failed: ${text.slice(0, 500)}`)
      return done(unauthorized ? 401 : 500)
    }
    const answer = parseAuthorizerAnswer(result.payload)
    if (answer === undefined) {
      lines.push('Execution failed due to configuration error: Could not parse policy')
      return done(500)
    }
    lines.push(`Authorizer result body before parsing: ${text.slice(0, 1000)}`)
    lines.push(`Successfully completed authorizer execution`)
    return done(0, {
      principalId: answer.principalId, policy: JSON.stringify(answer.policy),
      authorization: Object.fromEntries(Object.entries(answer.context).map(([k, v]) => [k, [String(v)]])),
    })
  }
  return { TestInvokeAuthorizer: testInvokeAuthorizer }
}
