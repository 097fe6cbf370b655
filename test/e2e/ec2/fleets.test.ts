// EC2 Fleet and Spot Fleet with @aws-sdk/client-ec2, allocating over a pinned price table:
// lowest-price, capacity-optimized, diversified, price-capacity-optimized; instant, request and
// maintain (an interrupted Spot instance replaced); Describe, delete/cancel; the port's allocation.
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import {
  CancelSpotFleetRequestsCommand, CreateFleetCommand, CreateLaunchTemplateCommand, DeleteFleetsCommand, DescribeFleetInstancesCommand,
  DescribeFleetsCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeSpotFleetInstancesCommand, DescribeSpotFleetRequestsCommand,
  EC2Client, RequestSpotFleetCommand, type FleetLaunchTemplateOverridesRequest,
} from '@aws-sdk/client-ec2'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'eu-west-1', credentials: testCredentials })
const hook = (path: string, body: unknown = {}) =>
  rawRequest(nimbus.current.endpoint, { method: 'POST', path: `/_nimbus/ec2/${path}`, headers: jsonHeaders, body: JSON.stringify(body) })

/** The price table: c5.large is cheapest in 1b, deepest in 1c. */
async function seedTable(): Promise<void> {
  const pins = [['eu-west-1a', 0.03, 5], ['eu-west-1b', 0.02, 6], ['eu-west-1c', 0.05, 60]] as const
  for (const [zone, price, capacity] of pins) {
    assert.equal((await hook('spot/prices', { availabilityZone: zone, instanceType: 'c5.large', price, capacity })).status, 200)
  }
}

async function template(): Promise<string> {
  const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
  const { LaunchTemplate } = await ec2().send(new CreateLaunchTemplateCommand({ LaunchTemplateName: `fleet-${Math.random().toString(36).slice(2)}`,
    LaunchTemplateData: { ImageId: Images![0]!.ImageId, InstanceType: 'c5.large' } }))
  return LaunchTemplate!.LaunchTemplateId!
}

const zones: FleetLaunchTemplateOverridesRequest[] = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'].map((AvailabilityZone) => ({ AvailabilityZone }))

async function zonesOf(ids: string[]): Promise<Record<string, number>> {
  const { Reservations } = await ec2().send(new DescribeInstancesCommand({ InstanceIds: ids }))
  const out: Record<string, number> = {}
  for (const i of Reservations!.flatMap((r) => r.Instances!)) out[i.Placement!.AvailabilityZone!] = (out[i.Placement!.AvailabilityZone!] ?? 0) + 1
  return out
}

async function instant(id: string, strategy: string, spot: number) {
  return ec2().send(new CreateFleetCommand({ Type: 'instant',
    LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: id, Version: '$Latest' }, Overrides: zones }],
    TargetCapacitySpecification: { TotalTargetCapacity: spot, DefaultTargetCapacityType: 'spot' },
    SpotOptions: { AllocationStrategy: strategy as 'lowest-price' } }))
}

