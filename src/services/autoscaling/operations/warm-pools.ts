// PutWarmPool, DescribeWarmPool and DeleteWarmPool: a group's warm pool configuration (the Scaler's
// WarmPools fill, draw on and empty it on the clock: warm-pool.ts).
import type { Ec2Port } from '../../ec2/port.ts'
import type { OperationTable } from '../../service.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations } from '../generated/types.ts'
import { instanceView } from '../group-view.ts'
import type { Scaler } from '../scaler.ts'
import type { AutoScalingState } from '../store.ts'
import { warmPoolConfiguration } from '../warm-pool-view.ts'
import { page } from './common.ts'

const poolStates = ['Stopped', 'Running', 'Hibernated'] as const

export function warmPoolOperations(state: AutoScalingState, ec2: Ec2Port, scaler: Scaler): OperationTable<AutoScalingOperations> {
  return {
    PutWarmPool: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      if (input.MaxGroupPreparedCapacity !== undefined && input.MaxGroupPreparedCapacity < -1) {
        throw autoScalingErrors.constraint('maxGroupPreparedCapacity', input.MaxGroupPreparedCapacity, 'Member must have value greater than or equal to -1')
      }
      if (input.MinSize !== undefined && input.MinSize < 0) {
        throw autoScalingErrors.constraint('minSize', input.MinSize, 'Member must have value greater than or equal to 0')
      }
      if (input.PoolState !== undefined && !(poolStates as readonly string[]).includes(input.PoolState)) {
        throw autoScalingErrors.constraint('poolState', input.PoolState, `Member must satisfy enum value set: [${poolStates.join(', ')}]`)
      }
      // AWS: a warm pool can't be added to a group with a mixed instances policy or Spot instances.
      if (group.mixedInstancesPolicy !== undefined) throw autoScalingErrors.validation('You cannot add a warm pool to an Auto Scaling group that has a mixed instances policy.') // [R]
      const lc = group.launchConfigurationName === undefined ? undefined : state.region(group.account, group.region).launchConfigurations.get(group.launchConfigurationName)
      if (lc?.spotPrice !== undefined) throw autoScalingErrors.validation('You cannot add a warm pool to an Auto Scaling group that launches Spot Instances.') // [R]
      const previous = group.warmPool
      if (previous?.status === 'PendingDelete') throw autoScalingErrors.validation(`The warm pool of Auto Scaling group ${group.name} is pending deletion.`) // [R]
      // Each member absent keeps its current value on an update (a new pool: AWS's defaults), -1 clears MaxGroupPreparedCapacity.
      const max = input.MaxGroupPreparedCapacity ?? previous?.maxGroupPreparedCapacity
      const minSize = input.MinSize ?? previous?.minSize ?? 0
      if (max !== undefined && max >= 0 && minSize > max) {
        throw autoScalingErrors.validation('The minimum size of the warm pool must be less than or equal to MaxGroupPreparedCapacity.') // [R]
      }
      group.warmPool = {
        ...(max !== undefined && max >= 0 && { maxGroupPreparedCapacity: max }),
        minSize, poolState: input.PoolState ?? previous?.poolState ?? 'Stopped',
        reuseOnScaleIn: input.InstanceReusePolicy?.ReuseOnScaleIn ?? previous?.reuseOnScaleIn ?? false,
        instances: previous?.instances ?? [],
      }
      scaler.changed(group)
      return {}
    },

    DescribeWarmPool: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      scaler.settle(group)
      const pool = group.warmPool
      const { items, nextToken } = page(`warm-pool/${group.name}`, pool?.instances ?? [], input.NextToken, input.MaxRecords)
      return {
        ...(pool !== undefined && { WarmPoolConfiguration: warmPoolConfiguration(pool) }),
        Instances: items.map((w) => instanceView(w)),
        ...(nextToken !== undefined && { NextToken: nextToken }),
      }
    },

    DeleteWarmPool: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      scaler.settle(group)
      const pool = group.warmPool
      if (pool === undefined) throw autoScalingErrors.validation(`No warm pool found for Auto Scaling group ${group.name}.`) // [R]
      if (input.ForceDelete === true) {
        // ForceDelete: the pool goes at once, its instances terminated without waiting for lifecycle actions.
        for (const w of pool.instances) if (w.state !== 'Warmed:Terminated') ec2.act(w.id, 'terminate')
        delete group.warmPool
      } else {
        // PendingDelete while its instances are terminated; the pool goes once empty (warm-pool.ts).
        pool.status = 'PendingDelete'
      }
      scaler.changed(group)
      return {}
    },
  }
}
