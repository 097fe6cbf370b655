// API Gateway V2's HTTP APIs in memory and, with a data dir, as rows (table `apigatewayv2_apis`,
// one row per API), with the lookups every operation shares and the not-found errors AWS answers.
import { randomBytes } from 'node:crypto'
import type { Clock } from '../../core/clock.ts'
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { DeploymentData, HttpApiData, IntegrationData, RouteData, StageData } from './data.ts'
import { apiGatewayV2Errors } from './errors.ts'
import { RouteThrottle } from './route-throttle.ts'

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** Lowercase alphanumerics, as AWS's ids look (10 for an API, 7 for routes, integrations, deployments [R]). */
export function newId(length: number): string {
  let id = ''
  for (const b of randomBytes(length)) id += alphabet[b % alphabet.length]
  return id
}

export class HttpApiState {
  /** By API id: unique across accounts and regions (the invoke URL's Host names only the id). */
  readonly apis = new Map<string, HttpApiData>()
  inFlight = 0
  /** Stages' route throttling buckets (in memory: a restart starts them full). */
  readonly throttle = new RouteThrottle()
  readonly clock: Clock
  private readonly rows: Table<HttpApiData> | undefined

  constructor(clock: Clock, persistence: Persistence | undefined) {
    this.clock = clock
    this.rows = persistence?.table<HttpApiData>('apigatewayv2_apis')
    for (const [, api] of this.rows?.load() ?? []) this.apis.set(api.id, api)
  }

  /**
   * An integration's call on its timeout (Nimbus's clock), counted in flight meanwhile: the call's
   * answer, or 'timeout' when the clock gets there first (the call is left to finish unheard).
   */
  async within<T>(ms: number, call: () => Promise<T>): Promise<T | 'timeout'> {
    let timer: { cancel(): void } | undefined
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = this.clock.after(ms, () => resolve('timeout'))
    })
    this.inFlight++
    try {
      return await Promise.race([call(), timedOut])
    } finally {
      timer?.cancel()
      this.inFlight--
    }
  }

  api(account: string, region: string, id: string): HttpApiData {
    const api = this.apis.get(id)
    if (api === undefined || api.account !== account || api.region !== region) throw apiGatewayV2Errors.apiNotFound(id)
    return api
  }

  route(api: HttpApiData, id: string): RouteData {
    const route = api.routes[id]
    if (route === undefined) throw apiGatewayV2Errors.routeNotFound(id)
    return route
  }

  integration(api: HttpApiData, id: string): IntegrationData {
    const integration = api.integrations[id]
    if (integration === undefined) throw apiGatewayV2Errors.integrationNotFound(id)
    return integration
  }

  stage(api: HttpApiData, name: string): StageData {
    const stage = api.stages[name]
    if (stage === undefined) throw apiGatewayV2Errors.stageNotFound(name)
    return stage
  }

  deployment(api: HttpApiData, id: string): DeploymentData {
    const deployment = api.deployments[id]
    if (deployment === undefined) throw apiGatewayV2Errors.deploymentNotFound(id)
    return deployment
  }

  /** A snapshot of the API's routes, integrations and CORS configuration: what a stage serves until it is deployed again. */
  deploy(api: HttpApiData, autoDeployed: boolean, description?: string): DeploymentData {
    let id = newId(6)
    while (api.deployments[id] !== undefined) id = newId(6)
    const deployment: DeploymentData = {
      id, createdDate: this.clock.now(), description, autoDeployed,
      routes: structuredClone(api.routes), integrations: structuredClone(api.integrations),
      ...(api.cors !== undefined && { cors: structuredClone(api.cors) }),
    }
    api.deployments[id] = deployment
    return deployment
  }

  /** After a route or integration changes: every AutoDeploy stage gets a fresh deployment, as AWS does. */
  changed(api: HttpApiData): void {
    for (const stage of Object.values(api.stages)) {
      if (!stage.autoDeploy) continue
      stage.deploymentId = this.deploy(api, true).id
      stage.lastUpdatedDate = this.clock.now()
      stage.lastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${stage.deploymentId}'`
    }
    this.save(api)
  }

  save(api: HttpApiData): void {
    this.rows?.put(api.id, api)
  }

  remove(api: HttpApiData): void {
    this.apis.delete(api.id)
    this.rows?.delete(api.id)
  }

  reset(): void {
    this.throttle.clear()
    this.apis.clear()
    this.rows?.clear()
  }
}
