// A Spot pool (an instance type in a zone) as launches see it: its price now, whether a maximum
// price covers it (SpotMaxPriceTooLow), whether it has room (InsufficientInstanceCapacity),
// and pins set through the hook.
import { AwsError } from '../../../protocol/errors.ts'
import type { SpotPoolRecord } from '../resources.ts'
import type { Ec2State } from '../store.ts'
import { formatPrice, onDemandPrice } from './market.ts'

const e = (code: string, message: string) => new AwsError(code, message, { status: 400 })

export const spotErrors = {
  priceTooLow: (max: string, price: number) => e('SpotMaxPriceTooLow',
    `Your Spot request price of ${max} is lower than the minimum required Spot request fulfillment price of ${formatPrice(price)}.`),
  noCapacity: () => e('InsufficientInstanceCapacity', 'There is no Spot capacity available that matches your request.'),
}

/** The maximum price an instance pays: the one given, else the type's On-Demand price. */
export const maxPriceOf = (maxPrice: string | undefined, type: string): number =>
  maxPrice === undefined || maxPrice === '' ? onDemandPrice(type) : Number(maxPrice)

/** Live (pending or running) Spot instances of a pool, every account. */
export function liveSpot(state: Ec2State, region: string, zone: string, type: string): number {
  let n = 0
  for (const r of state.allRegions()) {
    if (r.region !== region) continue
    for (const i of r.instances.values()) {
      if (i.spot !== undefined && i.zone === zone && i.type === type && (i.state === 'pending' || i.state === 'running')) n++
    }
  }
  return n
}

/** Throws AWS's error when `count` Spot instances at `maxPrice` can't launch in the pool now. */
export function checkSpotLaunch(state: Ec2State, region: string, zone: string, type: string, maxPrice: string | undefined, count: number): void {
  const market = state.market(region)
  const now = state.clock.now()
  const price = market.price(zone, type, now)
  const max = maxPriceOf(maxPrice, type)
  if (max < price) throw spotErrors.priceTooLow(maxPrice ?? formatPrice(max), price)
  const limit = market.capacityLimit(zone, type, now)
  if (limit !== undefined && liveSpot(state, region, zone, type) + count > limit) throw spotErrors.noCapacity()
}

/** Pins a pool's price and/or capacity from now on (the hook). */
export function pinPool(state: Ec2State, region: string, zone: string, type: string, pin: { price?: number; capacity?: number }): void {
  const market = state.marketRegion(region)
  const id = `${zone}/${type}`
  const record: SpotPoolRecord = market.spotPools.get(id) ?? { kind: 'spotpool', id, zone, instanceType: type, pins: [], tags: [] }
  record.pins.push({ from: state.clock.now(), ...pin })
  market.save(record)
}
