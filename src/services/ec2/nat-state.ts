// NAT gateways' states on the clock, computed lazily from when each began (no timers): pending →
// available, deleting → deleted (its interface and Elastic IP released then); deleted and failed
// gateways stay visible for an hour, as AWS keeps them listed, then are gone.
import type { NatGatewayRecord } from './network-resources.ts'
import type { RegionState } from './store.ts'

export interface NatTimings {
  /** pending → available */
  createMs: number
  /** deleting → deleted */
  deleteMs: number
  /** How long a deleted or failed gateway stays visible. */
  visibleMs: number
}

export const natTimings: NatTimings = { createMs: 60_000, deleteMs: 60_000, visibleMs: 3_600_000 }

/** Frees what a deleted (or failed) gateway held: its interface and its Elastic IP's association. */
function release(region: RegionState, nat: NatGatewayRecord): void {
  const eni = region.networkInterfaces.get(nat.eniId)
  if (eni !== undefined) region.remove(eni)
  if (nat.allocationId !== undefined) {
    const address = region.addresses.get(nat.allocationId)
    if (address !== undefined && address.associationId === nat.associationId) {
      address.associationId = undefined
      address.networkInterfaceId = undefined
      address.privateIp = undefined
      region.save(address)
    }
  }
}

/** Moves the gateway on to the state the clock says; undefined once a deleted/failed one has expired (and drops it). */
export function settleNat(region: RegionState, nat: NatGatewayRecord): NatGatewayRecord | undefined {
  const now = region.now
  if (nat.state === 'pending' && now >= nat.since + natTimings.createMs) {
    nat.state = 'available'
    nat.since += natTimings.createMs
    region.save(nat)
  }
  if (nat.state === 'deleting' && now >= nat.since + natTimings.deleteMs) {
    nat.state = 'deleted'
    nat.since += natTimings.deleteMs
    nat.deleteTime = nat.since
    release(region, nat)
    region.save(nat)
  }
  if ((nat.state === 'deleted' || nat.state === 'failed') && now >= nat.since + natTimings.visibleMs) {
    region.remove(nat)
    return undefined
  }
  return nat
}

/** Every visible NAT gateway, settled. */
export function allNatGateways(region: RegionState): NatGatewayRecord[] {
  const out: NatGatewayRecord[] = []
  for (const nat of [...region.natGateways.values()]) {
    const settled = settleNat(region, nat)
    if (settled !== undefined) out.push(settled)
  }
  return out
}

/** A gateway that still holds its subnet and VPC (pending, available or deleting). */
export const isLiveNat = (nat: NatGatewayRecord): boolean => nat.state === 'pending' || nat.state === 'available' || nat.state === 'deleting'
