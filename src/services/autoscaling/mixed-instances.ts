// A mixed instances policy's next launch: On-Demand up to OnDemandBaseCapacity plus
// OnDemandPercentageAboveBaseCapacity of the rest, Spot beyond, its instance type picked by the
// Spot allocation strategy over EC2's simulated market for the zone the instance goes to.
// Each instance counts one unit (WeightedCapacity: README, Gaps).
import type { Ec2Port } from '../ec2/port.ts'
import type { InstancesDistribution, MixedInstancesPolicy } from './generated/types.ts'
import type { Group, GroupInstance } from './group.ts'

export interface MarketChoice {
  instanceType?: string
  spot?: { maxPrice?: string }
}

/** How many of `total` instances AWS keeps On-Demand. */
export function onDemandTarget(d: InstancesDistribution | undefined, total: number): number {
  const base = d?.OnDemandBaseCapacity ?? 0
  const percent = d?.OnDemandPercentageAboveBaseCapacity ?? 100
  if (total <= base) return total
  return base + Math.ceil((total - base) * percent / 100)
}

const strategies: Record<string, 'lowest-price' | 'capacity-optimized' | 'capacity-optimized-prioritized' | 'price-capacity-optimized'> = {
  'lowest-price': 'lowest-price', 'capacity-optimized': 'capacity-optimized', 'capacity-optimized-prioritized': 'capacity-optimized-prioritized',
  'price-capacity-optimized': 'price-capacity-optimized',
}

/** The market and type of the next instance for a mixed group, given the instances it counts now. */
export function nextLaunch(ec2: Ec2Port, group: Group, counting: readonly GroupInstance[], zone: string): MarketChoice {
  const policy = group.mixedInstancesPolicy as MixedInstancesPolicy | undefined
  if (policy === undefined) return {}
  const d = policy.InstancesDistribution
  const types = (policy.LaunchTemplate?.Overrides ?? []).map((o) => o.InstanceType).filter((t): t is string => t !== undefined)
  const onDemand = counting.filter((i) => i.market !== 'spot').length
  // On-Demand while below its share of the capacity being reached; 'prioritized': the first override.
  if (onDemand < onDemandTarget(d, Math.max(group.desired, counting.length + 1))) return types.length > 0 ? { instanceType: types[0] } : {}
  const maxPrice = d?.SpotMaxPrice === undefined || d.SpotMaxPrice === '' ? undefined : d.SpotMaxPrice
  if (types.length === 0) return { spot: { ...(maxPrice !== undefined && { maxPrice }) } }
  const pools = types.map((instanceType, k) => ({ instanceType, availabilityZone: zone, priority: k, ...(maxPrice !== undefined && { maxPrice }) }))
  const strategy = strategies[d?.SpotAllocationStrategy ?? 'price-capacity-optimized'] ?? 'price-capacity-optimized'
  const counts = ec2.spotAllocation(group.region, pools, 1, strategy, d?.SpotInstancePools ?? 2)
  const pick = counts.findIndex((c) => c > 0)
  // No pool can take it (all above the maximum price or full): AWS tries the next pool; Nimbus the first.
  return { instanceType: types[pick >= 0 ? pick : 0], spot: { ...(maxPrice !== undefined && { maxPrice }) } }
}
