// Nimbus's On-Demand limit endpoints, under /_nimbus/ec2/ (JSON; capacity.ts applies them):
//   POST capacity {"availabilityZone", "instanceType", "capacity": n|null} → at most n live On-Demand
//        instances of the type in the zone (every account) from now on; null removes the pin
//   POST quotas {"vcpus": n|null, "region"?, "account"?} → the running On-Demand Standard vCPU quota:
//        of one account in a region, of every account in a region (no account), or everywhere (neither)
import type { HttpResponse } from '../../protocol/http.ts'
import { capacityId, capacityRoom, standardVcpusInUse, vcpuQuotaId } from './capacity.ts'
import { listRegions, zonesOf } from './regions.ts'
import type { Ec2State, RegionState } from './store.ts'

const json = (status: number, body: unknown): HttpResponse =>
  ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** Sets (or, with null, removes) a limit row. */
function setLimit(region: RegionState, id: string, value: number | null): void {
  const existing = region.limits.get(id)
  if (value === null) {
    if (existing !== undefined) region.remove(existing)
    return
  }
  region.save({ kind: 'limit', id, value, tags: [] })
}

const knownRegion = (name: string) => listRegions(true).some((r) => r.name === name)

const wholeOrNull = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0)

export function capacityHook(state: Ec2State, body: Record<string, unknown>): HttpResponse {
  const { availabilityZone: zone, instanceType: type, capacity } = body
  const regionName = typeof zone === 'string' ? zone.slice(0, -1) : ''
  if (typeof zone !== 'string' || !knownRegion(regionName) || !zonesOf(regionName).some((z) => z.name === zone) || typeof type !== 'string' || !/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(type)) {
    return json(400, { error: '"availabilityZone" (a zone such as us-east-1a) and "instanceType" (such as c5.large) are required' })
  }
  if (!wholeOrNull(capacity)) return json(400, { error: '"capacity" must be a whole number ≥ 0, or null to remove the pin' })
  setLimit(state.marketRegion(regionName), capacityId(zone, type), capacity)
  return json(200, { availabilityZone: zone, instanceType: type, capacity, available: capacityRoom(state, regionName, zone, type) ?? null })
}

export function quotaHook(state: Ec2State, body: Record<string, unknown>): HttpResponse {
  const { vcpus, region, account } = body
  if (!wholeOrNull(vcpus)) return json(400, { error: '"vcpus" must be a whole number ≥ 0, or null to remove the quota' })
  if (region !== undefined && (typeof region !== 'string' || !knownRegion(region))) return json(400, { error: '"region" must be a region name' })
  if (account !== undefined && (typeof account !== 'string' || !/^\d{12}$/.test(account))) return json(400, { error: '"account" must be a 12-digit account id' })
  if (account !== undefined && region === undefined) return json(400, { error: 'an "account" quota needs its "region"' })
  const target = account !== undefined ? state.region(account as string, region as string) : state.marketRegion((region as string | undefined) ?? '*')
  setLimit(target, vcpuQuotaId, vcpus)
  return json(200, { account: account ?? null, region: region ?? null, vcpus,
    inUse: account === undefined ? null : standardVcpusInUse(target) })
}
