// Scaling policies and scheduled actions per account and region, keyed by group then name, with
// their rows (tables autoscaling_policies and autoscaling_scheduled_actions), read back at creation.
import type { Persistence, Table } from '../../../storage/persistence/persistence.ts'
import type { ScheduledActionRecord } from '../scheduled/scheduled-action.ts'
import type { PolicyRecord } from './policy.ts'

const regionKey = (account: string, region: string) => `${account}/${region}`
const rowKey = (r: { account: string; region: string; group: string; name: string }) => `${r.account}:${r.region}:${r.group}:${r.name}`

type ByGroup<T> = Map<string, Map<string, T>>

export class PolicyState {
  private readonly policies = new Map<string, ByGroup<PolicyRecord>>()
  private readonly actions = new Map<string, ByGroup<ScheduledActionRecord>>()
  private readonly policyRows: Table<PolicyRecord> | undefined
  private readonly actionRows: Table<ScheduledActionRecord> | undefined

  constructor(persistence: Persistence | undefined) {
    this.policyRows = persistence?.table('autoscaling_policies')
    this.actionRows = persistence?.table('autoscaling_scheduled_actions')
    for (const [, p] of this.policyRows?.load() ?? []) this.groupMap(this.policies, p.account, p.region, p.group).set(p.name, p)
    for (const [, a] of this.actionRows?.load() ?? []) this.groupMap(this.actions, a.account, a.region, a.group).set(a.name, a)
  }

  private groupMap<T>(all: Map<string, ByGroup<T>>, account: string, region: string, group: string): Map<string, T> {
    const key = regionKey(account, region)
    let byGroup = all.get(key)
    if (byGroup === undefined) all.set(key, (byGroup = new Map()))
    let names = byGroup.get(group)
    if (names === undefined) byGroup.set(group, (names = new Map()))
    return names
  }

  policy(account: string, region: string, group: string, name: string): PolicyRecord | undefined {
    return this.policies.get(regionKey(account, region))?.get(group)?.get(name)
  }

  /** A region's policies (one group's when given), ordered by group then name. */
  listPolicies(account: string, region: string, group?: string): PolicyRecord[] {
    return list(this.policies.get(regionKey(account, region)), group)
  }

  putPolicy(p: PolicyRecord): void {
    this.groupMap(this.policies, p.account, p.region, p.group).set(p.name, p)
    this.policyRows?.put(rowKey(p), p)
  }

  deletePolicy(p: PolicyRecord): void {
    this.policies.get(regionKey(p.account, p.region))?.get(p.group)?.delete(p.name)
    this.policyRows?.delete(rowKey(p))
  }

  action(account: string, region: string, group: string, name: string): ScheduledActionRecord | undefined {
    return this.actions.get(regionKey(account, region))?.get(group)?.get(name)
  }

  listActions(account: string, region: string, group?: string): ScheduledActionRecord[] {
    return list(this.actions.get(regionKey(account, region)), group)
  }

  /** Every stored policy (predictive ones re-arm their timers at start). */
  allPolicies(): PolicyRecord[] {
    return [...this.policies.values()].flatMap((byGroup) => [...byGroup.values()].flatMap((names) => [...names.values()]))
  }

  /** Every stored scheduled action (their timers are re-armed at start). */
  allActions(): ScheduledActionRecord[] {
    return [...this.actions.values()].flatMap((byGroup) => [...byGroup.values()].flatMap((names) => [...names.values()]))
  }

  putAction(a: ScheduledActionRecord): void {
    this.groupMap(this.actions, a.account, a.region, a.group).set(a.name, a)
    this.actionRows?.put(rowKey(a), a)
  }

  deleteAction(a: ScheduledActionRecord): void {
    this.actions.get(regionKey(a.account, a.region))?.get(a.group)?.delete(a.name)
    this.actionRows?.delete(rowKey(a))
  }

  reset(): void {
    this.policies.clear()
    this.actions.clear()
    this.policyRows?.clear()
    this.actionRows?.clear()
  }
}

function list<T extends { group: string; name: string }>(byGroup: ByGroup<T> | undefined, group: string | undefined): T[] {
  if (byGroup === undefined) return []
  const groups = group === undefined ? [...byGroup.keys()].sort() : [group]
  return groups.flatMap((g) => [...(byGroup.get(g)?.values() ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
}
