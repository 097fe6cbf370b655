// The simulated Spot market: a price and a capacity per instance type and zone, moving on the clock
// in steps, computed from a seed (the same seed gives the same prices at every run) — nothing is
// stored per step, so any range of history costs only its steps. A pool's price or capacity can
// be pinned from an instant on (the /_nimbus/ec2/spot/prices hook), which is what tests use.
import { instanceTypeSpec } from '../catalog.ts'

/**
 * On-Demand Linux prices per hour in us-east-1 (AWS's EC2 On-Demand pricing page [R]): burstable
 * families by size, the others per vCPU of the family (m5.large $0.096 = 2 × $0.048).
 */
const burstable: Record<string, Record<string, number>> = {
  t2: { nano: 0.0058, micro: 0.0116, small: 0.023, medium: 0.0464, large: 0.0928, xlarge: 0.1856, '2xlarge': 0.3712 },
  t3: { nano: 0.0052, micro: 0.0104, small: 0.0208, medium: 0.0416, large: 0.0832, xlarge: 0.1664, '2xlarge': 0.3328 },
  t3a: { nano: 0.0047, micro: 0.0094, small: 0.0188, medium: 0.0376, large: 0.0752, xlarge: 0.1504, '2xlarge': 0.3008 },
  t4g: { nano: 0.0042, micro: 0.0084, small: 0.0168, medium: 0.0336, large: 0.0672, xlarge: 0.1344, '2xlarge': 0.2688 },
}
const perVcpu: Record<string, number> = {
  m5: 0.048, m6i: 0.048, c5: 0.0425, c6i: 0.0425, r5: 0.063, m6g: 0.0385, c6g: 0.034, r6g: 0.0504, m7g: 0.0408, c7g: 0.03625,
}

/** vCPUs of a type outside the catalog, from its size name (large = 2, xlarge = 4, 8xlarge = 32). */
function vcpusOf(type: string): number {
  const spec = instanceTypeSpec(type)
  if (spec !== undefined) return spec.vcpus
  const size = type.slice(type.indexOf('.') + 1)
  const n = /^(\d*)xlarge$/.exec(size)
  if (n !== null) return 4 * (n[1] === '' ? 1 : Number(n[1]))
  return size === 'metal' ? 96 : 2
}

const onDemand = new Map<string, number>()

/** The On-Demand hourly price of a type (Linux): the default maximum a Spot instance pays. */
export function onDemandPrice(type: string): number {
  let price = onDemand.get(type)
  if (price === undefined) {
    const [family = '', size = ''] = type.split('.')
    price = burstable[family]?.[size] ?? Math.round(vcpusOf(type) * (perVcpu[family] ?? 0.05) * 10_000) / 10_000
    onDemand.set(type, price)
  }
  return price
}

/** A pool's pinned price and/or capacity from `from` on (the latest pin at or before an instant wins). */
export interface PoolPin {
  from: number
  price?: number
  /** How many more Spot instances the pool can take (0: none — InsufficientInstanceCapacity). */
  capacity?: number
}

export interface MarketOptions {
  seed: string
  /** How often prices move (default 1 h). */
  stepMs: number
}

export const defaultMarket: MarketOptions = { seed: 'nimbus', stepMs: 3_600_000 }

/**
 * A number in [0, 1) from the seed and the parts: the market's only source of variation. A fast
 * 53-bit string hash (two 32-bit multiply-xorshift lanes), not a cryptographic one: a watch over
 * a week of hourly steps for a thousand instances must cost milliseconds.
 */
function unit(seed: string, ...parts: (string | number)[]): number {
  const text = `${seed}/${parts.join('/')}`
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return ((h2 >>> 0) * 2 ** 21 + (h1 >>> 11)) / 2 ** 53
}

export class SpotMarket {
  readonly options: MarketOptions
  /** Pins per `<zone>/<type>`, oldest first (from the store's spot-pool records). */
  private readonly pins: (zone: string, type: string) => readonly PoolPin[]
  /** Seeded prices already computed, by `<zone>/<type>/<step>` (a watch over a week reads 168 of them per pool). */
  private readonly seeded = new Map<string, number>()

  constructor(options: MarketOptions, pins: (zone: string, type: string) => readonly PoolPin[]) {
    this.options = options
    this.pins = pins
  }

  /** The step an instant falls in, and when it began. */
  stepStart(t: number): number {
    return Math.floor(t / this.options.stepMs) * this.options.stepMs
  }

  private pin(zone: string, type: string, t: number, field: 'price' | 'capacity'): number | undefined {
    let value: number | undefined
    for (const p of this.pins(zone, type)) if (p.from <= t && p[field] !== undefined) value = p[field]
    return value
  }

  /** The Spot price of a pool at `t`: 27–60 % of On-Demand per pool (from the seed), ±10 % each step. */
  price(zone: string, type: string, t: number): number {
    const pinned = this.pin(zone, type, t, 'price')
    if (pinned !== undefined) return pinned
    const step = this.stepStart(t)
    const key = `${zone}/${type}/${step}`
    let price = this.seeded.get(key)
    if (price === undefined) {
      const { seed } = this.options
      const discount = 0.3 + 0.25 * unit(seed, zone, type)
      const wobble = 1 + 0.2 * (unit(seed, zone, type, step) - 0.5)
      price = Math.round(onDemandPrice(type) * discount * wobble * 1_000_000) / 1_000_000
      // Bounded: a long history over every pool must not keep growing the cache.
      if (this.seeded.size >= 200_000) this.seeded.clear()
      this.seeded.set(key, price)
    }
    return price
  }

  /** A pool's depth for capacity-optimized strategies: its pinned capacity, else 20–100 instances from the seed. */
  capacity(zone: string, type: string, t: number): number {
    return this.pin(zone, type, t, 'capacity') ?? Math.floor(20 + 80 * unit(this.options.seed, 'capacity', zone, type))
  }

  /** How many live Spot instances the pool holds at most: only a pinned capacity limits launches. */
  capacityLimit(zone: string, type: string, t: number): number | undefined {
    return this.pin(zone, type, t, 'capacity')
  }

  /** The instants in [from, to] at which a pool's price changes (step starts and pins), oldest first; `from` itself first. */
  changes(zone: string, type: string, from: number, to: number): number[] {
    const out = new Set<number>([from])
    for (let t = this.stepStart(from) + this.options.stepMs; t <= to; t += this.options.stepMs) out.add(t)
    for (const p of this.pins(zone, type)) if (p.price !== undefined && p.from > from && p.from <= to) out.add(p.from)
    return [...out].sort((a, b) => a - b)
  }

  /** firstAbove's answers at one instant: instances launched together plan their watches together. */
  private above = { at: Number.NaN, answers: new Map<string, number | undefined>() }

  /** The first instant in [from, until] at which the price is above `max`, if any. */
  firstAbove(zone: string, type: string, max: number, from: number, until: number): number | undefined {
    if (this.above.at !== from) this.above = { at: from, answers: new Map() }
    const key = `${zone}/${type}/${max}/${until}`
    if (this.above.answers.has(key)) return this.above.answers.get(key)
    let found: number | undefined
    for (const t of this.changes(zone, type, from, until)) {
      if (this.price(zone, type, t) > max) {
        found = t
        break
      }
    }
    this.above.answers.set(key, found)
    return found
  }

  /** A pool was pinned: answers computed before it no longer hold. */
  forget(): void {
    this.above = { at: Number.NaN, answers: new Map() }
  }
}

/** Prices as AWS prints them ("0.031400"). */
export const formatPrice = (price: number): string => price.toFixed(6)
