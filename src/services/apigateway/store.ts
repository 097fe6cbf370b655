// API Gateway's REST APIs in memory, with the lookups every operation shares and the not-found errors AWS answers.
import type { Clock } from '../../core/clock.ts'
import { apiGatewayErrors } from './errors.ts'
import { TokenBuckets } from '../../core/token-buckets.ts'
import { StageCache } from './cache/stage-cache.ts'
import { CanarySplit } from './canary/canary.ts'
import type { ApiGatewayRows } from './apigateway-rows.ts'
import type { ApiData, MethodData, ResourceData, StageData } from './api-data.ts'

/** What a Lambda authorizer answered: its policy is evaluated against each request's method ARN. */
export interface CachedAuthorization {
  expires: number
  principalId: string
  policy: unknown
  context: Record<string, unknown>
  usageIdentifierKey?: string
}

export type { ApiData, DeploymentData, IntegrationData, MethodData, ModelData, ResourceData, StageData } from './api-data.ts'

export class ApiGatewayState {
  /** By API id: ids are unique across accounts and regions (the invoke URL's Host names only the id). */
  readonly apis = new Map<string, ApiData>()
  /** Integration calls waiting for their backend right now (tests wait on it before moving the clock). */
  inFlight = 0
  /** Lambda authorizers' cached results (by API, stage, authorizer and identity), expiring on the clock. */
  readonly authorizerCache = new Map<string, CachedAuthorization>()
  /** Stages' method throttles (UpdateStage's throttling settings), per API, stage and method. */
  readonly stageBuckets = new TokenBuckets()
  /** Stage caches' contents (in memory only: README By design). */
  readonly stageCache = new StageCache()
  /** Which requests each stage's canary serves (deterministic counts, in memory). */
  readonly canarySplit = new CanarySplit()

  readonly clock: Clock
  private readonly rows: ApiGatewayRows | undefined

  constructor(clock: Clock, rows: ApiGatewayRows | undefined) {
    this.clock = clock
    this.rows = rows
    for (const api of rows?.load() ?? []) this.apis.set(api.id, api)
  }

  api(account: string, region: string, id: string): ApiData {
    const api = this.apis.get(id)
    if (api === undefined || api.account !== account || api.region !== region) throw apiGatewayErrors.apiNotFound(account, id)
    return api
  }

  listApis(account: string, region: string): ApiData[] {
    return [...this.apis.values()].filter((a) => a.account === account && a.region === region)
  }

  resource(api: ApiData, id: string): ResourceData {
    const resource = api.resources[id]
    if (resource === undefined) throw apiGatewayErrors.resourceNotFound()
    return resource
  }

  method(api: ApiData, resourceId: string, httpMethod: string): MethodData {
    const method = this.resource(api, resourceId).methods[httpMethod.toUpperCase()]
    if (method === undefined) throw apiGatewayErrors.methodNotFound()
    return method
  }

  stage(api: ApiData, name: string): StageData {
    const stage = api.stages[name]
    if (stage === undefined) throw apiGatewayErrors.stageNotFound()
    return stage
  }

  /** Writes the API's row (call after every change): the whole API, small next to its requests. */
  save(api: ApiData): void {
    this.rows?.put(api)
  }

  remove(api: ApiData): void {
    this.apis.delete(api.id)
    this.stageCache.flushApi(api.id)
    this.rows?.delete(api.id)
  }

  reset(): void {
    this.apis.clear()
    this.authorizerCache.clear()
    this.stageBuckets.clear()
    this.stageCache.clear()
    this.canarySplit.clear()
    this.rows?.clear()
  }
}
