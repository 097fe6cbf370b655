// API Gateway's durable state as rows (docs/persistence.md): one row per REST API in
// `apigateway_apis`, holding its resources, methods, integrations, deployments' snapshots and stages.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { ApiData } from './api-data.ts'

export class ApiGatewayRows {
  private readonly apis: Table<ApiData>

  constructor(persistence: Persistence) {
    this.apis = persistence.table<ApiData>('apigateway_apis')
  }

  load(): ApiData[] {
    return this.apis.load().map(([, api]) => api)
  }

  /** Key: the API id (unique across accounts and regions). */
  put(api: ApiData): void {
    this.apis.put(api.id, api)
  }

  delete(id: string): void {
    this.apis.delete(id)
  }

  clear(): void {
    this.apis.clear()
  }
}
