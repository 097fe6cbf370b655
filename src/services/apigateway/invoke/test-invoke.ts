// TestInvokeMethod (the console's and `aws apigateway test-invoke-method`'s "Test"): runs a method's
// integration as the API stands now, without a deployment, stage, authorizer, API key or throttle —
// as AWS does — and answers the status, body, headers, an execution log and the latency.
import { randomUUID } from 'node:crypto'
import type { HttpRequest } from '../../../protocol/http.ts'
import type { OperationTable } from '../../service.ts'
import type { ApiGatewayOperations } from '../generated/types.ts'
import { newExtendedRequestId } from '../ids.ts'
import type { StageData } from '../store.ts'
import type { InvokeContext } from './request-context.ts'
import { bodyText } from './aws-integration.ts'
import { route } from './route.ts'
import { integrate, type InvokeDeps } from './serve.ts'

type Ops = Pick<ApiGatewayOperations, 'TestInvokeMethod'>

/** The stage a test invocation reports (`$context.stage`) [R]. */
const testStage = 'test-invoke-stage'

export function testInvokeOperations(deps: InvokeDeps): OperationTable<Ops> {
  return {
    TestInvokeMethod: async (input, ctx) => {
      const api = deps.state.api(ctx.caller.account, ctx.caller.region, input.restApiId)
      const httpMethod = input.httpMethod.toUpperCase()
      const method = deps.state.method(api, input.resourceId, httpMethod)
      const resource = api.resources[input.resourceId]!
      const pathAndQuery = input.pathWithQueryString ?? resource.path
      const [path = '/', query = ''] = pathAndQuery.split('?', 2) as [string?, string?]
      // The path fills the resource's {params} when it matches the resource; else there are none.
      const matched = route(api.resources, path, httpMethod, false)
      const found = matched !== undefined && matched.resource.id === resource.id ? matched : { resource, method, pathParameters: {} }
      const headers: Record<string, string> = {}
      const rawHeaders: string[] = []
      for (const [name, value] of Object.entries(input.headers ?? {})) {
        headers[name.toLowerCase()] = value
        rawHeaders.push(name, value)
      }
      for (const [name, values] of Object.entries(input.multiValueHeaders ?? {})) {
        headers[name.toLowerCase()] = values.join(', ')
        for (const value of values) rawHeaders.push(name, value)
      }
      const request: HttpRequest = {
        method: httpMethod, rawPath: path, query: new URLSearchParams(query), rawQuery: query, headers, rawHeaders,
        body: Buffer.from(input.body ?? '', 'utf8'),
      }
      const now = deps.state.clock.now()
      const stage: StageData = {
        stageName: testStage, deploymentId: 'test-invoke-deployment-id', variables: input.stageVariables ?? {},
        cacheClusterEnabled: false, tracingEnabled: false, tags: {}, createdDate: now, lastUpdatedDate: now,
      }
      const ids = { requestId: randomUUID(), extendedRequestId: newExtendedRequestId() }
      const invokeCtx: InvokeContext = {
        api, stage, route: found, request, ...ids, now,
        target: { apiId: api.id, stage: testStage, path, domainName: 'testPrefix.testDomainName' },
      }
      const response = await integrate(deps, invokeCtx, ids)
      const body = await bodyText(response)
      const latency = deps.state.clock.now() - now
      // The ids the gateway adds to a real answer aren't part of the method's response.
      const shown = Object.entries(response.headers).filter(([name]) => !['x-amzn-requestid', 'x-amz-apigw-id'].includes(name.toLowerCase()))
        .map(([name, value]) => [titleCase(name), value] as const)
      return {
        status: response.status, body, latency,
        headers: Object.fromEntries(shown),
        multiValueHeaders: Object.fromEntries(shown.map(([name, value]) => [name, [value]])),
        log: executionLog(ids.requestId, now, httpMethod, resource.path, found.pathParameters, request, response.status, body),
      }
    },
  }
}

/** Nimbus keeps header names lower-cased; the answer shows them as HTTP writes them (`X-Amzn-Trace-Id`) [R]. */
const titleCase = (name: string) => name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('-')

/** A short execution log in AWS's line format (`{date} : {message}`) [R: AWS's log has more lines]. */
function executionLog(requestId: string, now: number, method: string, resourcePath: string, pathParameters: Record<string, string>,
  request: HttpRequest, status: number, body: string): string {
  // Java's Date#toString in UTC: "Sat Dec 05 07:55:12 UTC 2026".
  const [dow, day, month, year, time] = new Date(now).toUTCString().replace(',', '').split(' ') as [string, string, string, string, string]
  const at = `${dow} ${month} ${day} ${time} UTC ${year}`
  const lines = [
    `Execution log for request ${requestId}`,
    `${at} : Starting execution for request: ${requestId}`,
    `${at} : HTTP Method: ${method}, Resource Path: ${resourcePath}`,
    `${at} : Method request path: {${Object.entries(pathParameters).map(([k, v]) => `${k}=${v}`).join(', ')}}`,
    `${at} : Method request query string: {${[...request.query].map(([k, v]) => `${k}=${v}`).join(', ')}}`,
    `${at} : Method request body before transformations: ${request.body.toString('utf8')}`,
    `${at} : Method response body after transformations: ${body}`,
    `${at} : Method completed with status: ${status}`,
  ]
  return `${lines.join('\n')}\n`
}
