// What stop, start and terminate do to an instance (the API's, alarms' EC2 actions' and Spot interruptions' alike).
import { userInitiated } from './instance-state.ts'
import { newPublicIp } from './launch.ts'
import { logRunEnd, logRunStart } from './metric-log.ts'
import type { InstanceRecord } from './resources.ts'
import { releaseVolumes } from './root-volumes.ts'
import type { RegionState } from './store.ts'

/** The instance's auto-assigned public IP goes with a stop (an Elastic IP stays) and a new one comes with a start. */
export function stopInstance(region: RegionState, i: InstanceRecord): void {
  if (i.state !== 'running') return
  i.state = 'stopping'
  i.since = region.now
  logRunEnd(i, region.now)
  i.transitionReason = userInitiated(region.now)
  i.publicIp = undefined
  region.ended(i)
}

export function startInstance(region: RegionState, i: InstanceRecord): void {
  if (i.state !== 'stopped') return
  i.state = 'pending'
  i.since = region.now
  logRunStart(i, region.now + region.bootMs)
  i.transitionReason = ''
  i.stateReason = undefined
  if (region.subnets.get(i.subnetId)?.mapPublicIp === true) i.publicIp = newPublicIp(3)
}

export function terminateInstance(region: RegionState, i: InstanceRecord): void {
  if (i.state === 'terminated' || i.state === 'shutting-down') return
  i.state = 'shutting-down'
  i.since = region.now
  logRunEnd(i, region.now)
  i.transitionReason = userInitiated(region.now)
  i.publicIp = undefined
  // Its root volume (DeleteOnTermination) goes with it; other volumes are detached.
  releaseVolumes(region, i.id)
  // Its Elastic IP is disassociated (the allocation stays the account's).
  for (const address of region.addresses.values()) {
    if (address.instanceId !== i.id) continue
    address.instanceId = undefined
    address.associationId = undefined
    region.save(address)
  }
  region.ended(i)
}