describe('EC2 Fleet and Spot Fleet', () => {
  beforeEach(() => nimbus.current.reset())

  it('instant fleets allocate per strategy from the price table', async () => {
    await seedTable()
    const id = await template()
    const cheapest = await instant(id, 'lowest-price', 4)
    assert.match(cheapest.FleetId!, /^fleet-[0-9a-f-]{36}$/)
    assert.equal(cheapest.Instances!.length, 1)
    const group = cheapest.Instances![0]!
    assert.deepEqual([group.Lifecycle, group.InstanceType, group.LaunchTemplateAndOverrides!.Overrides!.AvailabilityZone, group.InstanceIds!.length],
      ['spot', 'c5.large', 'eu-west-1b', 4])
    const { Reservations } = await ec2().send(new DescribeInstancesCommand({ InstanceIds: group.InstanceIds }))
    const tags = Object.fromEntries(Reservations![0]!.Instances![0]!.Tags!.map((t) => [t.Key, t.Value]))
    assert.equal(tags['aws:ec2:fleet-id'], cheapest.FleetId)
    assert.equal(tags['aws:ec2launchtemplate:id'], id)

    // 1b holds 6 at most (4 used): lowest-price over 2 pools spreads evenly over the two cheapest.
    const two = await ec2().send(new CreateFleetCommand({ Type: 'instant',
      LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: id, Version: '1' }, Overrides: zones }],
      TargetCapacitySpecification: { TotalTargetCapacity: 4, DefaultTargetCapacityType: 'spot' },
      SpotOptions: { AllocationStrategy: 'lowest-price', InstancePoolsToUseCount: 2 } }))
    assert.deepEqual(await zonesOf(two.Instances!.flatMap((g) => g.InstanceIds!)), { 'eu-west-1a': 2, 'eu-west-1b': 2 })

    const deep = await instant(id, 'capacity-optimized', 3)
    assert.deepEqual(await zonesOf(deep.Instances!.flatMap((g) => g.InstanceIds!)), { 'eu-west-1c': 3 })
    const spread = await instant(id, 'diversified', 3)
    assert.deepEqual(await zonesOf(spread.Instances!.flatMap((g) => g.InstanceIds!)), { 'eu-west-1a': 2, 'eu-west-1c': 1 }) // 1b is full
    assert.equal(spread.Instances!.reduce((n, g) => n + g.InstanceIds!.length, 0), 3)

    // Nothing left within a maximum price: the fleet answers its errors.
    const none = await ec2().send(new CreateFleetCommand({ Type: 'instant',
      LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: id }, Overrides: [{ AvailabilityZone: 'eu-west-1a', MaxPrice: '0.001' }] }],
      TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'spot' } }))
    assert.deepEqual([none.Instances!.length, none.Errors![0]!.ErrorCode, none.Errors![0]!.Lifecycle], [0, 'InsufficientInstanceCapacity', 'spot'])

    const port = nimbus.current.services.ec2
    assert.deepEqual(port.spotAllocation('eu-west-1', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'].map((z) => ({ instanceType: 'c5.large', availabilityZone: z })),
      2, 'price-capacity-optimized'), [0, 0, 2])
  })

  it('a maintained fleet keeps its On-Demand and Spot targets: an interrupted instance is replaced', async () => {
    await seedTable()
    const id = await template()
    const { FleetId } = await ec2().send(new CreateFleetCommand({ Type: 'maintain',
      LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: id }, Overrides: zones }],
      TargetCapacitySpecification: { TotalTargetCapacity: 4, OnDemandTargetCapacity: 1, SpotTargetCapacity: 3, DefaultTargetCapacityType: 'spot' },
      SpotOptions: { AllocationStrategy: 'price-capacity-optimized' }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'x' }] }] }))
    const fleet = async () => (await ec2().send(new DescribeFleetsCommand({ FleetIds: [FleetId!] }))).Fleets![0]!
    const first = await fleet()
    assert.deepEqual([first.FleetState, first.ActivityStatus, first.FulfilledCapacity, first.FulfilledOnDemandCapacity], ['active', 'fulfilled', 4, 1])
    const members = async () => (await ec2().send(new DescribeFleetInstancesCommand({ FleetId }))).ActiveInstances!
    const before = await members()
    assert.equal(before.length, 4)
    const spot = before.find((i) => i.SpotInstanceRequestId !== undefined)!
    assert.equal((await hook(`instances/${spot.InstanceId}/interrupt`)).status, 200)
    await advance(nimbus.current, 120_000)
    const after = await members()
    assert.equal(after.length, 4)
    assert.ok(!after.some((i) => i.InstanceId === spot.InstanceId))
    const { Reservations } = await ec2().send(new DescribeInstancesCommand({ InstanceIds: after.map((i) => i.InstanceId!) }))
    assert.ok(Reservations!.flatMap((r) => r.Instances!).every((i) => i.Tags!.some((t) => t.Key === 'team' && t.Value === 'x')))

    const deleted = await ec2().send(new DeleteFleetsCommand({ FleetIds: [FleetId!, 'fleet-00000000-0000-0000-0000-000000000000'], TerminateInstances: true }))
    assert.deepEqual(deleted.SuccessfulFleetDeletions, [{ FleetId, PreviousFleetState: 'active', CurrentFleetState: 'deleted_terminating' }])
    assert.equal(deleted.UnsuccessfulFleetDeletions![0]!.Error!.Code, 'fleetIdDoesNotExist')
    assert.equal((await fleet()).FleetState, 'deleted')
  })

  it('RequestSpotFleet: launch specifications with weights, priceCapacityOptimized; describe and cancel', async () => {
    await seedTable()
    await hook('spot/prices', { availabilityZone: 'eu-west-1b', instanceType: 'c5.large', capacity: 2 })
    const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
    const ImageId = Images![0]!.ImageId
    const { SpotFleetRequestId } = await ec2().send(new RequestSpotFleetCommand({ SpotFleetRequestConfig: {
      IamFleetRole: 'arn:aws:iam::000000000000:role/aws-ec2-spot-fleet-tagging-role', TargetCapacity: 6, AllocationStrategy: 'priceCapacityOptimized',
      LaunchSpecifications: [
        { ImageId, InstanceType: 'c5.large', Placement: { AvailabilityZone: 'eu-west-1a, eu-west-1b, eu-west-1c' }, WeightedCapacity: 2 },
      ],
      TagSpecifications: [{ ResourceType: 'spot-fleet-request', Tags: [{ Key: 'app', Value: 'sf' }] }],
    } }))
    assert.match(SpotFleetRequestId!, /^sfr-[0-9a-f-]{36}$/)
    const config = (await ec2().send(new DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: [SpotFleetRequestId!] }))).SpotFleetRequestConfigs![0]
    assert.deepEqual([config!.SpotFleetRequestState, config!.ActivityStatus, config!.SpotFleetRequestConfig!.FulfilledCapacity,
      config!.SpotFleetRequestConfig!.AllocationStrategy, config!.SpotFleetRequestConfig!.TargetCapacity], ['active', 'fulfilled', 6, 'priceCapacityOptimized', 6])
    assert.deepEqual(config!.Tags, [{ Key: 'app', Value: 'sf' }])
    const { ActiveInstances } = await ec2().send(new DescribeSpotFleetInstancesCommand({ SpotFleetRequestId }))
    assert.equal(ActiveInstances!.length, 3) // 3 × weight 2
    // priceCapacityOptimized: the cheapest pool with room for all three (1b, cheaper, holds only 2).
    assert.deepEqual(await zonesOf(ActiveInstances!.map((i) => i.InstanceId!)), { 'eu-west-1a': 3 })
    const { Reservations } = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [ActiveInstances![0]!.InstanceId!] }))
    assert.ok(Reservations![0]!.Instances![0]!.Tags!.some((t) => t.Key === 'aws:ec2spot:fleet-request-id' && t.Value === SpotFleetRequestId))

    const cancelled = await ec2().send(new CancelSpotFleetRequestsCommand({ SpotFleetRequestIds: [SpotFleetRequestId!], TerminateInstances: true }))
    assert.deepEqual(cancelled.SuccessfulFleetRequests, [{ SpotFleetRequestId, PreviousSpotFleetRequestState: 'active', CurrentSpotFleetRequestState: 'cancelled_terminating' }])
    const gone = await ec2().send(new DescribeInstancesCommand({ InstanceIds: ActiveInstances!.map((i) => i.InstanceId!) }))
    assert.ok(gone.Reservations!.flatMap((r) => r.Instances!).every((i) => i.State!.Name === 'shutting-down'))
  })
})
