// Route tables: each VPC's main table (with its `local` route), Create/Describe/DeleteRouteTable,
// Create/Replace/DeleteRoute to gateways, NAT gateways, interfaces and instances (State active or
// blackhole as the target stands), subnet associations and moving the main association.
import type { OperationTable } from '../../service.ts'
import { formatCidr, parseCidr } from '../cidr.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, type FilterTable, paginate } from '../filters.ts'
import type { CreateRouteRequest, Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import { attachedInterfaces, findInterface, interfaceVpc } from '../interfaces.ts'
import { settleNat } from '../nat-state.ts'
import { findRouteTable, findSubnet, liveAssociations } from '../network-find.ts'
import { networkErrors } from '../network-errors.ts'
import type { RouteRecord, RouteTableRecord, RouteTarget } from '../network-resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { findVpc } from './network.ts'
import { applyTags, bool, checkId, regionOf, specTags, tagsOut } from './common.ts'

/** A route is active while its target can carry traffic; else AWS shows it as a blackhole. */
function routeState(region: RegionState, table: RouteTableRecord, r: RouteRecord): 'active' | 'blackhole' {
  if (r.gatewayId === 'local') return 'active'
  const gateway = r.gatewayId ?? r.egressOnlyInternetGatewayId
  if (gateway !== undefined) return region.internetGateways.get(gateway)?.vpcId === table.vpcId ? 'active' : 'blackhole'
  if (r.natGatewayId !== undefined) {
    const nat = region.natGateways.get(r.natGatewayId)
    const settled = nat === undefined ? undefined : settleNat(region, nat)
    return settled !== undefined && (settled.state === 'pending' || settled.state === 'available') ? 'active' : 'blackhole'
  }
  if (r.instanceId !== undefined) return region.instance(r.instanceId)?.state === 'running' ? 'active' : 'blackhole'
  if (r.networkInterfaceId !== undefined) {
    const eni = region.networkInterfaces.get(r.networkInterfaceId)
    if (eni !== undefined) return 'active'
    const owner = [...region.instances.values()].find((i) => i.eniId === r.networkInterfaceId)
    return owner !== undefined && region.instance(owner.id)?.state === 'running' ? 'active' : 'blackhole'
  }
  return 'blackhole'
}

function routeView(region: RegionState, table: RouteTableRecord, r: RouteRecord) {
  return {
    DestinationCidrBlock: r.ipv6 ? undefined : r.destination, DestinationIpv6CidrBlock: r.ipv6 ? r.destination : undefined,
    GatewayId: r.gatewayId, NatGatewayId: r.natGatewayId, InstanceId: r.instanceId,
    InstanceOwnerId: r.instanceId === undefined ? undefined : region.account, NetworkInterfaceId: r.networkInterfaceId,
    EgressOnlyInternetGatewayId: r.egressOnlyInternetGatewayId, VpcPeeringConnectionId: r.vpcPeeringConnectionId,
    Origin: r.origin, State: routeState(region, table, r),
  }
}

export function routeTableView(region: RegionState, t: RouteTableRecord) {
  return {
    RouteTableId: t.id, VpcId: t.vpcId, OwnerId: region.account, Tags: tagsOut(t.tags), PropagatingVgws: [],
    Routes: t.routes.map((r) => routeView(region, t, r)),
    Associations: liveAssociations(region, t).map((a) => ({
      Main: a.main, RouteTableAssociationId: a.id, RouteTableId: t.id, SubnetId: a.subnetId, AssociationState: { State: 'associated' as const },
    })),
  }
}

function filtersFor(region: RegionState): FilterTable<RouteTableRecord> {
  const routes = (pick: (r: RouteRecord, t: RouteTableRecord) => string | undefined) => (t: RouteTableRecord) => t.routes.map((r) => pick(r, t))
  const associations = (pick: (a: RouteTableRecord['associations'][number]) => string | undefined) => (t: RouteTableRecord) =>
    liveAssociations(region, t).map(pick)
  return {
    'route-table-id': (t) => [t.id], 'vpc-id': (t) => [t.vpcId], 'owner-id': () => [region.account],
    'association.main': (t) => [bool(t.associations.some((a) => a.main))],
    'association.subnet-id': associations((a) => a.subnetId), 'association.route-table-association-id': associations((a) => a.id),
    'association.route-table-id': (t) => (liveAssociations(region, t).length > 0 ? [t.id] : []),
    'association.association-state': associations(() => 'associated'),
    'route.destination-cidr-block': routes((r) => (r.ipv6 ? undefined : r.destination)),
    'route.destination-ipv6-cidr-block': routes((r) => (r.ipv6 ? r.destination : undefined)),
    'route.gateway-id': routes((r) => r.gatewayId), 'route.nat-gateway-id': routes((r) => r.natGatewayId),
    'route.instance-id': routes((r) => r.instanceId), 'route.network-interface-id': routes((r) => r.networkInterfaceId),
    'route.egress-only-internet-gateway-id': routes((r) => r.egressOnlyInternetGatewayId),
    'route.vpc-peering-connection-id': routes((r) => r.vpcPeeringConnectionId),
    'route.origin': routes((r) => r.origin), 'route.state': routes((r, t) => routeState(region, t, r)),
  }
}

/** The route's destination, normalised (host bits masked as AWS stores it). */
function destinationOf(input: { DestinationCidrBlock?: string; DestinationIpv6CidrBlock?: string }): { destination: string; ipv6: boolean } {
  if (input.DestinationCidrBlock !== undefined) {
    const cidr = parseCidr(input.DestinationCidrBlock)
    if (cidr === undefined) throw ec2Errors.invalidCidr(input.DestinationCidrBlock, 'destinationCidrBlock')
    return { destination: formatCidr(cidr), ipv6: false }
  }
  if (input.DestinationIpv6CidrBlock !== undefined) {
    if (!/^[0-9a-fA-F:]+\/\d{1,3}$/.test(input.DestinationIpv6CidrBlock)) {
      throw ec2Errors.invalidCidr(input.DestinationIpv6CidrBlock, 'destinationIpv6CidrBlock')
    }
    return { destination: input.DestinationIpv6CidrBlock.toLowerCase(), ipv6: true }
  }
  throw ec2Errors.missingParameter('destinationCidrBlock')
}

/** The one target a CreateRoute/ReplaceRoute names, checked against the table's VPC. */
function targetOf(region: RegionState, table: RouteTableRecord, input: CreateRouteRequest): RouteTarget {
  const given = (['GatewayId', 'NatGatewayId', 'NetworkInterfaceId', 'InstanceId', 'EgressOnlyInternetGatewayId', 'VpcPeeringConnectionId',
    'TransitGatewayId', 'LocalGatewayId', 'CarrierGatewayId', 'VpcEndpointId', 'CoreNetworkArn'] as const).filter((k) => input[k] !== undefined)
  if (given.length === 0) {
    throw ec2Errors.missingParameter('gatewayId, natGatewayId, networkInterfaceId, instanceId, egressOnlyInternetGatewayId or vpcPeeringConnectionId')
  }
  if (given.length > 1) throw ec2Errors.invalidParameterCombination('More than one target specified. Only one target may be specified per route.')
  const differentNetworks = (target: string) =>
    ec2Errors.invalidParameterValue(`route table ${table.id} and network gateway ${target} belong to different networks`)
  if (input.GatewayId !== undefined) {
    const id = input.GatewayId
    const gateway = region.internetGateways.get(id)
    if (!/^(igw|vgw)-/.test(id) || gateway === undefined || gateway.egressOnly) throw networkErrors.gatewayNotFound(id)
    if (gateway.vpcId !== table.vpcId) throw differentNetworks(id)
    return { gatewayId: id }
  }
  if (input.EgressOnlyInternetGatewayId !== undefined) {
    const id = input.EgressOnlyInternetGatewayId
    const gateway = region.internetGateways.get(id)
    if (gateway === undefined || !gateway.egressOnly) throw networkErrors.egressOnlyGatewayNotFound(id)
    if (gateway.vpcId !== table.vpcId) throw differentNetworks(id)
    return { egressOnlyInternetGatewayId: id }
  }
  if (input.NatGatewayId !== undefined) {
    const id = input.NatGatewayId
    const nat = region.natGateways.get(id)
    const settled = nat === undefined ? undefined : settleNat(region, nat)
    if (settled === undefined || settled.state === 'deleted') throw networkErrors.natGatewayNotFound(id)
    if (settled.vpcId !== table.vpcId) throw differentNetworks(id)
    return { natGatewayId: id }
  }
  if (input.NetworkInterfaceId !== undefined) {
    const eni = findInterface(region, input.NetworkInterfaceId)
    if (interfaceVpc(eni) !== table.vpcId) {
      throw ec2Errors.invalidParameterValue(`route table ${table.id} and interface ${input.NetworkInterfaceId} belong to different networks`)
    }
    const attached = eni.kind === 'primary' ? eni.instance.id : eni.record.attachment?.instanceId
    return { networkInterfaceId: input.NetworkInterfaceId, instanceId: attached }
  }
  if (input.InstanceId !== undefined) {
    checkId(input.InstanceId, 'i', 'InvalidInstanceID.Malformed')
    const instance = region.instance(input.InstanceId)
    if (instance === undefined || instance.state === 'terminated') throw ec2Errors.instanceNotFound([input.InstanceId])
    if (instance.vpcId !== table.vpcId) {
      throw ec2Errors.invalidParameterValue(`route table ${table.id} and instance ${instance.id} belong to different networks`)
    }
    // AWS routes to the instance's interface, and wants the interface named when there are several.
    if (attachedInterfaces(region, instance.id).length > 0) {
      throw ec2Errors.invalidParameterValue(`There are multiple interfaces attached to instance '${instance.id}'. Please specify an interface ID for the operation instead.`)
    }
    return { instanceId: instance.id, networkInterfaceId: instance.eniId }
  }
  if (input.VpcPeeringConnectionId !== undefined) {
    // VPC peering is not served: no connection exists to route to.
    throw networkErrors.peeringNotFound(input.VpcPeeringConnectionId)
  }
  throw ec2Errors.invalidParameterValue(`Nimbus does not route to ${given[0]} targets`)
}

export function routeTableOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    CreateRouteTable: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const vpc = findVpc(region, input.VpcId!)
      const table: RouteTableRecord = {
        kind: 'rtb', id: newId('rtb'), vpcId: vpc.id, tags: [], associations: [],
        routes: [{ destination: vpc.cidr, ipv6: false, origin: 'CreateRouteTable', gatewayId: 'local' }],
      }
      applyTags(table, specTags(input.TagSpecifications, 'route-table'))
      region.save(table)
      return { RouteTable: routeTableView(region, table), ClientToken: input.ClientToken }
    },

    DescribeRouteTables: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const match = compileFilters(input.Filters, filtersFor(region))
      const tables = input.RouteTableIds !== undefined && input.RouteTableIds.length > 0
        ? input.RouteTableIds.map((id) => findRouteTable(region, id)) : [...region.routeTables.values()]
      const page = paginate(tables.filter(match), input.MaxResults, input.NextToken, { min: 5, max: 100 })
      return { RouteTables: page.items.map((t) => routeTableView(region, t)), NextToken: page.nextToken }
    },

    DeleteRouteTable: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const table = findRouteTable(region, input.RouteTableId)
      // The main table and a table with subnets can't go (AWS: DependencyViolation).
      if (liveAssociations(region, table).length > 0) throw networkErrors.dependency('routeTable', table.id)
      region.remove(table)
    },

    CreateRoute: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const table = findRouteTable(region, input.RouteTableId)
      const { destination, ipv6 } = destinationOf(input)
      const target = targetOf(region, table, input)
      if (table.routes.some((r) => r.destination === destination)) throw networkErrors.routeExists(destination)
      table.routes.push({ destination, ipv6, origin: 'CreateRoute', ...target })
      region.save(table)
      return { Return: true }
    },

    ReplaceRoute: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const table = findRouteTable(region, input.RouteTableId)
      const { destination, ipv6 } = destinationOf(input)
      const index = table.routes.findIndex((r) => r.destination === destination)
      if (index < 0) throw networkErrors.routeNotFound(destination, table.id)
      if (table.routes[index]!.gatewayId === 'local' && input.GatewayId !== 'local') {
        throw ec2Errors.invalidParameterValue(`cannot replace local route ${destination} in route table ${table.id}`)
      }
      if (input.GatewayId === 'local') return
      table.routes[index] = { destination, ipv6, origin: 'CreateRoute', ...targetOf(region, table, input) }
      region.save(table)
    },

    DeleteRoute: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const table = findRouteTable(region, input.RouteTableId)
      const { destination } = destinationOf(input)
      const route = table.routes.find((r) => r.destination === destination)
      if (route === undefined) throw networkErrors.routeNotFound(destination, table.id)
      if (route.gatewayId === 'local') throw networkErrors.localRoute(destination, table.id)
      table.routes = table.routes.filter((r) => r !== route)
      region.save(table)
    },

    AssociateRouteTable: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const table = findRouteTable(region, input.RouteTableId)
      if (input.GatewayId !== undefined) throw ec2Errors.invalidParameterValue('Nimbus does not serve gateway route table associations')
      const subnet = findSubnet(region, input.SubnetId)
      if (subnet.vpcId !== table.vpcId) {
        throw ec2Errors.invalidParameterValue(`Route table ${table.id} and subnet ${subnet.id} belong to different networks`)
      }
      // A subnet has one explicit association (else it follows the main table): a second is refused.
      for (const other of region.routeTables.values()) {
        const existing = other.associations.find((a) => a.subnetId === subnet.id)
        if (existing !== undefined) throw networkErrors.subnetAssociated(subnet.id, table.id)
      }
      const association = { id: newId('rtbassoc'), main: false, subnetId: subnet.id }
      table.associations.push(association)
      region.save(table)
      return { AssociationId: association.id, AssociationState: { State: 'associated' } }
    },

    DisassociateRouteTable: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const { table, association } = findAssociation(region, input.AssociationId)
      if (association.main) {
        throw ec2Errors.invalidParameterValue(`cannot disassociate the main route table association ${association.id}`)
      }
      table.associations = table.associations.filter((a) => a !== association)
      region.save(table)
    },

    ReplaceRouteTableAssociation: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const { table: from, association } = findAssociation(region, input.AssociationId)
      const to = findRouteTable(region, input.RouteTableId)
      if (to.vpcId !== from.vpcId) {
        throw ec2Errors.invalidParameterValue(`Route table ${to.id} and association ${association.id} belong to different networks`)
      }
      // The association moves (main or a subnet's) and gets a new id, as AWS's does.
      from.associations = from.associations.filter((a) => a !== association)
      const moved = { ...association, id: newId('rtbassoc') }
      to.associations.push(moved)
      region.save(from)
      region.save(to)
      return { NewAssociationId: moved.id, AssociationState: { State: 'associated' } }
    },
  }
}

function findAssociation(region: RegionState, id: string | undefined) {
  if (id === undefined) throw ec2Errors.missingParameter('associationId')
  checkId(id, 'rtbassoc', 'InvalidAssociationID.Malformed')
  for (const table of region.routeTables.values()) {
    const association = liveAssociations(region, table).find((a) => a.id === id)
    if (association !== undefined) return { table, association }
  }
  throw networkErrors.routeTableAssociationNotFound(id)
}
