// Spot Fleet: RequestSpotFleet (launch specifications or launch template configs; lowestPrice,
// diversified, capacityOptimized(Prioritized), priceCapacityOptimized; request or maintain; an
// On-Demand part), DescribeSpotFleetRequests, DescribeSpotFleetInstances, CancelSpotFleetRequests.
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { strategyOf } from '../fleet/allocation.ts'
import { activeInstances, endFleet, fleetUnits, fulfilFleet, newFleetId } from '../fleet/engine.ts'
import { buildPools, type PoolSource } from '../fleet/pools.ts'
import type { BatchState, Ec2Operations, SpotFleetLaunchSpecification } from '../generated/types.ts'
import type { FleetRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { paginate } from '../filters.ts'
import { applyTags, regionOf, specTags, tagsOut } from './common.ts'
import { rebalanceOf, templateSources } from './fleets.ts'

/** A launch specification as a pool source: its groups as ids, its weight and price as an override. */
function specSource(spec: SpotFleetLaunchSpecification): PoolSource {
  const { SecurityGroups, WeightedCapacity, SpotPrice, ...rest } = spec
  const data: Record<string, unknown> = { ...rest }
  if (SecurityGroups !== undefined && SecurityGroups.length > 0) data.SecurityGroupIds = SecurityGroups.map((g) => g.GroupId)
  return { data, overrides: [{ WeightedCapacity, MaxPrice: SpotPrice }] }
}

function namedFleet(region: RegionState, id: string): FleetRecord {
  const fleet = region.fleets.get(id)
  if (fleet === undefined || fleet.flavour !== 'spot') throw ec2Errors.spotFleetNotFound(id)
  return fleet
}

export function spotFleetOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    RequestSpotFleet: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const config = input.SpotFleetRequestConfig
      if (config?.IamFleetRole === undefined || config.IamFleetRole === '') throw ec2Errors.missingParameter('IamFleetRole')
      if (config.TargetCapacity === undefined) throw ec2Errors.missingParameter('TargetCapacity')
      const specs = config.LaunchSpecifications ?? []
      const templates = config.LaunchTemplateConfigs ?? []
      if ((specs.length === 0) === (templates.length === 0)) {
        throw ec2Errors.invalidParameterValue('Exactly one of LaunchSpecifications and LaunchTemplateConfigs must be specified.')
      }
      const onDemand = config.OnDemandTargetCapacity ?? 0
      if (onDemand > config.TargetCapacity) throw ec2Errors.invalidParameterValue('OnDemandTargetCapacity cannot be greater than TargetCapacity.')
      const sources = specs.length > 0 ? specs.map(specSource) : templateSources(region, templates)
      const fleet: FleetRecord = {
        kind: 'fleet', id: newFleetId('spot'), flavour: 'spot', type: config.Type === 'request' ? 'request' : 'maintain', createTime: region.now,
        state: 'submitted', activityStatus: undefined, targetCapacity: config.TargetCapacity, onDemandTarget: onDemand,
        spotTarget: config.TargetCapacity - onDemand, defaultTargetType: 'spot',
        spotStrategy: strategyOf(config.AllocationStrategy, 'lowest-price'), onDemandStrategy: strategyOf(config.OnDemandAllocationStrategy, 'lowest-price'),
        poolsToUse: config.InstancePoolsToUseCount ?? 1, maxPrice: config.SpotPrice, pools: buildPools(region, sources),
        config: { ...config }, instances: [], errors: [], interruptionBehavior: config.InstanceInterruptionBehavior ?? 'terminate',
        tags: [], instanceTags: [], rebalance: rebalanceOf(config.SpotMaintenanceStrategies?.CapacityRebalance),
      }
      applyTags(fleet, specTags(config.TagSpecifications, 'spot-fleet-request'))
      region.save(fleet)
      fulfilFleet(state, region, fleet)
      return { SpotFleetRequestId: fleet.id }
    },

    DescribeSpotFleetRequests: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const ids = input.SpotFleetRequestIds ?? []
      const all = ids.length > 0 ? ids.map((id) => namedFleet(region, id)) : [...region.fleets.values()].filter((f) => f.flavour === 'spot')
      const page = paginate(all, input.MaxResults, input.NextToken)
      return {
        SpotFleetRequestConfigs: page.items.map((f) => {
          const units = fleetUnits(region, f)
          return {
            SpotFleetRequestId: f.id, SpotFleetRequestState: f.state as BatchState, ActivityStatus: f.activityStatus, CreateTime: new Date(f.createTime),
            Tags: tagsOut(f.tags),
            SpotFleetRequestConfig: { ...(f.config as { IamFleetRole: string; TargetCapacity: number }),
              AllocationStrategy: (f.config.AllocationStrategy ?? 'lowestPrice') as 'lowestPrice', Type: f.type as 'maintain',
              FulfilledCapacity: units.spot + units.onDemand, OnDemandFulfilledCapacity: units.onDemand, TagSpecifications: undefined },
          }
        }),
        NextToken: page.nextToken,
      }
    },

    DescribeSpotFleetInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const fleet = namedFleet(region, input.SpotFleetRequestId)
      return { SpotFleetRequestId: fleet.id, ActiveInstances: activeInstances(region, fleet) }
    },

    CancelSpotFleetRequests: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const done: { SpotFleetRequestId: string; PreviousSpotFleetRequestState: BatchState; CurrentSpotFleetRequestState: BatchState }[] = []
      const failed: { SpotFleetRequestId: string; Error: { Code: 'fleetRequestIdDoesNotExist'; Message: string } }[] = []
      for (const id of input.SpotFleetRequestIds) {
        const fleet = region.fleets.get(id)
        if (fleet === undefined || fleet.flavour !== 'spot') {
          failed.push({ SpotFleetRequestId: id, Error: { Code: 'fleetRequestIdDoesNotExist', Message: `The spot fleet request ID '${id}' does not exist` } })
          continue
        }
        const { previous, current } = endFleet(state, region, fleet, input.TerminateInstances)
        done.push({ SpotFleetRequestId: id, PreviousSpotFleetRequestState: previous as BatchState, CurrentSpotFleetRequestState: current as BatchState })
      }
      return { SuccessfulFleetRequests: done.length === 0 ? undefined : done, UnsuccessfulFleetRequests: failed.length === 0 ? undefined : failed }
    },
  }
}
