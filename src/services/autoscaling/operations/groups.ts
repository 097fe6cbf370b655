// CreateAutoScalingGroup, DescribeAutoScalingGroups, UpdateAutoScalingGroup, DeleteAutoScalingGroup
// and DescribeAutoScalingInstances: the group's configuration; the Scaler moves its instances.
import type { Ec2Port } from '../../ec2/port.ts'
import type { OperationTable } from '../../service.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations, Filter } from '../generated/types.ts'
import {
  causeTime, checkLaunchSource, fullTemplate, checkMaxInstanceLifetime, checkSizes, checkTerminationPolicies, checkZones, newGroup, resolveSubnets,
} from '../group-input.ts'
import { groupView, instanceView } from '../group-view.ts'
import { changeDesired, type Group } from '../group.ts'
import type { Scaler } from '../scaler.ts'
import type { AutoScalingState } from '../store.ts'
import { checkName, page } from './common.ts'
import { hooksFromSpecifications } from './lifecycle-hooks.ts'

function matches(group: Group, filters: readonly Filter[]): boolean {
  return filters.every((f) => {
    const values = f.Values ?? []
    const name = f.Name ?? ''
    if (name === 'tag-key') return group.tags.some((t) => values.includes(t.Key))
    if (name === 'tag-value') return group.tags.some((t) => values.includes(t.Value))
    if (name.startsWith('tag:')) return group.tags.some((t) => t.Key === name.slice(4) && values.includes(t.Value))
    throw autoScalingErrors.validation(`Filter type ${name} is not correct. Allowed Filter types are: tag-key tag-value tag:<key>`)
  })
}

const byName = (a: Group, b: Group) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

