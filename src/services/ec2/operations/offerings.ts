// DescribeInstanceTypeOfferings: where each catalog instance type is offered — the region, each of its
// zones by name, or by zone id — from the same data file as DescribeInstanceTypes.
import type { OperationTable } from '../../service.ts'
import { instanceTypes } from '../catalog.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, paginate } from '../filters.ts'
import type { Ec2Operations, LocationType } from '../generated/types.ts'
import { zonesOf } from '../regions.ts'
import type { Ec2State } from '../store.ts'
import { regionOf } from './common.ts'

interface Offering {
  type: string
  location: string
  tags?: []
}

const locationTypes = ['region', 'availability-zone', 'availability-zone-id', 'outpost']

export function offeringOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    DescribeInstanceTypeOfferings: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const locationType = input.LocationType ?? 'region'
      if (!locationTypes.includes(locationType)) {
        throw ec2Errors.invalidParameterValue(`Value (${locationType}) for parameter locationType is invalid. Valid values: ${locationTypes.join(', ')}`)
      }
      // Every catalog type is offered in every zone (AWS leaves some newer families out of a few older zones).
      const locations = locationType === 'region' ? [region.region]
        : locationType === 'outpost' ? []
          : zonesOf(region.region).map((z) => (locationType === 'availability-zone' ? z.name : z.id))
      const all: Offering[] = instanceTypes.flatMap((t) => locations.map((location) => ({ type: t.type, location })))
      const match = compileFilters<Offering>(input.Filters, { 'instance-type': (o) => [o.type], location: (o) => [o.location] })
      const page = paginate(all.filter(match), input.MaxResults, input.NextToken)
      return {
        InstanceTypeOfferings: page.items.map((o) => ({ InstanceType: o.type as 't3.micro', LocationType: locationType as LocationType, Location: o.location })),
        NextToken: page.nextToken,
      }
    },
  }
}
