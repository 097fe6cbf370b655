// Regions, Availability Zones, VPCs and subnets (CIDR validation and conflicts).
import type { OperationTable } from '../../service.ts'
import { cidrContains, cidrsOverlap, formatCidr, parseCidr, usableAddresses } from '../cidr.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, type FilterTable, paginate } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import { listRegions, zonesOf } from '../regions.ts'
import { removeSubnetAssociations, removeVpcNetwork, subnetHasNetworkDependents, vpcHasNetworkDependents } from '../network-dependents.ts'
import type { SubnetRecord, VpcRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, bool, checkId, regionOf, specTags, tagsOut } from './common.ts'

const vpcFilters: FilterTable<VpcRecord> = {
  'vpc-id': (v) => [v.id],
  'cidr': (v) => [v.cidr],
  'cidr-block-association.cidr-block': (v) => [v.cidr],
  'is-default': (v) => [bool(v.isDefault)],
  'state': () => ['available'],
  'owner-id': () => [],
}

const subnetFilters: FilterTable<SubnetRecord> = {
  'subnet-id': (s) => [s.id],
  'vpc-id': (s) => [s.vpcId],
  'cidr-block': (s) => [s.cidr],
  'availability-zone': (s) => [s.zone],
  'availability-zone-id': (s) => [s.zoneId],
  'availabilityZone': (s) => [s.zone],
  'default-for-az': (s) => [bool(s.defaultForAz)],
  'defaultForAz': (s) => [bool(s.defaultForAz)],
  'map-public-ip-on-launch': (s) => [bool(s.mapPublicIp)],
  'state': () => ['available'],
}

export function vpcView(region: RegionState, v: VpcRecord) {
  return {
    VpcId: v.id, CidrBlock: v.cidr, State: 'available' as const, IsDefault: v.isDefault, InstanceTenancy: v.tenancy as 'default',
    DhcpOptionsId: 'default', OwnerId: region.account, Tags: tagsOut(v.tags),
    CidrBlockAssociationSet: [{ AssociationId: v.associationId, CidrBlock: v.cidr, CidrBlockState: { State: 'associated' as const } }],
  }
}

