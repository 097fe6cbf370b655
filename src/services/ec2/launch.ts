// Where a new instance goes: its subnet (named, by zone, or the emptiest default one), its security
// groups and its private IP (the lowest free address of the subnet), and a public IP where the subnet maps one.
import { ipToNumber, numberToIp, parseCidr } from './cidr.ts'
import { ec2Errors } from './errors.ts'
import type { RunInstancesRequest } from './generated/types.ts'
import { findGroup } from './operations/security-groups.ts'
import { checkId } from './operations/common.ts'
import type { SubnetRecord } from './resources.ts'
import type { RegionState } from './store.ts'

export function chooseSubnet(region: RegionState, input: RunInstancesRequest): SubnetRecord {
  const nic = input.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0)
  const subnetId = input.SubnetId ?? nic?.SubnetId
  const zone = input.Placement?.AvailabilityZone
  if (subnetId !== undefined) {
    checkId(subnetId, 'subnet', 'InvalidSubnetID.Malformed')
    const subnet = region.subnets.get(subnetId)
    if (subnet === undefined) throw ec2Errors.subnetNotFound([subnetId])
    if (zone !== undefined && zone !== subnet.zone) {
      throw ec2Errors.invalidParameterValue(`Value (${zone}) for parameter availabilityZone is invalid. Subnet '${subnetId}' is in the availability zone ${subnet.zone}`)
    }
    return subnet
  }
  const defaults = [...region.subnets.values()].filter((s) => s.defaultForAz && region.vpcs.get(s.vpcId)?.isDefault === true)
  if (defaults.length === 0) throw ec2Errors.noDefaultVpc()
  if (zone !== undefined) {
    const subnet = defaults.find((s) => s.zone === zone)
    if (subnet === undefined) throw ec2Errors.invalidParameterValue(`Invalid availability zone: [${zone}]`)
    return subnet
  }
  // AWS picks a zone for you; Nimbus spreads instances over the default subnets, the emptiest first.
  const used = usedPerSubnet(region)
  return defaults.reduce((best, s) => ((used.get(s.id)?.size ?? 0) < (used.get(best.id)?.size ?? 0) ? s : best))
}

/** Addresses in use in a subnet: membership and how many. */
interface UsedAddresses { has(n: number): boolean; readonly size: number }

/** Private addresses in use per subnet (terminated instances hold none). */
function usedPerSubnet(region: RegionState): Map<string, UsedAddresses> {
  region.settleChanging()
  const used = new Map<string, UsedAddresses>()
  for (const subnetId of region.subnets.keys()) used.set(subnetId, addressesOf(region, subnetId))
  return used
}

/** The private addresses in use in one subnet (terminated instances hold none). */
function usedInSubnet(region: RegionState, subnetId: string): UsedAddresses {
  region.settleChanging()
  return addressesOf(region, subnetId)
}

/** The instances' addresses (kept by the region as instances are saved) and the standalone interfaces'. */
function addressesOf(region: RegionState, subnetId: string): UsedAddresses {
  const held = region.heldAddresses.of(subnetId)
  // Standalone interfaces (and NAT gateways') hold their addresses too.
  const others = new Set<number | undefined>()
  for (const eni of region.networkInterfaces.values()) {
    if (eni.subnetId !== subnetId) continue
    const n = ipToNumber(eni.privateIp)
    if (!held.has(n)) others.add(n)
  }
  return { has: (n) => held.has(n) || others.has(n), size: held.size + others.size }
}

export function chooseGroups(region: RegionState, input: RunInstancesRequest, subnet: SubnetRecord): string[] {
  const nic = input.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0)
  const ids = [...(input.SecurityGroupIds ?? []), ...(nic?.Groups ?? [])]
  const groups = ids.map((id) => findGroup(region, id, undefined))
  for (const name of input.SecurityGroups ?? []) {
    const group = [...region.groups.values()].find((g) => g.vpcId === subnet.vpcId && g.name === name)
    if (group === undefined) throw ec2Errors.invalidParameterValue(`The security group '${name}' does not exist in VPC '${subnet.vpcId}'`)
    groups.push(group)
  }
  for (const group of groups) {
    if (group.vpcId !== subnet.vpcId) {
      throw ec2Errors.invalidParameter(`Security group ${group.id} and subnet ${subnet.id} belong to different networks.`)
    }
  }
  if (groups.length === 0) return [region.defaultGroup(subnet.vpcId)!.id]
  return [...new Set(groups.map((g) => g.id))]
}

/** Up to `count` private IPs from the subnet (at least `atLeast`, else InsufficientFreeAddressesInSubnet), or the one asked for. */
export function allocatePrivateIps(region: RegionState, subnet: SubnetRecord, count: number, asked: string | undefined, atLeast = count): string[] {
  const cidr = parseCidr(subnet.cidr)!
  const used = usedInSubnet(region, subnet.id)
  if (asked !== undefined) {
    const n = ipToNumber(asked)
    if (n === undefined || n < cidr.base + 4 || n >= cidr.base + cidr.size - 1) {
      throw ec2Errors.invalidParameterValue(`Address ${asked} is not in subnet ${subnet.id} or is reserved.`)
    }
    if (used.has(n)) throw ec2Errors.privateAddressInUse(asked)
    return [asked]
  }
  const out: string[] = []
  for (let n = cidr.base + 4; n < cidr.base + cidr.size - 1 && out.length < count; n++) if (!used.has(n)) out.push(numberToIp(n))
  if (out.length < atLeast) throw ec2Errors.insufficientAddresses(subnet.id)
  return out
}

const publicIps = new Set<string>()

/** A public IPv4 address from AWS-looking ranges, unused in this process. */
export function newPublicIp(first: number): string {
  for (;;) {
    const ip = `${first}.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`
    if (!publicIps.has(ip)) {
      publicIps.add(ip)
      return ip
    }
  }
}
