// SetDesiredCapacity, TerminateInstanceInAutoScalingGroup, SetInstanceHealth, SetInstanceProtection.
import type { OperationTable } from '../../service.ts'
import { setDesired } from '../capacity.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations } from '../generated/types.ts'
import { causeTime } from '../group-input.ts'
import { activityView } from '../group-view.ts'
import { type Group, type GroupInstance, shiftDesired } from '../group.ts'
import type { Scaler } from '../scaler.ts'
import type { AutoScalingState, RegionAutoScaling } from '../store.ts'

/** The group holding an instance (not yet gone), or AWS's "Instance Id not found". */
export function groupOfInstance(region: RegionAutoScaling, id: string): { group: Group; instance: GroupInstance } {
  for (const group of region.groups.values()) {
    const instance = group.instances.find((i) => i.id === id && i.state !== 'Terminated' && i.state !== 'Detached')
    if (instance !== undefined) return { group, instance }
  }
  throw autoScalingErrors.instanceNotFound(id)
}

export function capacityOperations(state: AutoScalingState, scaler: Scaler): OperationTable<AutoScalingOperations> {
  return {
    SetDesiredCapacity: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      scaler.settle(group)
      const desired = input.DesiredCapacity
      if (desired > group.max) throw autoScalingErrors.validation(`New SetDesiredCapacity value ${desired} is above max value ${group.max} for the AutoScalingGroup.`)
      if (desired < group.min) throw autoScalingErrors.validation(`New SetDesiredCapacity value ${desired} is below min value ${group.min} for the AutoScalingGroup.`)
      setDesired(state, scaler, group, desired, { reason: 'a user request explicitly set group desired capacity',
        honorCooldown: input.HonorCooldown === true, startsCooldown: true })
    },

    TerminateInstanceInAutoScalingGroup: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const { group, instance } = groupOfInstance(region, input.InstanceId)
      scaler.settle(group)
      const decrement = input.ShouldDecrementDesiredCapacity
      if (decrement && group.desired <= group.min) {
        throw autoScalingErrors.validation(`Currently, desiredSize equals minSize (${group.min}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`)
      }
      const at = causeTime(state.clock.now())
      if (instance.leaving === undefined && instance.state !== 'Standby') {
        const before = group.desired
        if (decrement) shiftDesired(group, -1, state.clock.now())
        const cause = decrement
          ? `At ${at} instance ${instance.id} was taken out of service in response to a user request, shrinking the capacity from ${before} to ${group.desired}.`
          : `At ${at} instance ${instance.id} was taken out of service in response to a user request.`
        scaler.lifecycle.beginTermination(group, instance, 'user', cause)
      }
      scaler.changed(group)
      const activity = state.activityList(region, group.name).findLast((a) => a.description === `Terminating EC2 instance: ${instance.id}`)
      return { Activity: activity === undefined ? undefined : activityView(activity) }
    },

    SetInstanceHealth: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      if (input.HealthStatus !== 'Healthy' && input.HealthStatus !== 'Unhealthy') {
        throw autoScalingErrors.validation(`Valid health status values are Healthy and Unhealthy.`)
      }
      const { group, instance } = groupOfInstance(region, input.InstanceId)
      scaler.settle(group)
      const now = state.clock.now()
      // Within the grace period an Unhealthy report is ignored unless told not to respect it.
      const inGrace = now < (instance.inServiceAt ?? instance.launchTime) + group.healthCheckGracePeriod * 1000
      if (input.HealthStatus === 'Unhealthy' && input.ShouldRespectGracePeriod !== false && inGrace) return
      instance.health = input.HealthStatus
      if (input.HealthStatus === 'Unhealthy') instance.unhealthyReason = 'a user health-check'
      else delete instance.unhealthyReason
      state.save(group)
      scaler.changed(group)
    },

    SetInstanceProtection: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      for (const id of input.InstanceIds) {
        const instance = group.instances.find((i) => i.id === id && i.state !== 'Terminated')
        if (instance === undefined) throw autoScalingErrors.validation(`The instance ${id} is not part of Auto Scaling group ${group.name}.`)
      }
      for (const i of group.instances) if (input.InstanceIds.includes(i.id)) i.protectedFromScaleIn = input.ProtectedFromScaleIn
      state.save(group)
      return {}
    },
  }
}
