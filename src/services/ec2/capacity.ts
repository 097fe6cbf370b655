// On-Demand limits at launch: the account's running On-Demand Standard vCPU quota (VcpuLimitExceeded)
// and a capacity model per zone and instance type (InsufficientInstanceCapacity). Both are off until
// set — by createEc2({ vcpuLimit }) or the hooks POST /_nimbus/ec2/quotas and /_nimbus/ec2/capacity —
// and kept as rows (LimitRecord): vCPU quotas under the account (or '' for a region's every account,
// region '*' for every region), capacity pins under account '' of their region, like Spot pins.
import { AwsError } from '../../protocol/errors.ts'
import { instanceTypeSpec } from './catalog.ts'
import type { RunInstancesRequest } from './generated/types.ts'
import { zonesOf } from './regions.ts'
import type { Ec2State, RegionState } from './store.ts'

/** The "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" bucket: families starting with these letters. */
const standardFamily = /^(a|c|d|h|i|m|r|t|z)[0-9]/

export const vcpuQuotaId = 'vcpu-standard'
export const capacityId = (zone: string, type: string) => `od/${zone}/${type}`

/** A type's vCPUs: the catalog's, else from its size name as AWS sizes them (large 2, xlarge 4, Nxlarge 4N). */
export function vcpusOf(type: string): number {
  const spec = instanceTypeSpec(type)
  if (spec !== undefined) return spec.vcpus
  const size = type.slice(type.indexOf('.') + 1)
  const n = /^(\d+)xlarge$/.exec(size)
  if (n !== null) return 4 * Number(n[1])
  if (size === 'xlarge') return 4
  if (size === 'metal') return 96
  return size === 'nano' || size === 'micro' || size === 'small' ? 1 : 2
}

const countsAsOnDemand = (state: string, spot: unknown) => spot === undefined && (state === 'pending' || state === 'running')

/** The account's vCPU quota in the region: its own, else the region's for every account, else every region's, else the config's. */
export function vcpuLimit(region: RegionState): number | undefined {
  const state = region.owner
  return region.limits.get(vcpuQuotaId)?.value ?? state.marketRegion(region.region).limits.get(vcpuQuotaId)?.value
    ?? state.marketRegion('*').limits.get(vcpuQuotaId)?.value ?? state.vcpuLimit
}

/** The account's running (and pending) On-Demand Standard vCPUs in the region. */
export function standardVcpusInUse(region: RegionState): number {
  let used = 0
  for (const i of region.allInstances()) if (countsAsOnDemand(i.state, i.spot) && standardFamily.test(i.type)) used += vcpusOf(i.type)
  return used
}

/** Live On-Demand instances of a type in a zone, every account. */
function onDemandInZone(state: Ec2State, regionName: string, zone: string, type: string): number {
  let n = 0
  for (const r of state.allRegions()) {
    if (r.region !== regionName || r.account === '') continue
    for (const i of r.allInstances()) if (i.zone === zone && i.type === type && countsAsOnDemand(i.state, i.spot)) n++
  }
  return n
}

/** How many more On-Demand instances of the type the zone takes (undefined: no pin, no limit). */
export function capacityRoom(state: Ec2State, regionName: string, zone: string, type: string): number | undefined {
  const pin = state.marketRegion(regionName).limits.get(capacityId(zone, type))
  return pin === undefined ? undefined : Math.max(0, pin.value - onDemandInZone(state, regionName, zone, type))
}

function insufficientCapacity(state: Ec2State, regionName: string, zone: string, type: string): AwsError {
  const others = zonesOf(regionName).map((z) => z.name).filter((z) => z !== zone && (capacityRoom(state, regionName, z, type) ?? 1) > 0)
  const suggestion = others.length === 0 ? ''
    : ` You can currently get ${type} capacity by not specifying an Availability Zone in your request or choosing ${others.join(', ')}.`
  return new AwsError('InsufficientInstanceCapacity',
    `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (${zone}). Our system will be working on provisioning additional capacity.${suggestion}`,
    { status: 500 })
}

/**
 * An On-Demand launch's check once its zone is known: how many of `count` it may launch (at least
 * `min`, else AWS's error). AWS launches as many as it can between MinCount and MaxCount.
 */
export function onDemandCheck(region: RegionState, min: number): (zone: string, type: string, count: number) => number {
  return (zone, type, count) => {
    let allowed = count
    const room = capacityRoom(region.owner, region.region, zone, type)
    if (room !== undefined) {
      if (room < min) throw insufficientCapacity(region.owner, region.region, zone, type)
      allowed = Math.min(allowed, room)
    }
    const limit = vcpuLimit(region)
    if (limit !== undefined && standardFamily.test(type)) {
      const fit = Math.floor((limit - standardVcpusInUse(region)) / vcpusOf(type))
      if (fit < min) {
        throw new AwsError('VcpuLimitExceeded', `You have requested more vCPU capacity than your current vCPU limit of ${limit} allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`, { status: 400 })
      }
      allowed = Math.min(allowed, fit)
    }
    return allowed
  }
}

/**
 * With no subnet or zone asked for, AWS picks a zone that has capacity: a launch whose type is pinned
 * gets the default subnet's zone with the most room (the request is unchanged when nothing is pinned).
 */
export function preferZoneWithCapacity(region: RegionState, input: RunInstancesRequest, type: string): RunInstancesRequest {
  if (input.SubnetId !== undefined || input.Placement?.AvailabilityZone !== undefined || input.NetworkInterfaces?.some((n) => n.SubnetId !== undefined)) return input
  const pins = region.owner.marketRegion(region.region).limits
  if (pins.size === 0) return input
  const rooms = zonesOf(region.region).map((z) => ({ zone: z.name, room: capacityRoom(region.owner, region.region, z.name, type) }))
  if (rooms.every((r) => r.room === undefined)) return input
  const best = rooms.reduce((a, b) => ((b.room ?? Infinity) > (a.room ?? Infinity) ? b : a))
  return { ...input, Placement: { ...input.Placement, AvailabilityZone: best.zone } }
}
