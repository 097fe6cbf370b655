// Placement groups: Create/Describe/DeletePlacementGroup (cluster, spread, partition), and the
// placement RunInstances checks: a cluster group stays in one zone, spread holds at most 7 running
// instances per zone, partition groups have 1–7 partitions and give each instance a partition number.
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, type FilterTable } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import type { PlacementGroupRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, regionOf, specTags, tagsOut } from './common.ts'

/** AWS: a spread group holds 7 running instances per zone; a partition group has at most 7 partitions per zone. */
export const spreadLimitPerZone = 7
export const maxPartitions = 7

export const placementGroupNamed = (region: RegionState, name: string): PlacementGroupRecord | undefined =>
  [...region.placementGroups.values()].find((g) => g.name === name)

const members = (region: RegionState, name: string) =>
  region.allInstances().filter((i) => i.placementGroup === name && i.state !== 'terminated' && i.state !== 'shutting-down')

/**
 * Where `count` new instances go in the group (zone `zone`): the partition numbers they get (undefined
 * outside partition groups). Throws AWS's errors for an unknown group, another zone, a full spread group.
 */
export function placeInGroup(region: RegionState, name: string, zone: string, count: number, partition: number | undefined): (number | undefined)[] {
  const group = placementGroupNamed(region, name)
  if (group === undefined) throw ec2Errors.placementGroupUnknown(name)
  const current = members(region, name)
  if (group.strategy === 'cluster') {
    const elsewhere = current.find((i) => i.zone !== zone)
    if (elsewhere !== undefined) throw ec2Errors.placementGroupOtherZone(name, elsewhere.zone)
    return Array.from({ length: count }, () => undefined)
  }
  if (group.strategy === 'spread') {
    const inZone = current.filter((i) => i.zone === zone).length
    if (inZone + count > spreadLimitPerZone) {
      // [R] AWS's wording for a full spread group.
      throw ec2Errors.invalidParameterValue(`The requested number of instances exceeds the maximum of ${spreadLimitPerZone} instances per Availability Zone in spread placement group '${name}'.`)
    }
    return Array.from({ length: count }, () => undefined)
  }
  const partitions = group.partitionCount ?? 2
  if (partition !== undefined) {
    if (!Number.isInteger(partition) || partition < 1 || partition > partitions) {
      throw ec2Errors.invalidParameterValue(`Value (${partition}) for parameter partitionNumber is invalid. Partition number must be between 1 and ${partitions} for placement group '${name}'.`)
    }
    return Array.from({ length: count }, () => partition)
  }
  // Without a number, AWS spreads the instances evenly over the partitions: each goes to the emptiest.
  const load = Array.from({ length: partitions }, (_, p) => current.filter((i) => i.partitionNumber === p + 1).length)
  return Array.from({ length: count }, () => {
    const p = load.indexOf(Math.min(...load))
    load[p]!++
    return p + 1
  })
}

const view = (region: RegionState, g: PlacementGroupRecord) => ({
  GroupName: g.name, GroupId: g.id, State: 'available' as const, Strategy: g.strategy, PartitionCount: g.partitionCount,
  SpreadLevel: g.spreadLevel as 'rack' | undefined, Tags: tagsOut(g.tags),
  GroupArn: `arn:aws:ec2:${region.region}:${region.account}:placement-group/${g.name}`,
})

const filters: FilterTable<PlacementGroupRecord> = {
  'group-name': (g) => [g.name], 'group-id': (g) => [g.id], strategy: (g) => [g.strategy], state: () => ['available'],
  'spread-level': (g) => [g.spreadLevel],
}

export function placementGroupOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    CreatePlacementGroup: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const name = input.GroupName
      if (name === undefined || name === '') throw ec2Errors.missingParameter('groupName')
      const strategy = input.Strategy
      if (strategy === undefined) throw ec2Errors.missingParameter('strategy')
      if (strategy !== 'cluster' && strategy !== 'spread' && strategy !== 'partition') {
        throw ec2Errors.invalidParameterValue(`Value (${String(strategy as string)}) for parameter strategy is invalid. Valid values: cluster, spread, partition`)
      }
      if (placementGroupNamed(region, name) !== undefined) throw ec2Errors.placementGroupDuplicate(name)
      let partitionCount: number | undefined
      if (strategy === 'partition') {
        partitionCount = input.PartitionCount ?? 2
        if (!Number.isInteger(partitionCount) || partitionCount < 1 || partitionCount > maxPartitions) {
          throw ec2Errors.invalidParameterValue(`Value (${partitionCount}) for parameter partitionCount is invalid. Partition count must be between 1 and ${maxPartitions}.`)
        }
      } else if (input.PartitionCount !== undefined) {
        throw ec2Errors.invalidParameterCombination('The PartitionCount parameter is only valid for the partition strategy.')
      }
      const group: PlacementGroupRecord = {
        kind: 'pg', id: newId('pg'), name, strategy, partitionCount, spreadLevel: strategy === 'spread' ? input.SpreadLevel ?? 'rack' : undefined, tags: [],
      }
      applyTags(group, specTags(input.TagSpecifications, 'placement-group'))
      region.save(group)
      return { PlacementGroup: view(region, group) }
    },

    DescribePlacementGroups: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      let all = [...region.placementGroups.values()]
      if (input.GroupNames !== undefined && input.GroupNames.length > 0) {
        all = input.GroupNames.map((name) => {
          const group = placementGroupNamed(region, name)
          if (group === undefined) throw ec2Errors.placementGroupUnknown(name)
          return group
        })
      }
      if (input.GroupIds !== undefined && input.GroupIds.length > 0) {
        all = input.GroupIds.map((id) => {
          const group = region.placementGroups.get(id)
          if (group === undefined) throw ec2Errors.invalidParameterValue(`The specified placement group id '${id}' does not exist.`)
          return group
        })
      }
      const match = compileFilters(input.Filters, filters)
      return { PlacementGroups: all.filter(match).map((g) => view(region, g)) }
    },

    DeletePlacementGroup: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const group = placementGroupNamed(region, input.GroupName)
      if (group === undefined) throw ec2Errors.placementGroupUnknown(input.GroupName)
      if (members(region, group.name).length > 0) throw ec2Errors.placementGroupInUse(group.name)
      region.remove(group)
    },
  }
}
