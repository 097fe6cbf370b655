// EC2's launch templates, Spot pins, requests, interruptions and fleets across a restart on one data dir.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  CreateFleetCommand, CreateLaunchTemplateCommand, CreateLaunchTemplateVersionCommand, DescribeFleetInstancesCommand, DescribeImagesCommand,
  DescribeInstancesCommand, DescribeLaunchTemplateVersionsCommand, DescribeSpotInstanceRequestsCommand, DescribeSpotPriceHistoryCommand, EC2Client,
  ModifyLaunchTemplateCommand, RunInstancesCommand,
} from '@aws-sdk/client-ec2'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { advance, testCredentials } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('EC2 durable launch templates', () => {
  it('keeps templates, their versions and default across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-ec2-fleet-'))
    dirs.push(dataDir)
    const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
    let nimbus: Nimbus = await open()
    const ec2 = () => new EC2Client({ endpoint: nimbus.endpoint, region: 'ca-central-1', credentials: testCredentials })

    const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*-x86_64'] }] }))
    const ImageId = Images![0]!.ImageId
    await ec2().send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'keep', LaunchTemplateData: { ImageId, InstanceType: 't3.micro' } }))
    await ec2().send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'keep', LaunchTemplateData: { ImageId, InstanceType: 'c5.large' } }))
    await ec2().send(new ModifyLaunchTemplateCommand({ LaunchTemplateName: 'keep', DefaultVersion: '2' }))

    await nimbus.stop()
    nimbus = await open()
    const { LaunchTemplateVersions } = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'keep' }))
    assert.deepEqual(LaunchTemplateVersions!.map((v) => [v.VersionNumber, v.DefaultVersion, v.LaunchTemplateData!.InstanceType]),
      [[2, true, 'c5.large'], [1, false, 't3.micro']])
    const run = await ec2().send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'keep' } }))
    assert.equal(run.Instances![0]!.InstanceType, 'c5.large')
    await nimbus.stop()
  })
  it('keeps pinned prices, Spot requests, a pending interruption and a maintained fleet across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-ec2-spot-'))
    dirs.push(dataDir)
    const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
    let nimbus: Nimbus = await open()
    const ec2 = () => new EC2Client({ endpoint: nimbus.endpoint, region: 'ca-central-1', credentials: testCredentials })
    const hook = (path: string, body: unknown = {}) =>
      rawRequest(nimbus.endpoint, { method: 'POST', path: `/_nimbus/ec2/${path}`, headers: jsonHeaders, body: JSON.stringify(body) })

    await hook('spot/prices', { availabilityZone: 'ca-central-1a', instanceType: 'c5.large', price: 0.0321 })
    const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*-x86_64'] }] }))
    const ImageId = Images![0]!.ImageId
    const spot = (await ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 'c5.large', MinCount: 2, MaxCount: 2,
      Placement: { AvailabilityZone: 'ca-central-1a' }, InstanceMarketOptions: { MarketType: 'spot' } }))).Instances!
    const { LaunchTemplate } = await ec2().send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'fleet', LaunchTemplateData: { ImageId, InstanceType: 'c5.large' } }))
    const { FleetId } = await ec2().send(new CreateFleetCommand({ Type: 'maintain',
      LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: LaunchTemplate!.LaunchTemplateId }, Overrides: [{ AvailabilityZone: 'ca-central-1a' }] }],
      TargetCapacitySpecification: { TotalTargetCapacity: 2, DefaultTargetCapacityType: 'spot' } }))
    // A notice now: the interruption is due 2 minutes later, after the restart.
    assert.equal((await hook(`instances/${spot[0]!.InstanceId}/interrupt`)).status, 200)

    await nimbus.stop()
    nimbus = await open()
    const price = await ec2().send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['c5.large'], AvailabilityZone: 'ca-central-1a' }))
    assert.equal(price.SpotPriceHistory![0]!.SpotPrice, '0.032100')
    const members = async () => (await ec2().send(new DescribeFleetInstancesCommand({ FleetId }))).ActiveInstances!.map((i) => i.InstanceId!)
    const before = await members()
    assert.equal(before.length, 2)
    await advance(nimbus, 120_000)
    const state = async (id: string) => (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.State!.Name
    assert.equal(await state(spot[0]!.InstanceId!), 'shutting-down')
    assert.equal(await state(spot[1]!.InstanceId!), 'running')
    const { SpotInstanceRequests } = await ec2().send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [spot[0]!.SpotInstanceRequestId!] }))
    assert.equal(SpotInstanceRequests![0]!.Status!.Code, 'instance-terminated-no-capacity')
    // The restored fleet still maintains its target.
    await hook(`instances/${before[0]}/interrupt`)
    await advance(nimbus, 120_000)
    const after = await members()
    assert.equal(after.length, 2)
    assert.ok(!after.includes(before[0]!))
    await nimbus.stop()
  })
})
