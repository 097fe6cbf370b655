// Placement groups with @aws-sdk/client-ec2: cluster/spread/partition, AWS's limits (7 running
// instances per zone in a spread group, ≤ 7 partitions), partition numbers, and deletion in use.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreatePlacementGroupCommand, DeletePlacementGroupCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribePlacementGroupsCommand,
  EC2Client, EC2ServiceException, RunInstancesCommand, TerminateInstancesCommand, type Placement,
} from '@aws-sdk/client-ec2'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'ap-southeast-2', credentials: testCredentials })

async function rejects(promise: Promise<unknown>, code: string, message?: string): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, code)
    if (message !== undefined) assert.equal(error.message, message)
    return true
  })
}

async function run(count: number, placement: Placement) {
  const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
  const { Instances } = await ec2().send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, InstanceType: 'c5.large', MinCount: count, MaxCount: count, Placement: placement }))
  return Instances!
}

describe('EC2 placement groups', () => {
  it('creates, describes and deletes groups of each strategy; AWS\'s errors', async () => {
    const { PlacementGroup } = await ec2().send(new CreatePlacementGroupCommand({ GroupName: 'hpc', Strategy: 'cluster' }))
    assert.match(PlacementGroup!.GroupId!, /^pg-[0-9a-f]{17}$/)
    assert.deepEqual([PlacementGroup!.State, PlacementGroup!.Strategy], ['available', 'cluster'])
    await ec2().send(new CreatePlacementGroupCommand({ GroupName: 'etcd', Strategy: 'spread' }))
    await ec2().send(new CreatePlacementGroupCommand({ GroupName: 'kafka', Strategy: 'partition', PartitionCount: 3 }))
    await rejects(ec2().send(new CreatePlacementGroupCommand({ GroupName: 'hpc', Strategy: 'cluster' })),
      'InvalidPlacementGroup.Duplicate', 'The Placement Group \'hpc\' already exists.')
    await rejects(ec2().send(new CreatePlacementGroupCommand({ GroupName: 'big', Strategy: 'partition', PartitionCount: 8 })), 'InvalidParameterValue')
    const { PlacementGroups } = await ec2().send(new DescribePlacementGroupsCommand({ Filters: [{ Name: 'strategy', Values: ['spread', 'partition'] }] }))
    assert.deepEqual(PlacementGroups!.map((g) => [g.GroupName, g.PartitionCount]), [['etcd', undefined], ['kafka', 3]])
    await rejects(ec2().send(new DescribePlacementGroupsCommand({ GroupNames: ['nope'] })), 'InvalidPlacementGroup.Unknown', 'The Placement Group \'nope\' is unknown.')
    await ec2().send(new DeletePlacementGroupCommand({ GroupName: 'hpc' }))
    await rejects(ec2().send(new DeletePlacementGroupCommand({ GroupName: 'hpc' })), 'InvalidPlacementGroup.Unknown')
  })

  it('holds 7 running instances per zone in a spread group; cluster stays in one zone; in-use groups are kept', async () => {
    await ec2().send(new CreatePlacementGroupCommand({ GroupName: 'spread-7', Strategy: 'spread' }))
    const first = await run(7, { GroupName: 'spread-7', AvailabilityZone: 'ap-southeast-2a' })
    assert.equal(first[0]!.Placement!.GroupName, 'spread-7')
    await rejects(run(1, { GroupName: 'spread-7', AvailabilityZone: 'ap-southeast-2a' }), 'InvalidParameterValue')
    await run(1, { GroupName: 'spread-7', AvailabilityZone: 'ap-southeast-2b' }) // another zone has room
    await rejects(ec2().send(new DeletePlacementGroupCommand({ GroupName: 'spread-7' })),
      'InvalidPlacementGroup.InUse', 'The placement group \'spread-7\' is in use and may not be deleted.')
    await advance(nimbus.current, 10_000)
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [first[0]!.InstanceId!] }))
    await run(1, { GroupName: 'spread-7', AvailabilityZone: 'ap-southeast-2a' }) // a terminated one frees its place

    await ec2().send(new CreatePlacementGroupCommand({ GroupName: 'tight', Strategy: 'cluster' }))
    await run(2, { GroupName: 'tight', AvailabilityZone: 'ap-southeast-2c' })
    await rejects(run(1, { GroupName: 'tight', AvailabilityZone: 'ap-southeast-2a' }),
      'InvalidPlacementGroup.InUse', 'The placement group \'tight\' is in use in another availability zone: ap-southeast-2c')
    await rejects(run(1, { GroupName: 'ghost' }), 'InvalidPlacementGroup.Unknown', 'The Placement Group \'ghost\' is unknown.')
  })

  it('spreads instances over a partition group\'s partitions or puts them in the one asked for', async () => {
    await ec2().send(new CreatePlacementGroupCommand({ GroupName: 'parts', Strategy: 'partition', PartitionCount: 3 }))
    const spread = await run(4, { GroupName: 'parts' })
    assert.deepEqual(spread.map((i) => i.Placement!.PartitionNumber), [1, 2, 3, 1])
    const pinned = await run(2, { GroupName: 'parts', PartitionNumber: 3 })
    assert.deepEqual(pinned.map((i) => i.Placement!.PartitionNumber), [3, 3])
    await rejects(run(1, { GroupName: 'parts', PartitionNumber: 4 }), 'InvalidParameterValue')
    const { Reservations } = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [pinned[0]!.InstanceId!] }))
    assert.deepEqual(Reservations![0]!.Instances![0]!.Placement!.PartitionNumber, 3)
  })
})
