// How a fleet spreads capacity over its pools (instance type × zone), per allocation strategy —
// pure, so EC2 Fleet, Spot Fleet and Auto Scaling's mixed instances policies allocate alike:
//   lowest-price            the cheapest pools per unit (InstancePoolsToUseCount of them, evenly)
//   diversified             every pool, evenly
//   capacity-optimized      each instance to the pool with the most room left (ties: cheaper)
//   capacity-optimized-prioritized   the same, priorities breaking ties first
//   price-capacity-optimized the cheapest of the pools with room for the whole launch (else the deeper half)
//   prioritized (On-Demand) the pools in priority order (lowest number first)

export type AllocationStrategy = 'lowest-price' | 'diversified' | 'capacity-optimized' | 'capacity-optimized-prioritized'
  | 'price-capacity-optimized' | 'prioritized'

export interface PoolOption {
  /** Price per hour of one instance. */
  price: number
  /** How many instances the pool has room for (its depth; capacity-optimized prefers the deepest). */
  room: number
  /** Units one instance counts for (WeightedCapacity, default 1). */
  weight: number
  /** Lower is preferred (prioritized strategies). */
  priority?: number
}

/** The Spot Fleet names of the strategies (lowestPrice, capacityOptimized…) as EC2 Fleet's. */
export function strategyOf(name: string | undefined, fallback: AllocationStrategy): AllocationStrategy {
  if (name === undefined || name === '') return fallback
  const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) as AllocationStrategy
  return ['lowest-price', 'diversified', 'capacity-optimized', 'capacity-optimized-prioritized', 'price-capacity-optimized', 'prioritized']
    .includes(kebab) ? kebab : fallback
}

/** Instances per pool (same order as `pools`) so that their weights reach `units`, as far as the pools' room allows. */
export function allocate(pools: readonly PoolOption[], units: number, strategy: AllocationStrategy, poolsToUse = 1): number[] {
  const counts = pools.map(() => 0)
  if (units <= 0 || pools.length === 0) return counts
  const unitPrice = (i: number) => pools[i]!.price / pools[i]!.weight
  const left = (i: number) => pools[i]!.room - counts[i]!
  const prio = (i: number) => pools[i]!.priority ?? Number.MAX_SAFE_INTEGER
  const all = pools.map((_, i) => i)
  let candidates: number[]
  if (strategy === 'lowest-price') candidates = [...all].sort((a, b) => unitPrice(a) - unitPrice(b) || a - b).slice(0, Math.max(1, poolsToUse))
  else if (strategy === 'price-capacity-optimized') {
    // The pools with room for the whole launch (else the deeper half), then the cheapest of them.
    const roomy = all.filter((i) => pools[i]!.room * pools[i]!.weight >= units)
    const byRoom = [...all].sort((a, b) => pools[b]!.room - pools[a]!.room || a - b)
    const deep = new Set(roomy.length > 0 ? roomy : byRoom.slice(0, Math.max(1, Math.ceil(pools.length / 2))))
    candidates = [...all].sort((a, b) => Number(deep.has(b)) - Number(deep.has(a)) || unitPrice(a) - unitPrice(b) || a - b)
  } else if (strategy === 'prioritized') candidates = [...all].sort((a, b) => prio(a) - prio(b) || a - b)
  else candidates = all
  let filled = 0
  while (filled < units) {
    const open = candidates.filter((i) => left(i) > 0)
    if (open.length === 0) break
    let pick: number
    if (strategy === 'lowest-price' || strategy === 'diversified') {
      // Evenly: the chosen pool with the fewest units so far.
      pick = open.reduce((best, i) => (counts[i]! * pools[i]!.weight < counts[best]! * pools[best]!.weight ? i : best))
    } else if (strategy === 'capacity-optimized' || strategy === 'capacity-optimized-prioritized') {
      const key = (i: number) => [strategy === 'capacity-optimized-prioritized' ? -prio(i) : 0, left(i), -unitPrice(i)]
      pick = open.reduce((best, i) => {
        const [a, b] = [key(i), key(best)]
        return a[0]! > b[0]! || (a[0] === b[0] && (a[1]! > b[1]! || (a[1] === b[1] && a[2]! > b[2]!))) ? i : best
      })
    } else pick = open[0]!
    counts[pick]!++
    filled += pools[pick]!.weight
  }
  return counts
}
