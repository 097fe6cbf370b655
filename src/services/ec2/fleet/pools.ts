// A fleet's pools: each launch template config (or Spot Fleet launch specification) with each of
// its overrides, in each subnet or zone it names — or, naming none, in each default subnet (one
// Spot pool per zone) — and what one pool costs and holds now.
import { ec2Errors } from '../errors.ts'
import type { RunInstancesRequest } from '../generated/types.ts'
import { mergeTemplate } from '../launch-templates.ts'
import type { FleetPool } from '../resources.ts'
import { onDemandPrice } from '../spot/market.ts'
import { liveSpot, maxPriceOf } from '../spot/pools.ts'
import type { Ec2State, RegionState } from '../store.ts'
import type { PoolOption } from './allocation.ts'

export interface PoolOverride {
  InstanceType?: string
  SubnetId?: string
  AvailabilityZone?: string
  WeightedCapacity?: number
  Priority?: number
  MaxPrice?: string
}

export interface PoolSource {
  /** RunInstances-like parameters: a template version's data or a launch specification. */
  data: Record<string, unknown>
  launchTemplate?: { id: string; version: number }
  overrides: PoolOverride[]
}

const split = (v: string | undefined) => (v === undefined || v === '' ? [] : v.split(',').map((x) => x.trim()).filter((x) => x !== ''))

function defaultSubnets(region: RegionState) {
  return [...region.subnets.values()].filter((s) => s.defaultForAz && region.vpcs.get(s.vpcId)?.isDefault === true)
}

/** Every pool of the sources, in order. */
export function buildPools(region: RegionState, sources: readonly PoolSource[]): FleetPool[] {
  const pools: FleetPool[] = []
  for (const source of sources) {
    const data = source.data as { InstanceType?: string; SubnetId?: string; Placement?: { AvailabilityZone?: string }; NetworkInterfaces?: { SubnetId?: string }[] }
    for (const o of source.overrides.length > 0 ? source.overrides : [{}]) {
      const type = o.InstanceType ?? data.InstanceType
      if (type === undefined) throw ec2Errors.invalidParameterValue('The instance type must be specified in the launch template or in an override.')
      let subnets: { id: string; zone: string }[]
      const subnetIds = split(o.SubnetId ?? data.SubnetId ?? data.NetworkInterfaces?.[0]?.SubnetId)
      const zones = split(o.AvailabilityZone ?? data.Placement?.AvailabilityZone)
      if (subnetIds.length > 0) {
        subnets = subnetIds.map((id) => {
          const subnet = region.subnets.get(id)
          if (subnet === undefined) throw ec2Errors.subnetNotFound([id])
          return { id, zone: subnet.zone }
        })
      } else {
        const defaults = defaultSubnets(region)
        subnets = (zones.length > 0 ? defaults.filter((s) => zones.includes(s.zone)) : defaults).map((s) => ({ id: s.id, zone: s.zone }))
        if (subnets.length === 0) throw ec2Errors.invalidParameterValue(`Invalid availability zone: [${zones.join(', ')}]`)
      }
      for (const subnet of subnets) {
        pools.push({ instanceType: type, zone: subnet.zone, subnetId: subnet.id, weight: o.WeightedCapacity ?? 1, priority: o.Priority,
          maxPrice: o.MaxPrice, launch: source.data, launchTemplate: source.launchTemplate })
      }
    }
  }
  return pools
}

/** The RunInstances request one pool launches `count` instances with. */
export function poolRequest(pool: FleetPool, count: number): RunInstancesRequest {
  return mergeTemplate({ MinCount: count, MaxCount: count, InstanceType: pool.instanceType as RunInstancesRequest['InstanceType'], SubnetId: pool.subnetId,
    Placement: { AvailabilityZone: pool.zone } }, pool.launch)
}

/** A pool's price, room and weight now, for the allocation (Spot pools above the maximum price have no room). */
export function poolOption(state: Ec2State, region: string, pool: { zone: string; instanceType: string; weight: number; priority?: number },
  maxPrice: string | undefined, lifecycle: 'spot' | 'on-demand'): PoolOption {
  if (lifecycle === 'on-demand') return { price: onDemandPrice(pool.instanceType), room: 1e9, weight: pool.weight, priority: pool.priority }
  const market = state.market(region)
  const now = state.clock.now()
  const price = market.price(pool.zone, pool.instanceType, now)
  const max = maxPriceOf(maxPrice, pool.instanceType)
  const limit = market.capacityLimit(pool.zone, pool.instanceType, now)
  // Without a pinned limit a pool's depth only ranks it: scaled up so that it never stops a launch.
  const room = price > max ? 0 : limit !== undefined ? Math.max(0, limit - liveSpot(state, region, pool.zone, pool.instanceType))
    : market.capacity(pool.zone, pool.instanceType, now) * 1000
  return { price, room, weight: pool.weight, priority: pool.priority }
}
