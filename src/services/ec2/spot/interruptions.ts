// Spot interruptions: each live Spot instance is watched against its pool's price on the clock
// (a timer at the first step that rises above its maximum price); a notice — from the market or
// the hook — puts "EC2 Instance Rebalance Recommendation" and "EC2 Spot Instance Interruption Warning"
// on the default event bus and interrupts the instance 2 minutes later (hibernation at once).
import { randomUUID } from 'node:crypto'
import { noRetry } from '../../../fabric/policy.ts'
import { userInitiated } from '../instance-state.ts'
import { stopInstance, terminateInstance } from '../instance-actions.ts'
import type { Ec2SpotSignal } from '../port.ts'
import type { InstanceRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { maxPriceOf } from './pools.ts'

/** AWS's two-minute warning. */
export const noticeMs = 120_000
/** How far ahead a watch looks for a price above the maximum before it looks again. */
const horizonMs = 7 * 86_400_000

const live = (i: InstanceRecord) => i.spot !== undefined && (i.state === 'pending' || i.state === 'running')

/** Who hears Spot signals besides EventBridge (Auto Scaling's CapacityRebalance). */
export const spotListeners = new WeakMap<Ec2State, ((signal: Ec2SpotSignal) => void)[]>()

function signal(state: Ec2State, region: RegionState, instance: InstanceRecord, kind: Ec2SpotSignal['kind']): void {
  const at = region.now
  const detail = kind === 'rebalance' ? { 'instance-id': instance.id }
    : { 'instance-id': instance.id, 'instance-action': instance.spot!.interruptionBehavior }
  const detailType = kind === 'rebalance' ? 'EC2 Instance Rebalance Recommendation' : 'EC2 Spot Instance Interruption Warning'
  const arn = `arn:aws:ec2:${region.region}:${region.account}:instance/${instance.id}`
  try {
    state.fabric?.sendNow({
      owner: 'ec2', source: arn, target: `arn:aws:events:${region.region}:${region.account}:event-bus/default`, id: randomUUID(),
      payload: JSON.stringify(detail), policy: noRetry,
      options: { source: 'aws.ec2', detailType, resources: [arn], time: at, account: region.account, region: region.region },
    })
  } catch {
    // A bus that refuses the event changes nothing for the instance.
  }
  for (const listener of spotListeners.get(state) ?? []) {
    listener({ kind, account: region.account, region: region.region, instanceId: instance.id, at, action: instance.spot!.interruptionBehavior })
  }
}

/** (Re)plans the price watch of a live Spot instance that has no notice yet. */
export function watchSpot(state: Ec2State, region: RegionState, instance: InstanceRecord): void {
  const spot = instance.spot
  if (spot === undefined || !live(instance) || spot.noticeAt !== undefined) return
  const now = region.now
  const market = state.market(region.region)
  const at = market.firstAbove(instance.zone, instance.type, maxPriceOf(spot.maxPrice, instance.type), now, now + horizonMs)
  const id = instance.id
  state.setTimer(`watch:${id}`, at ?? now + horizonMs, () => {
    const found = state.findInstance(id)
    if (found === undefined) return
    if (at === undefined) watchSpot(state, found.region, found.instance)
    else giveNotice(state, found.region, found.instance, 'price')
  })
}

/** A rebalance recommendation alone (the hook): the instance is at elevated risk. */
export function recommendRebalance(state: Ec2State, region: RegionState, instance: InstanceRecord): boolean {
  if (!live(instance)) return false
  instance.spot!.rebalanceAt ??= region.now
  region.save(instance)
  signal(state, region, instance, 'rebalance')
  return true
}

/** The interruption notice: events now, the interruption 2 minutes later (hibernation at once). */
export function giveNotice(state: Ec2State, region: RegionState, instance: InstanceRecord, reason: 'price' | 'capacity'): boolean {
  const spot = instance.spot
  if (spot === undefined || !live(instance) || spot.noticeAt !== undefined) return false
  spot.noticeAt = region.now
  spot.noticeReason = reason
  const rebalanced = spot.rebalanceAt !== undefined
  spot.rebalanceAt ??= region.now
  region.save(instance)
  const request = region.spotRequests.get(spot.requestId)
  if (request !== undefined) {
    const action = spot.interruptionBehavior === 'terminate' ? 'termination' : spot.interruptionBehavior === 'stop' ? 'stop' : 'hibernation'
    request.statusCode = `marked-for-${action === 'termination' ? 'termination' : action}`
    request.statusMessage = `Spot Instance is marked for ${action}.`
    request.statusTime = region.now
    region.save(request)
  }
  // The recommendation can arrive with the notice (AWS's docs): it does, unless one came before.
  if (!rebalanced) signal(state, region, instance, 'rebalance')
  signal(state, region, instance, 'interruption')
  planInterruption(state, region, instance)
  return true
}

function planInterruption(state: Ec2State, region: RegionState, instance: InstanceRecord): void {
  const spot = instance.spot!
  const at = spot.noticeAt! + (spot.interruptionBehavior === 'hibernate' ? 0 : noticeMs)
  const id = instance.id
  state.setTimer(`notice:${id}`, at, () => {
    const found = state.findInstance(id)
    if (found !== undefined) interrupt(found.region, found.instance)
  })
}

/** Carries out the interruption: terminated, or stopped (stop and hibernate), with AWS's Server.* reason. */
function interrupt(region: RegionState, instance: InstanceRecord): void {
  if (!live(instance)) return
  const spot = instance.spot!
  const request = region.spotRequests.get(spot.requestId)
  const cause = spot.noticeReason === 'capacity' ? 'no-capacity' : 'by-price'
  if (request !== undefined) {
    // The request's outcome first: the instance's end then finds it settled (one-time closes; persistent reopens or waits stopped).
    const stopped = spot.interruptionBehavior !== 'terminate'
    request.statusCode = stopped ? `instance-stopped-${cause}` : `instance-terminated-${cause}`
    request.statusMessage = stopped ? 'Spot Instance stopped due to price or capacity.' : 'Spot Instance terminated due to price or capacity.'
    request.statusTime = region.now
    request.state = request.requestType === 'one-time' ? 'closed' : stopped ? 'disabled' : 'open'
    if (request.state === 'open') request.instanceId = undefined
    region.save(request)
  }
  if (spot.interruptionBehavior === 'terminate') {
    terminateInstance(region, instance)
    instance.stateReason = 'Server.SpotInstanceTermination'
  } else {
    if (instance.state === 'running') stopInstance(region, instance)
    instance.stateReason = 'Server.SpotInstanceShutdown'
  }
  instance.transitionReason = userInitiated(region.now, 'Server')
  region.save(instance)
}

/** After a start from the store: every live Spot instance watched again, pending interruptions re-planned. */
export function resumeSpot(state: Ec2State): void {
  for (const region of state.allRegions()) {
    for (const instance of region.allInstances()) {
      if (!live(instance)) continue
      if (instance.spot!.noticeAt !== undefined) planInterruption(state, region, instance)
      else watchSpot(state, region, instance)
    }
  }
}

/** A pool's price changed (a pin): its instances' watches are planned again. */
export function rewatchPool(state: Ec2State, regionName: string, zone: string, type: string): void {
  for (const region of state.allRegions()) {
    if (region.region !== regionName) continue
    for (const instance of region.allInstances()) if (instance.zone === zone && instance.type === type) watchSpot(state, region, instance)
  }
}