export function groupOperations(state: AutoScalingState, ec2: Ec2Port, scaler: Scaler): OperationTable<AutoScalingOperations> {
  return {
    CreateAutoScalingGroup: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      checkName(input.AutoScalingGroupName, 'autoScalingGroupName')
      if (region.groups.has(input.AutoScalingGroupName)) throw autoScalingErrors.groupExists(input.AutoScalingGroupName)
      if (input.LaunchConfigurationName === undefined && input.LaunchTemplate === undefined && input.InstanceId === undefined
        && input.MixedInstancesPolicy === undefined) {
        throw autoScalingErrors.validation('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.')
      }
      if (input.InstanceId !== undefined && input.LaunchConfigurationName === undefined && input.LaunchTemplate === undefined) {
        throw autoScalingErrors.validation('Creating a group from an instance (InstanceId) is not supported by Nimbus; use a launch configuration or template.')
      }
      const desired = input.DesiredCapacity ?? input.MinSize
      checkSizes(input.MinSize, input.MaxSize, desired)
      const vpcZones = input.VPCZoneIdentifier ?? ''
      if (vpcZones.trim() === '' && (input.AvailabilityZones ?? []).length === 0) {
        throw autoScalingErrors.validation('At least one Availability Zone or VPC Subnet is required.')
      }
      const template = checkLaunchSource(region, ec2, input)
      const subnets = resolveSubnets(ec2, region.account, region.region, vpcZones)
      checkZones(ec2, region.region, input.AvailabilityZones ?? [])
      checkTerminationPolicies(input.TerminationPolicies)
      checkMaxInstanceLifetime(input.MaxInstanceLifetime)
      const now = state.clock.now()
      const group = newGroup(region, input, subnets, now)
      group.hooks = hooksFromSpecifications(input.LifecycleHookSpecificationList ?? [])
      if (input.LaunchTemplate !== undefined) group.launchTemplate = fullTemplate(input.LaunchTemplate, template)
      changeDesired(group, desired, `At ${causeTime(now)} a user request created an AutoScalingGroup changing the desired capacity from 0 to ${desired}.`, now)
      region.groups.set(group.name, group)
      state.save(group)
      scaler.changed(group)
    },

    DescribeAutoScalingGroups: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const names = input.AutoScalingGroupNames ?? []
      const all = [...region.groups.values()]
        .filter((g) => names.length === 0 || names.includes(g.name))
        .filter((g) => matches(g, input.Filters ?? []))
        .sort(byName)
      for (const g of all) scaler.settle(g)
      const { items, nextToken } = page('asg', all, input.NextToken, input.MaxRecords)
      const groups = items.map(groupView)
      if (input.IncludeInstances === false) for (const g of groups) delete g.Instances
      return { AutoScalingGroups: groups, ...(nextToken !== undefined && { NextToken: nextToken }) }
    },

    DescribeAutoScalingInstances: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const ids = input.InstanceIds ?? []
      const rows = [...region.groups.values()].sort(byName).flatMap((g) => {
        scaler.settle(g)
        return g.instances.filter((i) => i.state !== 'Terminated' && i.state !== 'Detached' && (ids.length === 0 || ids.includes(i.id)))
          .map((i) => ({ ...instanceView(i), AutoScalingGroupName: g.name }))
      })
      const { items, nextToken } = page('asi', rows, input.NextToken, input.MaxRecords, 50)
      return { AutoScalingInstances: items, ...(nextToken !== undefined && { NextToken: nextToken }) }
    },

    UpdateAutoScalingGroup: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const group = state.requireGroup(region, input.AutoScalingGroupName)
      scaler.settle(group)
      const min = input.MinSize ?? group.min
      const max = input.MaxSize ?? group.max
      if (max < min) throw autoScalingErrors.validation(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`)
      // A new min or max drags desired capacity along when it falls outside (AWS does the same).
      const desired = input.DesiredCapacity ?? Math.min(max, Math.max(min, group.desired))
      checkSizes(min, max, desired)
      const template = checkLaunchSource(region, ec2, input)
      const subnets = input.VPCZoneIdentifier === undefined ? undefined : resolveSubnets(ec2, region.account, region.region, input.VPCZoneIdentifier)
      if (input.AvailabilityZones !== undefined) checkZones(ec2, region.region, input.AvailabilityZones)
      checkTerminationPolicies(input.TerminationPolicies)
      checkMaxInstanceLifetime(input.MaxInstanceLifetime)
      if (input.LaunchConfigurationName !== undefined) {
        group.launchConfigurationName = input.LaunchConfigurationName
        delete group.launchTemplate
        delete group.mixedInstancesPolicy
      }
      if (input.LaunchTemplate !== undefined) {
        group.launchTemplate = fullTemplate(input.LaunchTemplate, template)
        delete group.launchConfigurationName
        delete group.mixedInstancesPolicy
      }
      if (input.MixedInstancesPolicy !== undefined) {
        group.mixedInstancesPolicy = input.MixedInstancesPolicy
        delete group.launchConfigurationName
        delete group.launchTemplate
      }
      if (subnets !== undefined && subnets.length > 0) {
        group.subnets = subnets
        group.zones = [...new Set(subnets.map((s) => s.zone))]
      } else if (input.AvailabilityZones !== undefined && input.AvailabilityZones.length > 0) {
        group.zones = [...new Set(input.AvailabilityZones)]
      }
      if (input.DefaultCooldown !== undefined) group.defaultCooldown = input.DefaultCooldown
      if (input.DefaultInstanceWarmup !== undefined) group.defaultInstanceWarmup = input.DefaultInstanceWarmup
      if (input.HealthCheckType !== undefined) group.healthCheckType = input.HealthCheckType
      if (input.HealthCheckGracePeriod !== undefined) group.healthCheckGracePeriod = input.HealthCheckGracePeriod
      if (input.TerminationPolicies !== undefined) group.terminationPolicies = input.TerminationPolicies.length > 0 ? [...input.TerminationPolicies] : ['Default']
      if (input.NewInstancesProtectedFromScaleIn !== undefined) group.newInstancesProtectedFromScaleIn = input.NewInstancesProtectedFromScaleIn
      if (input.MaxInstanceLifetime !== undefined) {
        if (input.MaxInstanceLifetime === 0) delete group.maxInstanceLifetime
        else group.maxInstanceLifetime = input.MaxInstanceLifetime
      }
      if (input.CapacityRebalance !== undefined) group.capacityRebalance = input.CapacityRebalance
      if (input.PlacementGroup !== undefined) group.placementGroup = input.PlacementGroup
      if (input.ServiceLinkedRoleARN !== undefined) group.serviceLinkedRoleArn = input.ServiceLinkedRoleARN
      const before = group.desired
      group.min = min
      group.max = max
      if (desired !== before) {
        const now = state.clock.now()
        changeDesired(group, desired, `At ${causeTime(now)} a user request update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${desired} changing the desired capacity from ${before} to ${desired}.`, now)
      }
      state.save(group)
      scaler.changed(group)
    },

    DeleteAutoScalingGroup: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const group = state.requireGroup(region, input.AutoScalingGroupName)
      scaler.settle(group)
      const live = group.instances.filter((i) => i.state !== 'Terminated' && i.state !== 'Detached')
      const warm = group.warmPool?.instances ?? []
      if (input.ForceDelete !== true && (live.length > 0 || warm.length > 0)) throw autoScalingErrors.groupInUse()
      // ForceDelete: every instance (the warm pool's too) is terminated without waiting, outstanding lifecycle actions dropped.
      for (const i of live) ec2.act(i.id, 'terminate')
      scaler.warmPools.terminateAll(group)
      scaler.forget(group)
      region.groups.delete(group.name)
      state.rows?.groupGone(group)
      state.dropActivities(region, group.name)
    },
  }
}
