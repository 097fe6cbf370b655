// API keys and usage plans (account- and region-wide, not per API), durable with a data dir
// (`apigateway_api_keys`, `apigateway_usage_plans`), and what metering counts at request time:
// each plan key's requests per UTC day (quotas and GetUsage) and its throttle buckets (in memory).
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type * as T from './generated/types.ts'
import { TokenBuckets } from '../../core/token-buckets.ts'

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
  /** Requests per `{planId}/{keyId}` per UTC day (`YYYY-MM-DD`): the quota window sums them; GetUsage lists them. */
  readonly daily = new Map<string, Map<string, number>>()
  /** UpdateUsage's grants per `{planId}/{keyId}` per day (in memory, like the counts). */
  readonly grants = new Map<string, Map<string, number>>()
  /** Usage plans' throttles (per plan key, or per plan key and method). */
  readonly buckets = new TokenBuckets()
  private readonly keyRows: Table<ApiKeyData> | undefined
  private readonly planRows: Table<UsagePlanData> | undefined

  constructor(persistence: Persistence | undefined) {
    this.keyRows = persistence?.table<ApiKeyData>('apigateway_api_keys')
    this.planRows = persistence?.table<UsagePlanData>('apigateway_usage_plans')
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
    this.keyRows?.delete(id)
  }

  savePlan(plan: UsagePlanData): void {
    this.planRows?.put(plan.id, plan)
  }

  deletePlan(id: string): void {
    this.plans.delete(id)
    this.planRows?.delete(id)
  }

  /** Counts one request of a plan key on the day of `now`. */
  count(planId: string, keyId: string, now: number): void {
    const days = this.daily.get(`${planId}/${keyId}`) ?? new Map<string, number>()
    this.daily.set(`${planId}/${keyId}`, days)
    const day = new Date(now).toISOString().slice(0, 10)
    days.set(day, (days.get(day) ?? 0) + 1)
  }

  /** Requests of a plan key on the days from `fromDay` (inclusive, `YYYY-MM-DD`) to `toDay` (inclusive), less UpdateUsage's grants. */
  used(planId: string, keyId: string, fromDay: string, toDay: string): number {
    let total = 0
    for (const [day, n] of this.daily.get(`${planId}/${keyId}`) ?? []) if (day >= fromDay && day <= toDay) total += n
    for (const [day, n] of this.grants.get(`${planId}/${keyId}`) ?? []) if (day >= fromDay && day <= toDay) total -= n
    return total
  }

  /** UpdateUsage's extension of a plan key's quota: `extra` more requests in the period holding `day` (negative: fewer). */
  grant(planId: string, keyId: string, day: string, extra: number): void {
    const days = this.grants.get(`${planId}/${keyId}`) ?? new Map<string, number>()
    this.grants.set(`${planId}/${keyId}`, days)
    days.set(day, (days.get(day) ?? 0) + extra)
  }

  /** Requests of a plan key on one day. */
  usedOn(planId: string, keyId: string, day: string): number {
    return this.daily.get(`${planId}/${keyId}`)?.get(day) ?? 0
  }

  /** Metering starts over (counters are not durable). */
  clearCounters(): void {
    this.daily.clear()
    this.grants.clear()
    this.buckets.clear()
  }

  reset(): void {
    this.keys.clear()
    this.plans.clear()
    this.clearCounters()
    this.keyRows?.clear()
    this.planRows?.clear()
  }
}
