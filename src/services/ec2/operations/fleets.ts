// EC2 Fleet: CreateFleet (instant, request, maintain; On-Demand and Spot targets over launch
// template configs and their overrides), DescribeFleets, DescribeFleetInstances, DeleteFleets.
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, paginate, type FilterTable } from '../filters.ts'
import { strategyOf } from '../fleet/allocation.ts'
import { activeInstances, endFleet, fleetUnits, fulfilFleet, newFleetId } from '../fleet/engine.ts'
import { buildPools, type PoolSource } from '../fleet/pools.ts'
import type { Ec2Operations, FleetStateCode } from '../generated/types.ts'
import { findTemplate, findVersion } from '../launch-templates.ts'
import type { FleetRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, regionOf, specTags, tagsOut } from './common.ts'

/** Launch template configs as pool sources (each template version resolved now). */
export function templateSources(region: RegionState, configs: readonly { LaunchTemplateSpecification?: { LaunchTemplateId?: string; LaunchTemplateName?: string; Version?: string };
  Overrides?: { InstanceType?: string; SubnetId?: string; AvailabilityZone?: string; WeightedCapacity?: number; Priority?: number; MaxPrice?: string; SpotPrice?: string }[] }[]): PoolSource[] {
  return configs.map((c) => {
    if (c.LaunchTemplateSpecification === undefined) throw ec2Errors.missingParameter('LaunchTemplateSpecification')
    const template = findTemplate(region, c.LaunchTemplateSpecification)
    const version = findVersion(template, c.LaunchTemplateSpecification.Version)
    return { data: version.data, launchTemplate: { id: template.id, version: version.number },
      overrides: (c.Overrides ?? []).map((o) => ({ ...o, MaxPrice: o.MaxPrice ?? o.SpotPrice })) }
  })
}

/** MaintenanceStrategies.CapacityRebalance: the replacement strategy and TerminationDelay (seconds, 120–7200; default 120). */
export function rebalanceOf(config: { ReplacementStrategy?: string; TerminationDelay?: number } | undefined): FleetRecord['rebalance'] {
  const strategy = config?.ReplacementStrategy
  if (strategy !== 'launch' && strategy !== 'launch-before-terminate') return undefined
  const delay = config?.TerminationDelay ?? 120
  if (strategy === 'launch-before-terminate' && (!Number.isInteger(delay) || delay < 120 || delay > 7200)) {
    throw ec2Errors.invalidParameterValue(`Value (${delay}) for parameter TerminationDelay is invalid. Valid values: 120 to 7200 seconds.`)
  }
  return { strategy, terminationDelayMs: delay * 1000 }
}

/** Which pool an instance or error came from, as LaunchTemplateAndOverrides. */
export function poolView(fleet: FleetRecord, index: number) {
  const pool = fleet.pools[index]!
  return {
    LaunchTemplateSpecification: pool.launchTemplate === undefined ? undefined
      : { LaunchTemplateId: pool.launchTemplate.id, Version: String(pool.launchTemplate.version) },
    Overrides: { InstanceType: pool.instanceType as 't3.micro', SubnetId: pool.subnetId, AvailabilityZone: pool.zone,
      WeightedCapacity: pool.weight, Priority: pool.priority, MaxPrice: pool.maxPrice },
  }
}

function instancesView(fleet: FleetRecord) {
  const groups = new Map<string, { pool: number; lifecycle: 'spot' | 'on-demand'; ids: string[] }>()
  for (const m of fleet.instances) {
    const key = `${m.pool}/${m.lifecycle}`
    const group = groups.get(key) ?? { pool: m.pool, lifecycle: m.lifecycle, ids: [] }
    group.ids.push(m.id)
    groups.set(key, group)
  }
  return [...groups.values()].map((g) => ({ LaunchTemplateAndOverrides: poolView(fleet, g.pool), Lifecycle: g.lifecycle === 'spot' ? 'spot' as const : 'on-demand' as const,
    InstanceIds: g.ids, InstanceType: fleet.pools[g.pool]!.instanceType as 't3.micro' }))
}

const errorsView = (fleet: FleetRecord) => fleet.errors.map((e) => ({ LaunchTemplateAndOverrides: poolView(fleet, e.pool),
  Lifecycle: e.lifecycle === 'spot' ? 'spot' as const : 'on-demand' as const, ErrorCode: e.code, ErrorMessage: e.message }))

const fleetFilters: FilterTable<FleetRecord> = {
  'activity-status': (f) => [f.activityStatus], 'fleet-state': (f) => [f.state], type: (f) => [f.type],
  'replace-unhealthy-instances': () => ['false'], 'excess-capacity-termination-policy': () => ['termination'],
}

function namedFleet(region: RegionState, id: string): FleetRecord {
  const fleet = region.fleets.get(id)
  if (fleet === undefined || fleet.flavour !== 'ec2') throw ec2Errors.fleetNotFound(id)
  return fleet
}

