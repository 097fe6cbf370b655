// Usage plans' metering counts, durable with a data dir (table `apigateway_usage_counts`): one row per
// plan key per UTC day holding the requests counted and UpdateUsage's grant. A request's count is a
// buffered write the storage layer coalesces per event-loop turn (the last write of a row wins) and
// commits with its group commit, never awaited by the data plane; UpdateUsage's grant is committed
// before its answer, as every control-plane change is.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'

/** One plan key's usage on one day. Written as it is at commit time (the layer serialises then). */
export interface DayUsage {
  planId: string
  keyId: string
  /** `YYYY-MM-DD`, UTC. */
  day: string
  /** Requests counted against the quota. */
  requests: number
  /** UpdateUsage's extension of the quota on that day (negative: a reduction). */
  granted: number
}

export class UsageCounts {
  /** By `{planId}/{keyId}`, then by day. */
  private readonly byKey = new Map<string, Map<string, DayUsage>>()
  private readonly rows: Table<DayUsage> | undefined

  constructor(persistence: Persistence | undefined) {
    this.rows = persistence?.table<DayUsage>('apigateway_usage_counts')
    for (const [, row] of this.rows?.load() ?? []) this.days(row.planId, row.keyId).set(row.day, row)
  }

  private days(planId: string, keyId: string): Map<string, DayUsage> {
    const id = `${planId}/${keyId}`
    let days = this.byKey.get(id)
    if (days === undefined) this.byKey.set(id, (days = new Map()))
    return days
  }

  private day(planId: string, keyId: string, day: string): DayUsage {
    const days = this.days(planId, keyId)
    let usage = days.get(day)
    if (usage === undefined) days.set(day, (usage = { planId, keyId, day, requests: 0, granted: 0 }))
    return usage
  }

  /** One more request of a plan key on `day`. */
  count(planId: string, keyId: string, day: string): void {
    const usage = this.day(planId, keyId, day)
    usage.requests++
    this.rows?.put(`${planId}/${keyId}/${day}`, usage)
  }

  grant(planId: string, keyId: string, day: string, extra: number): void {
    const usage = this.day(planId, keyId, day)
    usage.granted += extra
    this.rows?.put(`${planId}/${keyId}/${day}`, usage)
  }

  /** Requests from `fromDay` to `toDay` (both inclusive) less the grants of those days. */
  used(planId: string, keyId: string, fromDay: string, toDay: string): number {
    let total = 0
    for (const [day, usage] of this.byKey.get(`${planId}/${keyId}`) ?? []) {
      if (day >= fromDay && day <= toDay) total += usage.requests - usage.granted
    }
    return total
  }

  usedOn(planId: string, keyId: string, day: string): number {
    return this.byKey.get(`${planId}/${keyId}`)?.get(day)?.requests ?? 0
  }

  /** A deleted plan's or key's counts go with it (ids are never reused). */
  drop(match: (planId: string, keyId: string) => boolean): void {
    for (const [id, days] of this.byKey) {
      const first = days.values().next().value
      if (first === undefined || !match(first.planId, first.keyId)) continue
      for (const day of days.keys()) this.rows?.delete(`${id}/${day}`)
      this.byKey.delete(id)
    }
  }

  /** In memory only (a stop without a data dir): the rows stay. */
  forget(): void {
    this.byKey.clear()
  }

  reset(): void {
    this.byKey.clear()
    this.rows?.clear()
  }
}
