// Fleets on the clock: an EC2 Fleet or Spot Fleet launches toward its On-Demand and Spot targets
// (in units: WeightedCapacity), allocating over its pools by its strategies; `instant` tries once,
// `request` until it has reached its target once, `maintain` keeps it there — an interrupted or
// terminated instance is replaced at once, and a shortfall is tried again at each market step.
import { randomUUID } from 'node:crypto'
import { isAwsError } from '../../../protocol/errors.ts'
import { terminateInstance } from '../instance-actions.ts'
import { templateTags } from '../launch-templates.ts'
import type { FleetRecord, InstanceRecord } from '../resources.ts'
import { runInstances } from '../run.ts'
import { launchSpot } from '../spot/requests.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { allocate, type AllocationStrategy } from './allocation.ts'
import { poolOption, poolRequest } from './pools.ts'

export const newFleetId = (flavour: 'ec2' | 'spot'): string => `${flavour === 'ec2' ? 'fleet' : 'sfr'}-${randomUUID()}`

const isLive = (i: InstanceRecord | undefined) => i !== undefined && (i.state === 'pending' || i.state === 'running')
const running = (f: FleetRecord) => f.state === 'submitted' || f.state === 'active' || f.state === 'modifying'

/** The fleet's live instances (the others are dropped from it) and the units they count for. */
export function fleetUnits(region: RegionState, fleet: FleetRecord): { spot: number; onDemand: number } {
  fleet.instances = fleet.instances.filter((m) => isLive(region.instance(m.id)))
  let spot = 0
  let onDemand = 0
  for (const m of fleet.instances) {
    if (m.rebalancing === true) continue
    const weight = fleet.pools[m.pool]?.weight ?? 1
    if (m.lifecycle === 'spot') spot += weight
    else onDemand += weight
  }
  return { spot, onDemand }
}

/** DescribeFleetInstances / DescribeSpotFleetInstances: the fleet's live instances (Nimbus reports them all healthy). */
export function activeInstances(region: RegionState, fleet: FleetRecord) {
  fleetUnits(region, fleet)
  return fleet.instances.map((m) => {
    const i = region.instance(m.id)!
    return { InstanceId: i.id, InstanceType: i.type, SpotInstanceRequestId: i.spot?.requestId, InstanceHealth: 'healthy' as const }
  })
}

/** The aws: tag AWS puts on a fleet's instances. */
const fleetTag = (fleet: FleetRecord) =>
  fleet.flavour === 'ec2' ? { Key: 'aws:ec2:fleet-id', Value: fleet.id } : { Key: 'aws:ec2spot:fleet-request-id', Value: fleet.id }

function launchInto(state: Ec2State, region: RegionState, fleet: FleetRecord, lifecycle: 'spot' | 'on-demand', units: number): void {
  if (units <= 0) return
  const options = fleet.pools.map((p) => poolOption(state, region.region, p, p.maxPrice ?? fleet.maxPrice, lifecycle))
  const strategy = (lifecycle === 'spot' ? fleet.spotStrategy : fleet.onDemandStrategy) as AllocationStrategy
  const counts = allocate(options, units, strategy, fleet.poolsToUse)
  counts.forEach((count, index) => {
    if (count === 0) return
    const pool = fleet.pools[index]!
    const request = poolRequest(pool, count)
    if (fleet.instanceTags.length > 0) {
      request.TagSpecifications = [...(request.TagSpecifications ?? []), { ResourceType: 'instance', Tags: fleet.instanceTags }]
    }
    const lt = pool.launchTemplate
    const extras = { launchTemplate: lt, fleetId: fleet.id, systemTags: [fleetTag(fleet), ...(lt === undefined ? [] : templateTags(lt.id, lt.version))] }
    try {
      const instances = lifecycle === 'on-demand' ? runInstances(region, request, region.account, extras).instances
        : launchSpot(state, region, request, region.account, extras,
          { maxPrice: pool.maxPrice ?? fleet.maxPrice, requestType: 'one-time', interruptionBehavior: fleet.interruptionBehavior }, 'fleet')
      for (const i of instances) fleet.instances.push({ id: i.id, pool: index, lifecycle })
    } catch (error) {
      if (!isAwsError(error)) throw error
      fleet.errors.push({ pool: index, lifecycle, code: error.code, message: error.message })
    }
  })
  // Pools that had no room at all are the fleet's errors too (AWS reports them per override).
  if (counts.every((c) => c === 0)) {
    fleet.errors.push({ pool: 0, lifecycle, code: 'InsufficientInstanceCapacity', message: 'There is no Spot capacity available that matches your request.' })
  }
}

