// Nimbus's Spot endpoints, under /_nimbus/ec2/ (JSON):
//   POST instances/{id}/interrupt, POST spot/interrupt {"instanceId"}  → the interruption notice now (action 2 minutes later)
//   POST instances/{id}/rebalance                                      → a rebalance recommendation alone
//   POST spot/prices {"availabilityZone", "instanceType", "price"?, "capacity"?} → pins a pool from now on
import type { HttpResponse } from '../../../protocol/http.ts'
import type { Ec2State } from '../store.ts'
import { giveNotice, noticeMs, recommendRebalance, rewatchPool } from './interruptions.ts'
import { pinPool } from './pools.ts'
import { evaluateOpen } from './requests.ts'

const json = (status: number, body: unknown): HttpResponse =>
  ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** A notice or recommendation for an instance by id; 404 unknown, 400 not a live Spot instance. */
export function spotInstanceHook(state: Ec2State, instanceId: string, what: 'interrupt' | 'rebalance'): HttpResponse {
  const found = state.findInstance(instanceId)
  if (found === undefined) return json(404, { error: `no instance ${instanceId}` })
  const { region, instance } = found
  if (instance.spot === undefined) return json(400, { error: `${instanceId} is not a Spot instance` })
  if (what === 'rebalance') {
    if (!recommendRebalance(state, region, instance)) return json(400, { error: `${instanceId} is not pending or running` })
    return json(200, { instanceId, rebalanceAt: new Date(region.now).toISOString() })
  }
  if (!giveNotice(state, region, instance, 'capacity') && instance.spot.noticeAt === undefined) {
    return json(400, { error: `${instanceId} is not pending or running` })
  }
  const spot = instance.spot
  return json(200, {
    instanceId, action: spot.interruptionBehavior, noticeAt: new Date(spot.noticeAt!).toISOString(),
    interruptAt: new Date(spot.noticeAt! + (spot.interruptionBehavior === 'hibernate' ? 0 : noticeMs)).toISOString(),
  })
}

/** Pins a pool's price and/or capacity from now on; watches and open requests are planned again. */
export function pinHook(state: Ec2State, body: Record<string, unknown>): HttpResponse {
  const { availabilityZone: zone, instanceType: type, price, capacity } = body
  if (typeof zone !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(zone) || typeof type !== 'string' || type === '') {
    return json(400, { error: '"availabilityZone" (e.g. us-east-1a) and "instanceType" are required' })
  }
  const priceValue = typeof price === 'string' ? Number(price) : price
  if ((priceValue !== undefined && (typeof priceValue !== 'number' || !(priceValue > 0))) ||
    (capacity !== undefined && (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 0)) ||
    (priceValue === undefined && capacity === undefined)) {
    return json(400, { error: '"price" (a positive number) and/or "capacity" (a whole number ≥ 0) are required' })
  }
  const region = zone.slice(0, -1)
  pinPool(state, region, zone, type, { ...(priceValue === undefined ? {} : { price: priceValue as number }), ...(capacity === undefined ? {} : { capacity: capacity as number }) })
  rewatchPool(state, region, zone, type)
  for (const r of state.allRegions()) if (r.region === region && r.account !== '') evaluateOpen(state, r)
  const market = state.market(region)
  return json(200, { availabilityZone: zone, instanceType: type, price: market.price(zone, type, state.clock.now()),
    capacity: market.capacityLimit(zone, type, state.clock.now()) ?? null })
}
