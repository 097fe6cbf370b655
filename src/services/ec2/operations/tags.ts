// CreateTags, DeleteTags and DescribeTags over every taggable resource Nimbus holds, found by id.
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, paginate } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { isWellFormedId } from '../ids.ts'
import type { Ec2Record, Tag } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { networkErrors } from '../network-errors.ts'
import { applyTags, regionOf } from './common.ts'

const kinds: Record<string, { type: string; notFound: (id: string) => Error }> = {
  i: { type: 'instance', notFound: (id) => ec2Errors.instanceNotFound([id]) },
  vpc: { type: 'vpc', notFound: (id) => ec2Errors.vpcNotFound([id]) },
  subnet: { type: 'subnet', notFound: (id) => ec2Errors.subnetNotFound([id]) },
  sg: { type: 'security-group', notFound: (id) => ec2Errors.groupNotFound(id) },
  eipalloc: { type: 'elastic-ip', notFound: (id) => ec2Errors.allocationNotFound(id) },
  vol: { type: 'volume', notFound: (id) => ec2Errors.volumeNotFound(id) },
  snap: { type: 'snapshot', notFound: (id) => ec2Errors.snapshotNotFound(id) },
  pg: { type: 'placement-group', notFound: (id) => ec2Errors.invalidParameterValue(`The specified placement group id '${id}' does not exist.`) },
  key: { type: 'key-pair', notFound: (id) => ec2Errors.keyPairIdNotFound(id) },
  lt: { type: 'launch-template', notFound: (id) => ec2Errors.templateIdNotFound(id) },
  sir: { type: 'spot-instances-request', notFound: (id) => ec2Errors.spotRequestNotFound(id) },
  fleet: { type: 'fleet', notFound: (id) => ec2Errors.fleetNotFound(id) },
  sfr: { type: 'spot-fleet-request', notFound: (id) => ec2Errors.spotFleetNotFound(id) },
  rtb: { type: 'route-table', notFound: networkErrors.routeTableNotFound },
  igw: { type: 'internet-gateway', notFound: networkErrors.internetGatewayNotFound },
  eigw: { type: 'egress-only-internet-gateway', notFound: networkErrors.egressOnlyGatewayNotFound },
  nat: { type: 'natgateway', notFound: networkErrors.natGatewayNotFound },
  acl: { type: 'network-acl', notFound: networkErrors.networkAclNotFound },
  eni: { type: 'network-interface', notFound: networkErrors.networkInterfaceNotFound },
}

/** The VPC networking resources by prefix (network-resources.ts). */
const networkMaps: Record<string, (region: RegionState) => Map<string, Ec2Record>> = {
  rtb: (r) => r.routeTables, igw: (r) => r.internetGateways, eigw: (r) => r.internetGateways, nat: (r) => r.natGateways,
  acl: (r) => r.networkAcls, eni: (r) => r.networkInterfaces,
}

function find(region: RegionState, id: string): Ec2Record {
  const prefix = id.slice(0, id.indexOf('-'))
  const kind = kinds[prefix]
  const wellFormed = prefix === 'sir' ? /^sir-[0-9a-z]{8}$/.test(id) : prefix === 'fleet' || prefix === 'sfr'
    ? /^[a-z]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) : isWellFormedId(id, prefix)
  if (kind === undefined || !wellFormed) throw ec2Errors.invalidId(id)
  const record = networkMaps[prefix] !== undefined ? networkMaps[prefix](region).get(id) : prefix === 'i' ? region.instance(id) : prefix === 'vpc' ? region.vpcs.get(id) : prefix === 'subnet'
    ? region.subnets.get(id) : prefix === 'sg' ? region.groups.get(id) : prefix === 'key' ? region.keyPairs.get(id) : prefix === 'vol' ? region.volumes.get(id) : prefix === 'snap' ? region.snapshots.get(id) : prefix === 'pg' ? region.placementGroups.get(id) : prefix === 'lt' ? region.launchTemplates.get(id) : prefix === 'sir' ? region.spotRequests.get(id) : prefix === 'fleet' || prefix === 'sfr' ? region.fleets.get(id) : region.addresses.get(id)
  if (record === undefined) throw kind.notFound(id)
  return record
}

const typeOf = (record: Ec2Record): string => kinds[record.id.slice(0, record.id.indexOf('-'))]!.type

interface TagRow {
  ResourceId: string
  ResourceType: string
  Key: string
  Value: string
  tags: Tag[]
}

export function tagOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    CreateTags: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const records = input.Resources.map((id) => find(region, id))
      for (const record of records) {
        applyTags(record, input.Tags)
        region.save(record)
      }
    },

    DeleteTags: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const records = input.Resources.map((id) => find(region, id))
      for (const record of records) {
        // No Tags: every tag goes. A tag with a Value goes only when the value matches.
        record.tags = input.Tags === undefined || input.Tags.length === 0 ? []
          : record.tags.filter((t) => !input.Tags!.some((d) => d.Key === t.Key && (d.Value === undefined || d.Value === t.Value)))
        region.save(record)
      }
    },

    DescribeTags: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const match = compileFilters<TagRow>(input.Filters, {
        'resource-id': (r) => [r.ResourceId], 'resource-type': (r) => [r.ResourceType], key: (r) => [r.Key], value: (r) => [r.Value],
      })
      const records: Ec2Record[] = [...region.vpcs.values(), ...region.subnets.values(), ...region.groups.values(), ...region.allInstances(),
        ...region.addresses.values(), ...region.keyPairs.values(), ...region.volumes.values(), ...region.snapshots.values(),
        ...region.placementGroups.values(), ...region.launchTemplates.values(), ...region.spotRequests.values(), ...region.fleets.values(),
        ...region.routeTables.values(), ...region.internetGateways.values(), ...region.natGateways.values(), ...region.networkAcls.values(),
        ...region.networkInterfaces.values()]
      const rows = records.flatMap((r) => r.tags.map((t) => ({ ResourceId: r.id, ResourceType: typeOf(r), Key: t.Key, Value: t.Value, tags: r.tags })))
        .filter(match)
      const page = paginate(rows, input.MaxResults, input.NextToken)
      const Tags = page.items.map((t) => ({ Key: t.Key, Value: t.Value, ResourceId: t.ResourceId, ResourceType: t.ResourceType as 'instance' }))
      return { Tags, NextToken: page.nextToken }
    },
  }
}
