// What a WebSocket upgrade passes before its `$connect` integration runs, in AWS's order: the stage's
// throttle for `$connect` and the account-level one (429), the route's authorization (authorize.ts: 401/403/500), then its
// ApiKeyRequired — the key the API's ApiKeySelectionExpression names (`$request.header.x-api-key`, or
// the Lambda authorizer's `usageIdentifierKey`) metered by REST APIs' usage plans through apigateway's
// port: no valid key of a plan for the stage → 403, the plan's throttle → 429 Too Many Requests, its
// quota → 429 Limit Exceeded.
import type { ApiAccountThrottle } from '../../../core/api-account-throttle.ts'
import type { UsageMeterRequest, UsageVerdict } from '../../apigateway/port.ts'
import type { HttpApiData, RouteData, StageData } from '../data.ts'
import type { IamCaller } from '../invoke/iam-auth.ts'
import type { HttpApiTarget, InvokeRequest, InvokeResponse } from '../port.ts'
import { authorizeConnect, type AuthorizeDeps, refusal } from './authorize.ts'

export interface AdmitDeps extends AuthorizeDeps {
  /** REST APIs' usage plans (apigateway's port); absent: no key is valid. */
  meterApiKey?: (request: UsageMeterRequest) => UsageVerdict
  /** The account-level throttle REST, HTTP and WebSocket APIs of an account and region share. */
  accountThrottle?: ApiAccountThrottle
}

export type Admission =
  | { refuse: InvokeResponse; reason: string }
  | { authorizer?: Record<string, unknown>; iam?: IamCaller }

export async function admitConnect(deps: AdmitDeps, api: HttpApiData, stage: StageData, route: RouteData, request: InvokeRequest,
  target: HttpApiTarget, connectEvent: Record<string, unknown>): Promise<Admission> {
  const now = deps.state.clock.now()
  // [R] As HTTP APIs' routes: the stage's throttle answers before the authorizer.
  if (deps.state.throttle.refuses(api.id, stage, '$connect', now)) return refusal(429, 'Too Many Requests', 'the stage throttles $connect')
  if (deps.accountThrottle?.take(api.account, api.region, now) === false) return refusal(429, 'Too Many Requests', 'the account-level throttle')
  const auth = route.authorizationType === 'NONE' ? {} : await authorizeConnect(deps, api, stage, route, request, target, connectEvent)
  if ('refuse' in auth) return auth
  if (!route.apiKeyRequired) return { authorizer: auth.authorizer, iam: auth.iam }
  // The two selection expressions AWS supports for WebSocket APIs.
  const value = api.apiKeySelectionExpression === '$context.authorizer.usageIdentifierKey' ? auth.usageIdentifierKey : request.headers['x-api-key']
  const verdict = deps.meterApiKey?.({ account: api.account, region: api.region, apiId: api.id, stage: stage.name, value, now }) ?? { denied: 'forbidden' as const }
  if ('denied' in verdict) {
    if (verdict.denied === 'throttled') return refusal(429, 'Too Many Requests', "the usage plan's throttle refuses the key")
    if (verdict.denied === 'quota') return refusal(429, 'Limit Exceeded', "the usage plan's quota is used up")
    return refusal(403, 'Forbidden', value === undefined ? 'no API key' : 'the API key is unknown, disabled or of no usage plan for this stage')
  }
  return { authorizer: auth.authorizer, iam: auth.iam }
}
