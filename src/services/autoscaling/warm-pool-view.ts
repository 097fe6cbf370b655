// A warm pool as DescribeWarmPool and DescribeAutoScalingGroups answer it.
import type { WarmPoolConfiguration } from './generated/types.ts'
import type { WarmPool } from './group.ts'

export function warmPoolConfiguration(pool: WarmPool): WarmPoolConfiguration {
  return {
    ...(pool.maxGroupPreparedCapacity !== undefined && pool.maxGroupPreparedCapacity >= 0 && { MaxGroupPreparedCapacity: pool.maxGroupPreparedCapacity }),
    MinSize: pool.minSize, PoolState: pool.poolState,
    ...(pool.status !== undefined && { Status: pool.status }),
    InstanceReusePolicy: { ReuseOnScaleIn: pool.reuseOnScaleIn },
  }
}
