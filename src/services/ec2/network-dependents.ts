// What keeps a VPC, subnet or security group from being deleted among the networking resources
// (AWS answers DependencyViolation), and what goes with a VPC or subnet when it is deleted.
import { allNatGateways, isLiveNat } from './nat-state.ts'
import type { RegionState } from './store.ts'

/** An attached (egress-only) internet gateway, a route table other than the main one, a non-default ACL, a live NAT gateway or an interface. */
export function vpcHasNetworkDependents(region: RegionState, vpcId: string): boolean {
  for (const g of region.internetGateways.values()) if (g.vpcId === vpcId) return true
  for (const t of region.routeTables.values()) if (t.vpcId === vpcId && !t.associations.some((a) => a.main)) return true
  for (const a of region.networkAcls.values()) if (a.vpcId === vpcId && !a.isDefault) return true
  if (allNatGateways(region).some((n) => n.vpcId === vpcId && isLiveNat(n))) return true
  for (const e of region.networkInterfaces.values()) if (e.vpcId === vpcId) return true
  return false
}

/** A deleted VPC's main route table and default ACL go with it (and its deleted/failed NAT gateways' records). */
export function removeVpcNetwork(region: RegionState, vpcId: string): void {
  for (const t of [...region.routeTables.values()]) if (t.vpcId === vpcId) region.remove(t)
  for (const a of [...region.networkAcls.values()]) if (a.vpcId === vpcId) region.remove(a)
  for (const n of [...region.natGateways.values()]) if (n.vpcId === vpcId) region.remove(n)
}

/** A live NAT gateway or an interface in the subnet. */
export function subnetHasNetworkDependents(region: RegionState, subnetId: string): boolean {
  if (allNatGateways(region).some((n) => n.subnetId === subnetId && isLiveNat(n))) return true
  for (const e of region.networkInterfaces.values()) if (e.subnetId === subnetId) return true
  return false
}

/** A deleted subnet's explicit route table and ACL associations go with it. */
export function removeSubnetAssociations(region: RegionState, subnetId: string): void {
  for (const t of region.routeTables.values()) {
    if (t.associations.some((a) => a.subnetId === subnetId)) {
      t.associations = t.associations.filter((a) => a.subnetId !== subnetId)
      region.save(t)
    }
  }
  for (const acl of region.networkAcls.values()) {
    if (acl.associations.some((a) => a.subnetId === subnetId)) {
      acl.associations = acl.associations.filter((a) => a.subnetId !== subnetId)
      region.save(acl)
    }
  }
}

/** A standalone interface using the group. */
export function groupUsedByInterfaces(region: RegionState, groupId: string): boolean {
  for (const e of region.networkInterfaces.values()) if (e.groupIds.includes(groupId)) return true
  return false
}

