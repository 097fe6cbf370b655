// EC2 state across restarts on one data dir (in process): VPCs, subnets, groups and rules, tags,
// instances with their states still moving on the restored clock, hooks' values, Elastic IP associations; reset empties it.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  AllocateAddressCommand, AssociateAddressCommand, AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateSubnetCommand,
  CreateTagsCommand, CreateVpcCommand, DescribeAddressesCommand, DescribeImagesCommand, DescribeInstancesCommand,
  DescribeInstanceStatusCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client,
  RunInstancesCommand, StopInstancesCommand,
} from '@aws-sdk/client-ec2'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { advance, testCredentials } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('EC2 durable state', () => {
  it('keeps networks, groups, tags, instances, hook values and Elastic IPs across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-ec2-durable-'))
    dirs.push(dataDir)
    const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
    let nimbus: Nimbus = await open()
    const client = () => new EC2Client({ endpoint: nimbus.endpoint, region: 'eu-west-2', credentials: testCredentials })
    let ec2 = client()

    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.20.1.0/24', AvailabilityZone: 'eu-west-2c' }))
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app', VpcId: Vpc!.VpcId }))
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }))
    await ec2.send(new CreateTagsCommand({ Resources: [Vpc!.VpcId!], Tags: [{ Key: 'Name', Value: 'durable' }] }))
    const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*-x86_64'] }] }))
    const ImageId = Images![0]!.ImageId
    const inVpc = await ec2.send(new RunInstancesCommand({ ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: Subnet!.SubnetId,
      SecurityGroupIds: [GroupId!], TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'role', Value: 'worker' }] }] }))
    const worker = inVpc.Instances![0]!.InstanceId!
    assert.equal(inVpc.Instances![0]!.PrivateIpAddress, '10.20.1.4')
    assert.equal(inVpc.Instances![0]!.PublicIpAddress, undefined)
    const web = (await ec2.send(new RunInstancesCommand({ ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!
    await advance(nimbus, 60_000)
    await ec2.send(new StopInstancesCommand({ InstanceIds: [worker] }))
    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({}))
    await ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: web }))
    await rawRequest(nimbus.endpoint, { path: `/_nimbus/ec2/instances/${web}/cpu`, headers: jsonHeaders, body: '{"percent": 42}' })
    await rawRequest(nimbus.endpoint, { path: `/_nimbus/ec2/instances/${web}/status`, headers: jsonHeaders, body: '{"instance": "impaired"}' })
    const before = await ec2.send(new DescribeInstancesCommand({}))

    ec2.destroy()
    await nimbus.stop()
    nimbus = await open()
    ec2 = client()

    const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['durable'] }] }))
    assert.deepEqual(vpcs.Vpcs!.map((v) => v.VpcId), [Vpc!.VpcId])
    assert.equal((await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.length, 2)
    const subnets = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [Subnet!.SubnetId!] }))
    assert.equal(subnets.Subnets![0]!.AvailableIpAddressCount, 250)
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }))
    assert.equal(groups.SecurityGroups![0]!.IpPermissions![0]!.FromPort, 80)
    const after = await ec2.send(new DescribeInstancesCommand({}))
    // The stopping worker was stopping at the restart: the restored clock moves it on to stopped.
    const strip = (r: typeof before) => r.Reservations!.flatMap((x) => x.Instances!.map((i) => ({ ...i, State: undefined })))
    assert.deepEqual(strip(after), strip(before))
    await advance(nimbus, 60_000)
    const states = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [worker, web] }))
    assert.deepEqual(states.Reservations!.map((r) => r.Instances![0]!.State!.Name), ['stopped', 'running'])
    assert.equal(states.Reservations![1]!.Instances![0]!.PublicIpAddress, PublicIp)
    assert.equal(nimbus.services.ec2.instance(web)!.cpuPercent, 42)
    const status = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [web] }))
    assert.equal(status.InstanceStatuses![0]!.InstanceStatus!.Status, 'impaired')
    const addresses = await ec2.send(new DescribeAddressesCommand({}))
    assert.deepEqual(addresses.Addresses!.map((a) => [a.AllocationId, a.InstanceId]), [[AllocationId, web]])

    await rawRequest(nimbus.endpoint, { path: '/_nimbus/reset', headers: jsonHeaders, body: '{}' })
    ec2.destroy()
    await nimbus.stop()
    nimbus = await open()
    ec2 = client()
    assert.deepEqual((await ec2.send(new DescribeInstancesCommand({}))).Reservations, [])
    assert.equal((await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.length, 1)
    ec2.destroy()
    await nimbus.stop()
  })
})
