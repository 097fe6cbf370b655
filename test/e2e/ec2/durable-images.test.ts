// EC2's own AMIs, launch volumes and On-Demand limits across a restart on one data dir: the image
// still pending becomes available on the restored clock, its launch restores its volumes, the vCPU
// quota and capacity pins still apply.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  CreateImageCommand, DescribeImagesCommand, DescribeInstancesCommand, EC2Client, EC2ServiceException, RunInstancesCommand,
} from '@aws-sdk/client-ec2'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { advance, testCredentials } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('EC2 durable own images and limits', () => {
  it('keeps them across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-ec2-ami-'))
    dirs.push(dataDir)
    const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
    let nimbus: Nimbus = await open()
    const ec2 = () => new EC2Client({ endpoint: nimbus.endpoint, region: 'ca-central-1', credentials: testCredentials, maxAttempts: 1 })
    const hook = (path: string, body: unknown) => rawRequest(nimbus.endpoint, { method: 'POST', path: `/_nimbus/ec2/${path}`, headers: jsonHeaders, body: JSON.stringify(body) })

    const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*-x86_64'] }] }))
    const run = await ec2().send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
      Placement: { AvailabilityZone: 'ca-central-1a' }, BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 40 } }] }))
    const instanceId = run.Instances![0]!.InstanceId!
    await advance(nimbus, 20_000)
    const { ImageId } = await ec2().send(new CreateImageCommand({ InstanceId: instanceId, Name: 'durable-image' }))
    assert.equal((await hook('quotas', { vcpus: 4, region: 'ca-central-1' })).status, 200)
    assert.equal((await hook('capacity', { availabilityZone: 'ca-central-1b', instanceType: 't3.small', capacity: 0 })).status, 200)

    await nimbus.stop()
    nimbus = await open()
    const instance = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!
    assert.deepEqual(instance.BlockDeviceMappings!.map((m) => m.DeviceName), ['/dev/xvda', '/dev/sdf'])
    const mine = await ec2().send(new DescribeImagesCommand({ Owners: ['self'] }))
    assert.deepEqual(mine.Images!.map((i) => [i.ImageId, i.State]), [[ImageId, 'pending']])
    await advance(nimbus, 60_000)
    assert.equal((await ec2().send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.State, 'available')
    // 2 of the 4 vCPUs are in use: one more t3.micro fits, a second does not; t3.small has no room in ca-central-1b.
    const fromImage = await ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'ca-central-1a' } }))
    assert.deepEqual(fromImage.Instances![0]!.BlockDeviceMappings!.map((m) => m.DeviceName), ['/dev/xvda', '/dev/sdf'])
    await assert.rejects(ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })),
      (error: EC2ServiceException) => error.name === 'VcpuLimitExceeded')
    await hook('quotas', { vcpus: null, region: 'ca-central-1' })
    await assert.rejects(ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'ca-central-1b' } })),
      (error: EC2ServiceException) => error.name === 'InsufficientInstanceCapacity')
    await nimbus.stop()
  })
})
