// API keys and usage plans (account- and region-wide, not per API), durable with a data dir
// (`apigateway_api_keys`, `apigateway_usage_plans`), and what metering counts at request time:
// each plan key's requests per UTC day (quotas and GetUsage; durable too, usage-counts.ts) and its
// throttle buckets (in memory: a restart starts them full).
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type * as T from './generated/types.ts'
import { TokenBuckets } from '../../core/token-buckets.ts'
import { UsageCounts } from './usage-counts.ts'

export interface ApiKeyData {
  account: string
  region: string
  id: string
  value: string
  name?: string
  description?: string
  customerId?: string
  enabled: boolean
  /** `restApiId/stageName`, as AWS lists them. */
  stageKeys: string[]
  tags: Record<string, string>
  createdDate: number
  lastUpdatedDate: number
}

export interface UsagePlanData {
  account: string
  region: string
  id: string
  name: string
  description?: string
  apiStages: T.ApiStage[]
  throttle?: T.ThrottleSettings
  quota?: T.QuotaSettings
  tags: Record<string, string>
  /** The API keys of the plan (usage plan keys), by key id. */
  keyIds: string[]
}

export class UsageState {
  readonly keys = new Map<string, ApiKeyData>()
  readonly plans = new Map<string, UsagePlanData>()
  /** Requests and UpdateUsage's grants per plan key per UTC day: the quota window sums them; GetUsage lists them. */
  private readonly counts: UsageCounts
  /** Usage plans' throttles (per plan key, or per plan key and method). */
  readonly buckets = new TokenBuckets()
  private readonly keyRows: Table<ApiKeyData> | undefined
  private readonly planRows: Table<UsagePlanData> | undefined

  constructor(persistence: Persistence | undefined) {
    this.keyRows = persistence?.table<ApiKeyData>('apigateway_api_keys')
    this.planRows = persistence?.table<UsagePlanData>('apigateway_usage_plans')
    this.counts = new UsageCounts(persistence)
    for (const [, key] of this.keyRows?.load() ?? []) this.keys.set(key.id, key)
    for (const [, plan] of this.planRows?.load() ?? []) this.plans.set(plan.id, plan)
  }

  keysOf(account: string, region: string): ApiKeyData[] {
    return [...this.keys.values()].filter((k) => k.account === account && k.region === region)
  }

  plansOf(account: string, region: string): UsagePlanData[] {
    return [...this.plans.values()].filter((p) => p.account === account && p.region === region)
  }

  saveKey(key: ApiKeyData): void {
    this.keyRows?.put(key.id, key)
  }

  deleteKey(id: string): void {
    this.keys.delete(id)
    this.counts.drop((_plan, key) => key === id)
    this.keyRows?.delete(id)
  }

  savePlan(plan: UsagePlanData): void {
    this.planRows?.put(plan.id, plan)
  }

  deletePlan(id: string): void {
    this.plans.delete(id)
    this.counts.drop((plan) => plan === id)
    this.planRows?.delete(id)
  }

  /** Counts one request of a plan key on the day of `now`. */
  count(planId: string, keyId: string, now: number): void {
    this.counts.count(planId, keyId, new Date(now).toISOString().slice(0, 10))
  }

  /** Requests of a plan key on the days from `fromDay` (inclusive, `YYYY-MM-DD`) to `toDay` (inclusive), less UpdateUsage's grants. */
  used(planId: string, keyId: string, fromDay: string, toDay: string): number {
    return this.counts.used(planId, keyId, fromDay, toDay)
  }

  /** UpdateUsage's extension of a plan key's quota: `extra` more requests in the period holding `day` (negative: fewer). */
  grant(planId: string, keyId: string, day: string, extra: number): void {
    this.counts.grant(planId, keyId, day, extra)
  }

  /** Requests of a plan key on one day. */
  usedOn(planId: string, keyId: string, day: string): number {
    return this.counts.usedOn(planId, keyId, day)
  }

  /** A stop: throttle buckets start full; without a data dir the counts are forgotten too (the rows stay). */
  stop(): void {
    this.buckets.clear()
    this.counts.forget()
  }

  reset(): void {
    this.keys.clear()
    this.plans.clear()
    this.buckets.clear()
    this.counts.reset()
    this.keyRows?.clear()
    this.planRows?.clear()
  }
}
