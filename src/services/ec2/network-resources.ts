// The VPC networking resources as stored (route tables, internet and NAT gateways, network ACLs,
// network interfaces): plain data, each one a persistence row as it is, tags inline.
import type { Tag } from './tag.ts'

/** Where a route sends traffic: exactly one target, as CreateRoute takes it. */
export interface RouteTarget {
  gatewayId?: string
  natGatewayId?: string
  networkInterfaceId?: string
  instanceId?: string
  egressOnlyInternetGatewayId?: string
  vpcPeeringConnectionId?: string
}

export interface RouteRecord extends RouteTarget {
  /** An IPv4 CIDR, or an IPv6 one for `DestinationIpv6CidrBlock` routes. */
  destination: string
  ipv6: boolean
  origin: 'CreateRouteTable' | 'CreateRoute'
}

export interface RouteTableAssociationRecord {
  id: string
  /** The VPC's main association (no subnet), or a subnet's. */
  main: boolean
  subnetId?: string
}

export interface RouteTableRecord {
  kind: 'rtb'
  id: string
  tags: Tag[]
  vpcId: string
  routes: RouteRecord[]
  associations: RouteTableAssociationRecord[]
}

/** An internet gateway, or an egress-only one (`egressOnly`, id `eigw-`). */
export interface InternetGatewayRecord {
  kind: 'igw'
  id: string
  tags: Tag[]
  vpcId: string | undefined
  egressOnly: boolean
}

export type NatGatewayState = 'pending' | 'available' | 'deleting' | 'deleted' | 'failed'

export interface NatGatewayRecord {
  kind: 'nat'
  id: string
  tags: Tag[]
  vpcId: string
  subnetId: string
  connectivity: 'public' | 'private'
  allocationId: string | undefined
  publicIp: string | undefined
  associationId: string | undefined
  privateIp: string
  eniId: string
  createTime: number
  /** pending → available and deleting → deleted follow lazily from `since` (nat-state.ts). */
  state: NatGatewayState
  since: number
  deleteTime: number | undefined
}

export interface NetworkAclEntryRecord {
  ruleNumber: number
  egress: boolean
  protocol: string
  action: 'allow' | 'deny'
  cidr?: string
  ipv6Cidr?: string
  icmp?: { code: number; type: number }
  ports?: { from: number; to: number }
}

export interface NetworkAclRecord {
  kind: 'acl'
  id: string
  tags: Tag[]
  vpcId: string
  isDefault: boolean
  entries: NetworkAclEntryRecord[]
  /** Subnets explicitly associated here (ReplaceNetworkAclAssociation); others belong to their VPC's default ACL. */
  associations: { id: string; subnetId: string }[]
}

/** A network interface made by CreateNetworkInterface or for a NAT gateway (an instance's primary one lives on its instance). */
export interface NetworkInterfaceRecord {
  kind: 'eni'
  id: string
  tags: Tag[]
  subnetId: string
  vpcId: string
  zone: string
  zoneId: string
  privateIp: string
  macAddress: string
  groupIds: string[]
  description: string
  sourceDestCheck: boolean
  interfaceType: 'interface' | 'nat_gateway'
  requesterManaged: boolean
  attachment: { id: string; instanceId: string; deviceIndex: number; attachTime: number; deleteOnTermination: boolean } | undefined
}

export type NetworkRecord = RouteTableRecord | InternetGatewayRecord | NatGatewayRecord | NetworkAclRecord | NetworkInterfaceRecord
