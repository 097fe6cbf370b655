// AttachInstances, DetachInstances, EnterStandby, ExitStandby: instances moved in and out of a
// group's capacity by hand, each recorded as an activity in AWS's words.
import type { Ec2Port } from '../../ec2/port.ts'
import type { OperationTable } from '../../service.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations } from '../generated/types.ts'
import { causeTime } from '../group-input.ts'
import { activityView } from '../group-view.ts'
import { type Group, type GroupInstance, shiftDesired } from '../group.ts'
import type { Scaler } from '../scaler.ts'
import type { AutoScalingState } from '../store.ts'

function member(group: Group, id: string): GroupInstance {
  const instance = group.instances.find((i) => i.id === id && i.state !== 'Terminated' && i.state !== 'Detached')
  if (instance === undefined) throw autoScalingErrors.validation(`The instance ${id} is not part of Auto Scaling group ${group.name}.`)
  return instance
}

function checkMin(group: Group, count: number, verb: string): void {
  if (group.desired - count < group.min) {
    throw autoScalingErrors.validation(`Currently, desiredSize equals minSize (${group.min}). ${verb} instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`)
  }
}

export function instanceOperations(state: AutoScalingState, ec2: Ec2Port, scaler: Scaler): OperationTable<AutoScalingOperations> {
  /** The named group, settled to now, and the named instances among its members (Detach and Standby). */
  const members = (caller: { account: string; region: string }, input: { AutoScalingGroupName: string; InstanceIds?: string[] }) => {
    const group = state.requireGroup(state.region(caller.account, caller.region), input.AutoScalingGroupName)
    scaler.settle(group)
    return { group, instances: (input.InstanceIds ?? []).map((id) => member(group, id)) }
  }
  return {
    AttachInstances: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const group = state.requireGroup(region, input.AutoScalingGroupName)
      scaler.settle(group)
      const ids = input.InstanceIds ?? []
      for (const id of ids) {
        const view = ec2.instance(id)
        if (view === undefined || view.account !== region.account || view.region !== region.region) {
          throw autoScalingErrors.validation(`Instance ${id} is not in correct state.`) // [R]
        }
        if (view.state !== 'running') throw autoScalingErrors.validation(`Instance ${id} is not in correct state.`)
        for (const g of region.groups.values()) {
          if (g.instances.some((i) => i.id === id && i.state !== 'Terminated' && i.state !== 'Detached')) {
            throw autoScalingErrors.validation(`The instance ${id} is already part of an Auto Scaling group.`) // [R]
          }
        }
      }
      const desired = group.desired + ids.length
      if (desired > group.max) {
        throw autoScalingErrors.validation(`Desired capacity:${desired} must be between the specified min size:${group.min} and max size:${group.max}`)
      }
      const now = state.clock.now()
      for (const id of ids) {
        const view = ec2.instance(id)!
        const before = group.desired
        shiftDesired(group, 1, state.clock.now())
        const activity = state.startActivity(group, { description: `Attaching an existing EC2 instance: ${id}`,
          cause: `At ${causeTime(now)} a user request attached EC2 instance ${id} changing the desired capacity from ${before} to ${group.desired}.` })
        const instance: GroupInstance = { id, zone: group.zones[0]!, instanceType: view.instanceType, imageId: view.imageId, state: 'Pending',
          health: 'Healthy', protectedFromScaleIn: group.newInstancesProtectedFromScaleIn, launchTime: now, activityId: activity.id }
        group.instances.push(instance)
        scaler.lifecycle.launched(group, instance, now)
      }
      state.save(group)
      scaler.changed(group)
    },

    DetachInstances: (input, ctx) => {
      const { group, instances } = members(ctx.caller, input)
      if (input.ShouldDecrementDesiredCapacity) checkMin(group, instances.length, 'Detaching')
      const at = causeTime(state.clock.now())
      const activities = instances.map((i) => {
        const before = group.desired
        if (input.ShouldDecrementDesiredCapacity && i.state !== 'Standby') shiftDesired(group, -1, state.clock.now())
        const cause = input.ShouldDecrementDesiredCapacity
          ? `At ${at} a user request detached EC2 instance ${i.id} changing the desired capacity from ${before} to ${group.desired}.`
          : `At ${at} instance ${i.id} was detached in response to a user request.`
        const activity = state.startActivity(group, { description: `Detaching EC2 instance: ${i.id}`, cause })
        state.finishActivity(group, activity)
        i.state = 'Detached'
        return activityView(activity)
      })
      state.save(group)
      scaler.changed(group)
      return { Activities: activities }
    },

    EnterStandby: (input, ctx) => {
      const { group, instances } = members(ctx.caller, input)
      for (const i of instances) if (i.state !== 'InService') throw autoScalingErrors.validation(`The instance ${i.id} is not in InService.`)
      if (input.ShouldDecrementDesiredCapacity) checkMin(group, instances.length, 'Moving')
      const at = causeTime(state.clock.now())
      const activities = instances.map((i) => {
        const before = group.desired
        if (input.ShouldDecrementDesiredCapacity) shiftDesired(group, -1, state.clock.now())
        const cause = input.ShouldDecrementDesiredCapacity
          ? `At ${at} instance ${i.id} was moved to standby in response to a user request, shrinking the capacity from ${before} to ${group.desired}.`
          : `At ${at} instance ${i.id} was moved to standby in response to a user request.`
        const activity = state.startActivity(group, { description: `Moving EC2 instance to Standby: ${i.id}`, cause })
        state.finishActivity(group, activity)
        i.state = 'Standby'
        return activityView(activity)
      })
      state.save(group)
      scaler.changed(group)
      return { Activities: activities }
    },

    ExitStandby: (input, ctx) => {
      const { group, instances } = members(ctx.caller, input)
      for (const i of instances) if (i.state !== 'Standby') throw autoScalingErrors.validation(`The instance ${i.id} is not in Standby.`)
      if (group.desired + instances.length > group.max) {
        throw autoScalingErrors.validation(`Desired capacity:${group.desired + instances.length} must be between the specified min size:${group.min} and max size:${group.max}`)
      }
      const now = state.clock.now()
      const activities = instances.map((i) => {
        const before = group.desired
        shiftDesired(group, 1, state.clock.now())
        const activity = state.startActivity(group, { description: `Moving EC2 instance out of Standby: ${i.id}`,
          cause: `At ${causeTime(now)} instance ${i.id} was moved out of standby in response to a user request, increasing the capacity from ${before} to ${group.desired}.` })
        // Back through Pending (and any launching hooks) to InService.
        i.state = 'Pending'
        i.activityId = activity.id
        scaler.lifecycle.launched(group, i, now)
        return activityView(activity)
      })
      state.save(group)
      scaler.changed(group)
      return { Activities: activities }
    },
  }
}
