// On-Demand limits with @aws-sdk/client-ec2 and Nimbus's hooks: the vCPU quota (VcpuLimitExceeded,
// MaxCount trimmed to what fits), the capacity model per zone and type (InsufficientInstanceCapacity,
// a zone with room chosen when none is asked for), DescribeInstanceTypeOfferings, and Auto Scaling
// hearing the same errors through EC2's port.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DescribeImagesCommand, DescribeInstanceTypeOfferingsCommand, EC2Client, EC2ServiceException, RunInstancesCommand, StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { activities, describeGroup, group } from '../../helpers/autoscaling.ts'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()
const ec2 = (region = 'ap-southeast-2') => new EC2Client({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials, maxAttempts: 1 })
const hook = (path: string, body: unknown) =>
  rawRequest(nimbus.current.endpoint, { method: 'POST', path: `/_nimbus/ec2/${path}`, headers: jsonHeaders, body: JSON.stringify(body) })

async function rejects(promise: Promise<unknown>, code: string, message?: string): Promise<number> {
  let status = 0
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, code)
    if (message !== undefined) assert.equal(error.message, message)
    status = error.$metadata.httpStatusCode ?? 0
    return true
  })
  return status
}

async function imageId(region = 'ap-southeast-2'): Promise<string> {
  const { Images } = await ec2(region).send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
  return Images![0]!.ImageId!
}

const vcpuMessage = (limit: number) => `You have requested more vCPU capacity than your current vCPU limit of ${limit} allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`