export function fleetOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    CreateFleet: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const target = input.TargetCapacitySpecification
      if (target?.TotalTargetCapacity === undefined) throw ec2Errors.missingParameter('TargetCapacitySpecification.TotalTargetCapacity')
      if (input.LaunchTemplateConfigs === undefined || input.LaunchTemplateConfigs.length === 0) throw ec2Errors.missingParameter('LaunchTemplateConfigs')
      const total = target.TotalTargetCapacity
      const defaultType = target.DefaultTargetCapacityType === 'spot' ? 'spot' : 'on-demand'
      // What the two explicit targets leave goes to the default type.
      const onDemand = target.OnDemandTargetCapacity ?? (defaultType === 'on-demand' ? total - (target.SpotTargetCapacity ?? 0) : 0)
      if (onDemand < 0 || onDemand > total || (target.SpotTargetCapacity ?? 0) + onDemand > total) {
        throw ec2Errors.invalidParameterValue('The sum of OnDemandTargetCapacity and SpotTargetCapacity cannot exceed TotalTargetCapacity.')
      }
      const spotOptions = input.SpotOptions ?? {}
      const fleet: FleetRecord = {
        kind: 'fleet', id: newFleetId('ec2'), flavour: 'ec2', type: input.Type ?? 'maintain', createTime: region.now, state: 'submitted',
        activityStatus: undefined, targetCapacity: total, onDemandTarget: onDemand, spotTarget: total - onDemand, defaultTargetType: defaultType,
        spotStrategy: strategyOf(spotOptions.AllocationStrategy, 'lowest-price'), onDemandStrategy: strategyOf(input.OnDemandOptions?.AllocationStrategy, 'lowest-price'),
        poolsToUse: spotOptions.InstancePoolsToUseCount ?? 1, maxPrice: undefined,
        pools: buildPools(region, templateSources(region, input.LaunchTemplateConfigs)), config: { ...input, DryRun: undefined, TagSpecifications: undefined },
        instances: [], errors: [], interruptionBehavior: spotOptions.InstanceInterruptionBehavior ?? 'terminate', tags: [],
        instanceTags: specTags(input.TagSpecifications, 'instance').map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
        rebalance: rebalanceOf(spotOptions.MaintenanceStrategies?.CapacityRebalance),
      }
      applyTags(fleet, specTags(input.TagSpecifications, 'fleet'))
      region.save(fleet)
      fulfilFleet(state, region, fleet)
      // Only instant fleets answer with their instances and errors; the others launch asynchronously on AWS.
      return fleet.type === 'instant' ? { FleetId: fleet.id, Instances: instancesView(fleet), Errors: errorsView(fleet) } : { FleetId: fleet.id }
    },

    DescribeFleets: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const ids = input.FleetIds ?? []
      const all = ids.length > 0 ? ids.map((id) => namedFleet(region, id)) : [...region.fleets.values()].filter((f) => f.flavour === 'ec2')
      const page = paginate(all.filter(compileFilters(input.Filters, fleetFilters)), input.MaxResults, input.NextToken)
      return {
        Fleets: page.items.map((f) => {
          const units = f.state === 'active' ? fleetUnits(region, f) : { spot: 0, onDemand: 0 }
          const config = f.config as { LaunchTemplateConfigs?: unknown; TargetCapacitySpecification?: Record<string, unknown>; SpotOptions?: object; OnDemandOptions?: object }
          return {
            FleetId: f.id, FleetState: f.state as FleetStateCode, ActivityStatus: f.activityStatus, CreateTime: new Date(f.createTime), Type: f.type,
            FulfilledCapacity: units.spot + units.onDemand, FulfilledOnDemandCapacity: units.onDemand,
            TargetCapacitySpecification: { TotalTargetCapacity: f.targetCapacity, OnDemandTargetCapacity: f.onDemandTarget,
              SpotTargetCapacity: f.spotTarget, DefaultTargetCapacityType: f.defaultTargetType },
            LaunchTemplateConfigs: config.LaunchTemplateConfigs as never, SpotOptions: { ...config.SpotOptions, AllocationStrategy: f.spotStrategy as 'lowest-price' },
            OnDemandOptions: { ...config.OnDemandOptions, AllocationStrategy: f.onDemandStrategy as 'lowest-price' },
            ExcessCapacityTerminationPolicy: 'termination' as const, TerminateInstancesWithExpiration: false, ReplaceUnhealthyInstances: false,
            Tags: tagsOut(f.tags), Instances: f.type === 'instant' ? instancesView(f) : undefined, Errors: errorsView(f),
          }
        }),
        NextToken: page.nextToken,
      }
    },

    DescribeFleetInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const fleet = namedFleet(region, input.FleetId)
      return { FleetId: fleet.id, ActiveInstances: activeInstances(region, fleet) }
    },

    DeleteFleets: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const done: { FleetId: string; PreviousFleetState: FleetStateCode; CurrentFleetState: FleetStateCode }[] = []
      const failed: { FleetId: string; Error: { Code: 'fleetIdDoesNotExist'; Message: string } }[] = []
      for (const id of input.FleetIds) {
        const fleet = region.fleets.get(id)
        if (fleet === undefined || fleet.flavour !== 'ec2') {
          failed.push({ FleetId: id, Error: { Code: 'fleetIdDoesNotExist', Message: `The fleet ID '${id}' does not exist` } })
          continue
        }
        const { previous, current } = endFleet(state, region, fleet, input.TerminateInstances)
        done.push({ FleetId: id, PreviousFleetState: previous as FleetStateCode, CurrentFleetState: current as FleetStateCode })
      }
      return { SuccessfulFleetDeletions: done.length === 0 ? undefined : done, UnsuccessfulFleetDeletions: failed.length === 0 ? undefined : failed }
    },
  }
}
