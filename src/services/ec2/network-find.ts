// Finding the VPC networking resources by id (AWS's Malformed/NotFound answers), and which route
// table and network ACL a subnet belongs to.
import { ec2Errors } from './errors.ts'
import { seededId } from './ids.ts'
import { networkErrors } from './network-errors.ts'
import type { InternetGatewayRecord, NetworkAclRecord, RouteTableRecord } from './network-resources.ts'
import { checkId } from './operations/common.ts'
import type { SubnetRecord } from './resources.ts'
import type { RegionState } from './store.ts'

export function findSubnet(region: RegionState, id: string | undefined): SubnetRecord {
  if (id === undefined) throw ec2Errors.missingParameter('subnetId')
  checkId(id, 'subnet', 'InvalidSubnetID.Malformed')
  const subnet = region.subnets.get(id)
  if (subnet === undefined) throw ec2Errors.subnetNotFound([id])
  return subnet
}

export function findRouteTable(region: RegionState, id: string | undefined): RouteTableRecord {
  if (id === undefined) throw ec2Errors.missingParameter('routeTableId')
  checkId(id, 'rtb', 'InvalidRouteTableId.Malformed')
  const table = region.routeTables.get(id)
  if (table === undefined) throw networkErrors.routeTableNotFound(id)
  return table
}

export function findInternetGateway(region: RegionState, id: string | undefined, egressOnly = false): InternetGatewayRecord {
  if (id === undefined) throw ec2Errors.missingParameter(egressOnly ? 'egressOnlyInternetGatewayId' : 'internetGatewayId')
  checkId(id, egressOnly ? 'eigw' : 'igw', egressOnly ? 'InvalidEgressOnlyInternetGatewayId.Malformed' : 'InvalidInternetGatewayId.Malformed')
  const gateway = region.internetGateways.get(id)
  if (gateway === undefined) throw egressOnly ? networkErrors.egressOnlyGatewayNotFound(id) : networkErrors.internetGatewayNotFound(id)
  return gateway
}

export function findNetworkAcl(region: RegionState, id: string | undefined): NetworkAclRecord {
  if (id === undefined) throw ec2Errors.missingParameter('networkAclId')
  checkId(id, 'acl', 'InvalidNetworkAclId.Malformed')
  const acl = region.networkAcls.get(id)
  if (acl === undefined) throw networkErrors.networkAclNotFound(id)
  return acl
}

/** The VPC's main route table (the one holding its main association). */
export function mainRouteTable(region: RegionState, vpcId: string): RouteTableRecord | undefined {
  for (const table of region.routeTables.values()) if (table.vpcId === vpcId && table.associations.some((a) => a.main)) return table
  return undefined
}

/** A route table's associations whose subnet still exists (a deleted subnet's association goes with it). */
export const liveAssociations = (region: RegionState, table: RouteTableRecord) =>
  table.associations.filter((a) => a.main || (a.subnetId !== undefined && region.subnets.has(a.subnetId)))

/** The internet gateway attached to a VPC, if any. */
export function attachedGateway(region: RegionState, vpcId: string): InternetGatewayRecord | undefined {
  for (const gateway of region.internetGateways.values()) if (!gateway.egressOnly && gateway.vpcId === vpcId) return gateway
  return undefined
}

/** A VPC's default network ACL. */
export function defaultAcl(region: RegionState, vpcId: string): NetworkAclRecord | undefined {
  for (const acl of region.networkAcls.values()) if (acl.vpcId === vpcId && acl.isDefault) return acl
  return undefined
}

/**
 * Each subnet's network ACL association: the explicit one (ReplaceNetworkAclAssociation), else its
 * VPC's default ACL with an id derived from both (stable, so it can be named and replaced).
 */
export function aclAssociations(region: RegionState): Map<string, { id: string; aclId: string; subnetId: string }> {
  const out = new Map<string, { id: string; aclId: string; subnetId: string }>()
  for (const acl of region.networkAcls.values()) {
    for (const a of acl.associations) if (region.subnets.has(a.subnetId)) out.set(a.subnetId, { id: a.id, aclId: acl.id, subnetId: a.subnetId })
  }
  for (const subnet of region.subnets.values()) {
    if (out.has(subnet.id)) continue
    const acl = defaultAcl(region, subnet.vpcId)
    if (acl !== undefined) out.set(subnet.id, { id: seededId('aclassoc', `${acl.id}/${subnet.id}`), aclId: acl.id, subnetId: subnet.id })
  }
  return out
}