function subnetView(region: RegionState, s: SubnetRecord, used: Map<string, number>) {
  const cidr = parseCidr(s.cidr)!
  return {
    SubnetId: s.id, VpcId: s.vpcId, CidrBlock: s.cidr, AvailabilityZone: s.zone, AvailabilityZoneId: s.zoneId,
    AvailableIpAddressCount: usableAddresses(cidr) - (used.get(s.id) ?? 0), DefaultForAz: s.defaultForAz,
    MapPublicIpOnLaunch: s.mapPublicIp, State: 'available' as const, OwnerId: region.account, Tags: tagsOut(s.tags),
    SubnetArn: `arn:aws:ec2:${region.region}:${region.account}:subnet/${s.id}`, AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [], MapCustomerOwnedIpOnLaunch: false, EnableDns64: false, Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: { HostnameType: 'ip-name' as const, EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
  }
}

/** Addresses instances hold per subnet (terminated ones hold none). */
export function usedAddresses(region: RegionState): Map<string, number> {
  const used = new Map<string, number>()
  for (const i of region.allInstances()) if (i.state !== 'terminated') used.set(i.subnetId, (used.get(i.subnetId) ?? 0) + 1)
  for (const eni of region.networkInterfaces.values()) used.set(eni.subnetId, (used.get(eni.subnetId) ?? 0) + 1)
  return used
}

function byIds<T extends { id: string }>(all: Map<string, T>, ids: readonly string[] | undefined, prefix: string, malformed: string,
  notFound: (ids: string[]) => Error): T[] {
  if (ids === undefined || ids.length === 0) return [...all.values()]
  for (const id of ids) checkId(id, prefix, malformed)
  const missing = ids.filter((id) => !all.has(id))
  if (missing.length > 0) throw notFound(missing)
  return ids.map((id) => all.get(id)!)
}

export function findVpc(region: RegionState, id: string): VpcRecord {
  checkId(id, 'vpc', 'InvalidVpcID.Malformed')
  const vpc = region.vpcs.get(id)
  if (vpc === undefined) throw ec2Errors.vpcNotFound([id])
  return vpc
}

export function networkOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    DescribeRegions: (input, ctx) => {
      regionOf(state, input, ctx)
      const names = new Set(input.RegionNames ?? [])
      const match = compileFilters<{ name: string; optIn: string }>(input.Filters, {
        'region-name': (r) => [r.name], endpoint: (r) => [`ec2.${r.name}.amazonaws.com`], 'opt-in-status': (r) => [r.optIn],
      })
      const regions = listRegions(input.AllRegions === true || names.size > 0).filter((r) => (names.size === 0 || names.has(r.name)) && match(r))
      for (const name of names) {
        if (!regions.some((r) => r.name === name)) throw ec2Errors.invalidParameterValue(`Invalid region: ${name}`)
      }
      return { Regions: regions.map((r) => ({ RegionName: r.name, Endpoint: `ec2.${r.name}.amazonaws.com`, OptInStatus: r.optIn })) }
    },

    // What the AWS CLI, Terraform and the console read at start: a VPC-only account, its default VPC, AWS's default quotas.
    DescribeAccountAttributes: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const values: Record<string, string[]> = {
        'supported-platforms': ['VPC'], 'default-vpc': [region.defaultVpc()?.id ?? 'none'], 'max-instances': ['20'],
        'vpc-max-security-groups-per-interface': ['5'], 'max-elastic-ips': ['5'], 'vpc-max-elastic-ips': ['5'],
      }
      const names = input.AttributeNames !== undefined && input.AttributeNames.length > 0 ? input.AttributeNames : Object.keys(values)
      return {
        AccountAttributes: names.map((name) => {
          const list = values[name]
          if (list === undefined) throw ec2Errors.invalidParameterValue(`Value (${name}) for parameter attributeName is invalid. Unknown attribute.`)
          return { AttributeName: name, AttributeValues: list.map((AttributeValue) => ({ AttributeValue })) }
        }),
      }
    },

    DescribeAvailabilityZones: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const zones = zonesOf(region.region)
      const match = compileFilters<(typeof zones)[number]>(input.Filters, {
        'zone-name': (z) => [z.name], 'zone-id': (z) => [z.id], 'region-name': (z) => [z.region], state: () => ['available'],
        'zone-type': () => ['availability-zone'], 'group-name': (z) => [z.region], 'opt-in-status': () => ['opt-in-not-required'],
      })
      for (const name of input.ZoneNames ?? []) {
        if (!zones.some((z) => z.name === name)) throw ec2Errors.invalidParameterValue(`The zone '${name}' does not exist.`)
      }
      for (const id of input.ZoneIds ?? []) {
        if (!zones.some((z) => z.id === id)) throw ec2Errors.invalidParameterValue(`The zone id '${id}' does not exist.`)
      }
      const chosen = zones.filter((z) => (input.ZoneNames === undefined || input.ZoneNames.includes(z.name)) &&
        (input.ZoneIds === undefined || input.ZoneIds.includes(z.id)) && match(z))
      return {
        AvailabilityZones: chosen.map((z) => ({
          ZoneName: z.name, ZoneId: z.id, RegionName: z.region, State: 'available' as const, OptInStatus: 'opt-in-not-required' as const,
          Messages: [], GroupName: z.region, NetworkBorderGroup: z.region, ZoneType: 'availability-zone',
        })),
      }
    },

    DescribeVpcs: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const match = compileFilters(input.Filters, vpcFilters)
      const all = byIds(region.vpcs, input.VpcIds, 'vpc', 'InvalidVpcID.Malformed', ec2Errors.vpcNotFound).filter(match)
      const page = paginate(all, input.MaxResults, input.NextToken)
      return { Vpcs: page.items.map((v) => vpcView(region, v)), NextToken: page.nextToken }
    },

    CreateVpc: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const text = input.CidrBlock
      if (text === undefined) throw ec2Errors.missingParameter('cidrBlock')
      const cidr = parseCidr(text)
      if (cidr === undefined) throw ec2Errors.invalidCidr(text, 'cidrBlock')
      // VPCs are /16 to /28.
      if (cidr.prefix < 16 || cidr.prefix > 28) throw ec2Errors.vpcRange(text)
      const vpc = region.createVpc(formatCidr(cidr), false, input.InstanceTenancy ?? 'default')
      applyTags(vpc, specTags(input.TagSpecifications, 'vpc'))
      region.save(vpc)
      return { Vpc: { ...vpcView(region, vpc), State: 'pending' as const } }
    },

    DeleteVpc: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const vpc = findVpc(region, input.VpcId!)
      const subnet = [...region.subnets.values()].find((s) => s.vpcId === vpc.id)
      const group = [...region.groups.values()].find((g) => g.vpcId === vpc.id && g.name !== 'default')
      if (subnet !== undefined || group !== undefined || vpcHasNetworkDependents(region, vpc.id)) {
        throw ec2Errors.dependencyViolation(`The vpc '${vpc.id}' has dependencies and cannot be deleted.`)
      }
      for (const g of [...region.groups.values()]) if (g.vpcId === vpc.id) region.remove(g)
      removeVpcNetwork(region, vpc.id)
      region.remove(vpc)
    },

    DescribeSubnets: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const match = compileFilters(input.Filters, subnetFilters)
      const all = byIds(region.subnets, input.SubnetIds, 'subnet', 'InvalidSubnetID.Malformed', ec2Errors.subnetNotFound).filter(match)
      const page = paginate(all, input.MaxResults, input.NextToken)
      const used = usedAddresses(region)
      return { Subnets: page.items.map((s) => subnetView(region, s, used)), NextToken: page.nextToken }
    },

    CreateSubnet: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const vpc = findVpc(region, input.VpcId!)
      const text = input.CidrBlock
      if (text === undefined) throw ec2Errors.missingParameter('cidrBlock')
      const cidr = parseCidr(text)
      if (cidr === undefined) throw ec2Errors.invalidCidr(text, 'cidrBlock')
      if (cidr.prefix < 16 || cidr.prefix > 28 || !cidrContains(parseCidr(vpc.cidr)!, cidr)) throw ec2Errors.subnetRange(text)
      for (const other of region.subnets.values()) {
        if (other.vpcId === vpc.id && cidrsOverlap(parseCidr(other.cidr)!, cidr)) throw ec2Errors.subnetConflict(text)
      }
      const zones = zonesOf(region.region)
      const zone = input.AvailabilityZone !== undefined ? zones.find((z) => z.name === input.AvailabilityZone)
        : input.AvailabilityZoneId !== undefined ? zones.find((z) => z.id === input.AvailabilityZoneId) : zones[0]
      if (zone === undefined) {
        const asked = input.AvailabilityZone ?? input.AvailabilityZoneId ?? ''
        throw ec2Errors.invalidParameterValue(`Value (${asked}) for parameter availabilityZone is invalid. ` +
          `Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.name).join(', ')}.`)
      }
      const subnet: SubnetRecord = {
        kind: 'subnet', id: newId('subnet'), vpcId: vpc.id, cidr: formatCidr(cidr), zone: zone.name, zoneId: zone.id,
        defaultForAz: false, mapPublicIp: false, tags: [], associationId: '',
      }
      applyTags(subnet, specTags(input.TagSpecifications, 'subnet'))
      region.save(subnet)
      return { Subnet: { ...subnetView(region, subnet, new Map()), State: 'available' as const } }
    },

    DeleteSubnet: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const id = input.SubnetId!
      checkId(id, 'subnet', 'InvalidSubnetID.Malformed')
      const subnet = region.subnets.get(id)
      if (subnet === undefined) throw ec2Errors.subnetNotFound([id])
      if (region.allInstances().some((i) => i.subnetId === id && i.state !== 'terminated') || subnetHasNetworkDependents(region, id)) {
        throw ec2Errors.dependencyViolation(`The subnet '${id}' has dependencies and cannot be deleted.`)
      }
      removeSubnetAssociations(region, id)
      region.remove(subnet)
    },
  }
}