describe('EC2 On-Demand limits', () => {
  it('VcpuLimitExceeded past the account\'s running On-Demand Standard vCPUs; stopped instances free theirs', async () => {
    const set = await hook('quotas', { vcpus: 16, region: 'ap-southeast-2' })
    assert.equal(set.status, 200)
    const ImageId = await imageId()
    // 3 × c5.xlarge = 12 vCPUs; one more (4) fits exactly, then nothing does.
    const first = await ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 'c5.xlarge', MinCount: 3, MaxCount: 3 }))
    assert.equal(first.Instances!.length, 3)
    await rejects(ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 'm5.2xlarge', MinCount: 1, MaxCount: 1 })), 'VcpuLimitExceeded', vcpuMessage(16))
    // Between MinCount and MaxCount AWS launches what fits.
    const trimmed = await ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 5 }))
    assert.equal(trimmed.Instances!.length, 2)
    await rejects(ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })), 'VcpuLimitExceeded')
    // Spot instances don't count against the On-Demand quota.
    const spot = await ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 'c5.large', MinCount: 1, MaxCount: 1,
      InstanceMarketOptions: { MarketType: 'spot' } }))
    assert.equal(spot.Instances!.length, 1)
    await advance(nimbus.current, 30_000)
    await ec2().send(new StopInstancesCommand({ InstanceIds: [first.Instances![0]!.InstanceId!] }))
    const after = await ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 'c5.xlarge', MinCount: 1, MaxCount: 1 }))
    assert.equal(after.Instances!.length, 1)
    // Another region has no quota set; removing it lifts the limit.
    assert.equal((await ec2('eu-west-1').send(new RunInstancesCommand({ ImageId: await imageId('eu-west-1'), InstanceType: 'c5.4xlarge', MinCount: 2, MaxCount: 2 }))).Instances!.length, 2)
    assert.equal((await hook('quotas', { vcpus: null, region: 'ap-southeast-2' })).status, 200)
    assert.equal((await ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 'c5.4xlarge', MinCount: 1, MaxCount: 1 }))).Instances!.length, 1)
    assert.equal((await hook('quotas', { vcpus: -1 })).status, 400)
    assert.equal((await hook('quotas', { vcpus: 4, account: '123456789012' })).status, 400)
  })

  it('InsufficientInstanceCapacity from a zone\'s pinned capacity; without a zone, one with room is chosen', async () => {
    const ImageId = await imageId('us-west-1')
    const pin = await hook('capacity', { availabilityZone: 'us-west-1a', instanceType: 'r5.large', capacity: 2 })
    assert.deepEqual(JSON.parse(pin.body), { availabilityZone: 'us-west-1a', instanceType: 'r5.large', capacity: 2, available: 2 })
    const two = await ec2('us-west-1').send(new RunInstancesCommand({ ImageId, InstanceType: 'r5.large', MinCount: 1, MaxCount: 3, Placement: { AvailabilityZone: 'us-west-1a' } }))
    assert.equal(two.Instances!.length, 2)
    const status = await rejects(ec2('us-west-1').send(new RunInstancesCommand({ ImageId, InstanceType: 'r5.large', MinCount: 1, MaxCount: 1,
      Placement: { AvailabilityZone: 'us-west-1a' } })), 'InsufficientInstanceCapacity',
    'We currently do not have sufficient r5.large capacity in the Availability Zone you requested (us-west-1a). Our system will be working on provisioning additional capacity. You can currently get r5.large capacity by not specifying an Availability Zone in your request or choosing us-west-1b.')
    assert.equal(status, 500)
    // Other types in the zone are not limited; without a zone the launch goes where there is room.
    await ec2('us-west-1').send(new RunInstancesCommand({ ImageId, InstanceType: 'r5.xlarge', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'us-west-1a' } }))
    const elsewhere = await ec2('us-west-1').send(new RunInstancesCommand({ ImageId, InstanceType: 'r5.large', MinCount: 1, MaxCount: 1 }))
    assert.equal(elsewhere.Instances![0]!.Placement!.AvailabilityZone, 'us-west-1b')
    // A terminated instance gives its place back.
    await ec2('us-west-1').send(new TerminateInstancesCommand({ InstanceIds: [two.Instances![0]!.InstanceId!] }))
    await ec2('us-west-1').send(new RunInstancesCommand({ ImageId, InstanceType: 'r5.large', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'us-west-1a' } }))
    await hook('capacity', { availabilityZone: 'us-west-1b', instanceType: 'r5.large', capacity: 0 })
    await rejects(ec2('us-west-1').send(new RunInstancesCommand({ ImageId, InstanceType: 'r5.large', MinCount: 1, MaxCount: 1 })), 'InsufficientInstanceCapacity',
      'We currently do not have sufficient r5.large capacity in the Availability Zone you requested (us-west-1a). Our system will be working on provisioning additional capacity.')
    assert.equal((await hook('capacity', { availabilityZone: 'us-west-1z', instanceType: 'r5.large', capacity: 1 })).status, 400)
    assert.equal((await hook('capacity', { availabilityZone: 'us-west-1a', instanceType: 'r5.large', capacity: 'lots' })).status, 400)
  })

  it('DescribeInstanceTypeOfferings by region, zone and zone id', async () => {
    const region = await ec2('us-east-1').send(new DescribeInstanceTypeOfferingsCommand({ Filters: [{ Name: 'instance-type', Values: ['t3.micro', 'c5.large'] }] }))
    assert.deepEqual(region.InstanceTypeOfferings!.map((o) => [o.InstanceType, o.LocationType, o.Location]).sort(),
      [['c5.large', 'region', 'us-east-1'], ['t3.micro', 'region', 'us-east-1']])
    const zones = await ec2('us-east-1').send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone',
      Filters: [{ Name: 'instance-type', Values: ['m5.large'] }] }))
    assert.deepEqual(zones.InstanceTypeOfferings!.map((o) => o.Location), ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'])
    const ids = await ec2('us-east-1').send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone-id',
      Filters: [{ Name: 'location', Values: ['use1-az2'] }, { Name: 'instance-type', Values: ['t3.*'] }] }))
    assert.ok(ids.InstanceTypeOfferings!.length >= 7)
    assert.ok(ids.InstanceTypeOfferings!.every((o) => o.Location === 'use1-az2' && o.InstanceType!.startsWith('t3.')))
    const page = await ec2('us-east-1').send(new DescribeInstanceTypeOfferingsCommand({ MaxResults: 5 }))
    assert.equal(page.InstanceTypeOfferings!.length, 5)
    assert.ok(page.NextToken !== undefined)
    await rejects(ec2('us-east-1').send(new DescribeInstanceTypeOfferingsCommand({ Filters: [{ Name: 'vcpus', Values: ['2'] }] })), 'InvalidParameterValue')
  })

  it('Auto Scaling hears VcpuLimitExceeded through EC2\'s port as a failed launch', async () => {
    await hook('quotas', { vcpus: 4, region: 'us-east-1' })
    const name = await group(nimbus.current, { min: 0, max: 3, desired: 3, zones: ['us-east-1c'] })
    await advance(nimbus.current, 0)
    const failed = (await activities(nimbus.current, name)).filter((a) => a.StatusCode === 'Failed')
    assert.ok(failed.length >= 1)
    assert.match(failed[0]!.StatusMessage!, /You have requested more vCPU capacity than your current vCPU limit of 4 allows/)
    assert.ok((await describeGroup(nimbus.current, name)).Instances!.length <= 2)
    await hook('quotas', { vcpus: null, region: 'us-east-1' })
  })
})