/** Launches toward the targets now; plans another try at the next market step while short (not for instant fleets). */
export function fulfilFleet(state: Ec2State, region: RegionState, fleet: FleetRecord): void {
  if (!running(fleet) || (fleet.type === 'request' && fleet.fulfilledOnce === true)) return
  const before = fleetUnits(region, fleet)
  fleet.errors = []
  launchInto(state, region, fleet, 'on-demand', fleet.onDemandTarget - before.onDemand)
  launchInto(state, region, fleet, 'spot', fleet.targetCapacity - fleet.onDemandTarget - before.spot)
  const after = fleetUnits(region, fleet)
  const done = after.spot + after.onDemand >= fleet.targetCapacity
  fleet.state = 'active'
  fleet.activityStatus = done ? 'fulfilled' : fleet.errors.length > 0 && after.spot + after.onDemand === 0 ? 'error' : 'pending_fulfillment'
  if (done) fleet.fulfilledOnce = true
  region.save(fleet)
  if (!done && fleet.type !== 'instant') {
    const market = state.market(region.region)
    const id = fleet.id
    state.setTimer(`fleet:${id}`, market.stepStart(region.now) + market.options.stepMs, () => {
      const current = region.fleets.get(id)
      if (current !== undefined) fulfilFleet(state, region, current)
    })
  }
}

/** A maintained fleet replaces an instance that ended (interrupted, terminated, stopped) at once. */
export function fleetInstanceEnded(state: Ec2State, region: RegionState, instance: InstanceRecord): void {
  const fleet = instance.fleetId === undefined ? undefined : region.fleets.get(instance.fleetId)
  if (fleet === undefined || fleet.type !== 'maintain' || !running(fleet)) return
  const id = fleet.id
  state.setTimer(`fleet:${id}`, region.now, () => {
    const current = region.fleets.get(id)
    if (current !== undefined) fulfilFleet(state, region, current)
  })
}

/**
 * Capacity rebalancing: a maintained fleet's Spot instance at elevated risk is replaced now (no longer
 * counted); with launch-before-terminate, the fleet terminates it once TerminationDelay has passed.
 */
export function fleetInstanceRebalanced(state: Ec2State, region: RegionState, instance: InstanceRecord): void {
  const fleet = instance.fleetId === undefined ? undefined : region.fleets.get(instance.fleetId)
  const member = fleet?.instances.find((m) => m.id === instance.id)
  if (fleet === undefined || member === undefined || fleet.rebalance === undefined || fleet.type !== 'maintain' || !running(fleet) || member.rebalancing === true) return
  member.rebalancing = true
  region.save(fleet)
  fulfilFleet(state, region, fleet)
  if (fleet.rebalance.strategy === 'launch-before-terminate') {
    const id = instance.id
    state.setTimer(`rebalance:${id}`, region.now + fleet.rebalance.terminationDelayMs, () => {
      const found = state.findInstance(id)
      if (found !== undefined && isLive(found.instance)) {
        terminateInstance(found.region, found.instance)
        found.region.save(found.instance)
      }
    })
  }
}

/** Ends a fleet (DeleteFleets, CancelSpotFleetRequests): its instances terminated or left running. */
export function endFleet(state: Ec2State, region: RegionState, fleet: FleetRecord, terminate: boolean): { previous: string; current: string } {
  const previous = fleet.state
  const word = fleet.flavour === 'ec2' ? 'deleted' : 'cancelled'
  const current = `${word}_${terminate ? 'terminating' : 'running'}` as FleetRecord['state']
  fleet.state = current
  state.timers.get(`fleet:${fleet.id}`)?.cancel()
  if (terminate) {
    for (const m of fleet.instances) {
      const instance = region.instance(m.id)
      if (instance !== undefined) {
        terminateInstance(region, instance)
        region.save(instance)
      }
    }
    // Nothing is left running: AWS shows the final state once its instances are gone.
    fleet.state = word
  }
  region.save(fleet)
  return { previous, current }
}

/** After a start from the store: fleets short of their targets try again. */
export function resumeFleets(state: Ec2State): void {
  for (const region of state.allRegions()) {
    for (const fleet of region.fleets.values()) if (running(fleet) && fleet.type !== 'instant') fulfilFleet(state, region, fleet)
  }
}
