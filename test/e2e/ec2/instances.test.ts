// EC2 instances with @aws-sdk/client-ec2 on the manual clock: the AMI and instance-type catalogs,
// RunInstances, the state machine (pending → running → stopping → stopped…, terminated visible an
// hour), DescribeInstances with filters and pagination, status checks, termination protection.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateKeyPairCommand, DescribeImagesCommand, DescribeInstanceAttributeCommand, DescribeInstancesCommand, DescribeInstanceStatusCommand,
  DescribeInstanceTypesCommand, DescribeSubnetsCommand, EC2Client, EC2ServiceException, ModifyInstanceAttributeCommand,
  RebootInstancesCommand, RunInstancesCommand, StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()
const client = (region = 'us-east-1') => new EC2Client({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })

async function rejects(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, code)
    if (typeof message === 'string') assert.equal(error.message, message)
    else if (message !== undefined) assert.match(error.message, message)
    return true
  })
}

async function amazonLinux(ec2: EC2Client, arch = 'x86_64'): Promise<string> {
  const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'],
    Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*'] }, { Name: 'architecture', Values: [arch] }] }))
  assert.equal(Images!.length, 1)
  return Images![0]!.ImageId!
}

const stateOf = async (ec2: EC2Client, id: string) =>
  (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.State!.Name

describe('EC2 images and instance types', () => {
  it('DescribeImages: owners, names, architectures, ids per region', async () => {
    const ec2 = client()
    const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))
    assert.ok(Images!.some((i) => i.Name!.startsWith('Windows_Server-2022-English-Full-Base') && (i.Platform as string) === 'windows'))
    assert.ok(!Images!.some((i) => i.Name!.startsWith('ubuntu')))
    const ubuntu = await ec2.send(new DescribeImagesCommand({ Owners: ['099720109477'], Filters: [{ Name: 'name', Values: ['*noble-24.04-amd64*'] }] }))
    assert.equal(ubuntu.Images!.length, 1)
    assert.equal(ubuntu.Images![0]!.Architecture, 'x86_64')
    assert.equal((await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images!.length, 0)
    const here = await amazonLinux(ec2)
    const there = await amazonLinux(client('eu-west-1'))
    assert.notEqual(here, there)
    await rejects(ec2.send(new DescribeImagesCommand({ ImageIds: [there] })), 'InvalidAMIID.NotFound', `The image id '[${there}]' does not exist`)
    await rejects(ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-12'] })), 'InvalidAMIID.Malformed', 'Invalid id: "ami-12" (expecting "ami-...")')
  })

  it('DescribeInstanceTypes: real vCPU and memory figures, filters', async () => {
    const ec2 = client()
    const { InstanceTypes } = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro', 'm5.large', 'r5.2xlarge'] }))
    const figures = Object.fromEntries(InstanceTypes!.map((t) => [t.InstanceType, [t.VCpuInfo!.DefaultVCpus, t.MemoryInfo!.SizeInMiB, t.BurstablePerformanceSupported]]))
    assert.deepEqual(figures, { 't3.micro': [2, 1024, true], 'm5.large': [2, 8192, false], 'r5.2xlarge': [8, 65536, false] })
    const burstable = await ec2.send(new DescribeInstanceTypesCommand({ Filters: [{ Name: 'burstable-performance-supported', Values: ['true'] }], MaxResults: 100 }))
    assert.equal(burstable.InstanceTypes!.length, 28)
    await rejects(ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.bogus' as never] })), 'InvalidInstanceType')
  })

  it('Graviton types are arm64: an arm64 AMI launches on t4g.micro, an x86_64 one is refused', async () => {
    const ec2 = client()
    const { InstanceTypes } = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t4g.micro', 'c7g.large'] }))
    assert.deepEqual(InstanceTypes!.map((t) => [t.InstanceType, t.ProcessorInfo!.SupportedArchitectures, t.VCpuInfo!.DefaultVCpus, t.MemoryInfo!.SizeInMiB]).sort(),
      [['c7g.large', ['arm64'], 2, 4096], ['t4g.micro', ['arm64'], 2, 1024]])
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: await amazonLinux(ec2, 'arm64'), InstanceType: 't4g.micro', MinCount: 1, MaxCount: 1 }))
    assert.equal(Instances![0]!.Architecture, 'arm64')
    await rejects(ec2.send(new RunInstancesCommand({ ImageId: await amazonLinux(ec2), InstanceType: 't4g.micro', MinCount: 1, MaxCount: 1 })),
      'InvalidParameterValue', /architecture 'arm64' of the specified instance type does not match the architecture 'x86_64'/)
  })
})

describe('EC2 instances on the clock', () => {
  it('runs instances into a default subnet with private and public IPs, tags, groups; pending → running', async () => {
    const ec2 = client()
    const ImageId = await amazonLinux(ec2)
    // RunInstances checks KeyName against the account's key pairs.
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'my-key', KeyType: 'ed25519' }))
    const run = await ec2.send(new RunInstancesCommand({ ImageId, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2,
      Placement: { AvailabilityZone: 'us-east-1b' }, KeyName: 'my-key', UserData: Buffer.from('#!/bin/sh\necho hi').toString('base64'),
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }, { Key: 'tier', Value: 'front' }] }] }))
    assert.match(run.ReservationId!, /^r-[0-9a-f]{17}$/)
    assert.equal(run.Instances!.length, 2)
    const [a, b] = run.Instances!
    assert.match(a!.InstanceId!, /^i-[0-9a-f]{17}$/)
    assert.equal(a!.State!.Name, 'pending')
    assert.equal(a!.State!.Code, 0)
    assert.equal(a!.Placement!.AvailabilityZone, 'us-east-1b')
    assert.equal(a!.PrivateIpAddress, '172.31.16.4')
    assert.equal(b!.PrivateIpAddress, '172.31.16.5')
    assert.equal(b!.AmiLaunchIndex, 1)
    assert.match(a!.PublicIpAddress!, /^\d+\.\d+\.\d+\.\d+$/)
    assert.equal(a!.KeyName, 'my-key')
    assert.deepEqual(a!.Tags, [{ Key: 'Name', Value: 'web' }, { Key: 'tier', Value: 'front' }])
    assert.equal(a!.SecurityGroups![0]!.GroupName, 'default')
    const subnets = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [a!.SubnetId!] }))
    assert.equal(subnets.Subnets![0]!.AvailableIpAddressCount, 4089)
    await advance(nimbus.current, 59_000)
    assert.equal(await stateOf(ec2, a!.InstanceId!), 'running')
    const userData = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: a!.InstanceId, Attribute: 'userData' }))
    assert.equal(Buffer.from(userData.UserData!.Value!, 'base64').toString(), '#!/bin/sh\necho hi')
  })

  it('stop, start, reboot and terminate follow AWS\'s states; terminated stays an hour, then is gone', async () => {
    const ec2 = client('us-east-2')
    const ImageId = await amazonLinux(ec2)
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId, InstanceType: 't3.small', MinCount: 1, MaxCount: 1 }))
    const id = Instances![0]!.InstanceId!
    await rejects(ec2.send(new StopInstancesCommand({ InstanceIds: [id] })), 'IncorrectInstanceState',
      `Instance '${id}' cannot be stopped as it has never reached the 'running' state.`)
    await advance(nimbus.current, 60_000)
    const stopping = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }))
    assert.deepEqual(stopping.StoppingInstances, [{ InstanceId: id, PreviousState: { Code: 16, Name: 'running' }, CurrentState: { Code: 64, Name: 'stopping' } }])
    const stoppingView = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!
    assert.equal(stoppingView.PublicIpAddress, undefined)
    assert.match(stoppingView.StateTransitionReason!, /^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/)
    await advance(nimbus.current, 60_000)
    assert.equal(await stateOf(ec2, id), 'stopped')
    await rejects(ec2.send(new RebootInstancesCommand({ InstanceIds: [id] })), 'IncorrectInstanceState',
      `The instance '${id}' is not in a state from which it can be rebooted.`)
    const started = await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }))
    assert.equal(started.StartingInstances![0]!.CurrentState!.Name, 'pending')
    await advance(nimbus.current, 60_000)
    await ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }))
    assert.equal(await stateOf(ec2, id), 'running')
    const terminating = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))
    assert.equal(terminating.TerminatingInstances![0]!.CurrentState!.Name, 'shutting-down')
    await advance(nimbus.current, 60_000)
    assert.equal(await stateOf(ec2, id), 'terminated')
    await rejects(ec2.send(new StartInstancesCommand({ InstanceIds: [id] })), 'IncorrectInstanceState',
      `The instance '${id}' is not in a state from which it can be started.`)
    await advance(nimbus.current, 3_500_000)
    assert.equal(await stateOf(ec2, id), 'terminated')
    await advance(nimbus.current, 100_000)
    await rejects(ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })), 'InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`)
  })

  it('DescribeInstances: reservations, tag and state filters, pagination; id errors', async () => {
    const ec2 = client('sa-east-1')
    const ImageId = await amazonLinux(ec2)
    for (const env of ['prod', 'dev', 'prod']) {
      await ec2.send(new RunInstancesCommand({ ImageId, InstanceType: 't3.nano', MinCount: 3, MaxCount: 3,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'env', Value: env }] }] }))
    }
    const prod = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:env', Values: ['prod'] }] }))
    assert.equal(prod.Reservations!.length, 2)
    assert.deepEqual(prod.Reservations!.map((r) => r.Instances!.length), [3, 3])
    const pending = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['pending'] },
      { Name: 'tag-key', Values: ['env'] }] }))
    assert.equal(pending.Reservations!.flatMap((r) => r.Instances!).length, 9)
    const seen: string[] = []
    let NextToken: string | undefined
    do {
      const page = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken }))
      seen.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)))
      NextToken = page.NextToken
    } while (NextToken !== undefined)
    assert.equal(new Set(seen).size, 9)
    await rejects(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0', 'i-0123456789abcdef1'] })),
      'InvalidInstanceID.NotFound', "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist")
    await rejects(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['web-1'] })), 'InvalidInstanceID.Malformed', 'Invalid id: "web-1"')
    await rejects(ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', MinCount: 1, MaxCount: 1 })),
      'InvalidAMIID.NotFound', "The image id '[ami-0123456789abcdef0]' does not exist")
    await rejects(ec2.send(new RunInstancesCommand({ ImageId: 'my-image', MinCount: 1, MaxCount: 1 })),
      'InvalidAMIID.Malformed', 'Invalid id: "my-image" (expecting "ami-...")')
    await rejects(ec2.send(new RunInstancesCommand({ ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
      SubnetId: 'subnet-0123456789abcdef0' })), 'InvalidSubnetID.NotFound', "The subnet ID 'subnet-0123456789abcdef0' does not exist")
  })

  it('termination protection: OperationNotPermitted until the attribute is lifted', async () => {
    const ec2 = client('eu-north-1')
    const ImageId = await amazonLinux(ec2)
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', DisableApiTermination: true }))
    const id = Instances![0]!.InstanceId!
    await rejects(ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })), 'OperationNotPermitted',
      `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`)
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }))
    const attribute = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiTermination' }))
    assert.equal(attribute.DisableApiTermination!.Value, false)
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))
  })

  it('status checks: initializing instances are not listed; the status hook impairs and restores', async () => {
    const ec2 = client('ap-northeast-1')
    const ImageId = await amazonLinux(ec2)
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }))
    const id = Instances![0]!.InstanceId!
    assert.deepEqual((await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }))).InstanceStatuses, [])
    const all = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id], IncludeAllInstances: true }))
    assert.equal(all.InstanceStatuses![0]!.SystemStatus!.Status, 'not-applicable')
    await advance(nimbus.current, 60_000)
    const ok = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }))
    assert.equal(ok.InstanceStatuses![0]!.SystemStatus!.Status, 'ok')
    assert.equal(ok.InstanceStatuses![0]!.InstanceStatus!.Details![0]!.Status, 'passed')
    const hook = await rawRequest(nimbus.current.endpoint, { path: `/_nimbus/ec2/instances/${id}/status`, headers: jsonHeaders,
      body: JSON.stringify({ system: 'impaired' }) })
    assert.equal(hook.status, 200)
    const impaired = await ec2.send(new DescribeInstanceStatusCommand({ Filters: [{ Name: 'system-status.status', Values: ['impaired'] }] }))
    assert.deepEqual(impaired.InstanceStatuses!.map((s) => [s.InstanceId, s.SystemStatus!.Status, s.SystemStatus!.Details![0]!.Status, s.InstanceStatus!.Status]),
      [[id, 'impaired', 'failed', 'ok']])
    await rawRequest(nimbus.current.endpoint, { path: `/_nimbus/ec2/instances/${id}/status`, headers: jsonHeaders,
      body: JSON.stringify({ system: 'ok', instance: 'impaired' }) })
    const after = (await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }))).InstanceStatuses![0]!
    assert.deepEqual([after.SystemStatus!.Status, after.InstanceStatus!.Status], ['ok', 'impaired'])
  })

  it('the CPU hook stores the utilization the EC2 port reports; bad hook input is a 400', async () => {
    const ec2 = client('ap-south-1')
    const ImageId = await amazonLinux(ec2)
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }))
    const id = Instances![0]!.InstanceId!
    assert.equal(nimbus.current.services.ec2.instance(id)!.cpuPercent, 0)
    const set = await rawRequest(nimbus.current.endpoint, { path: `/_nimbus/ec2/instances/${id}/cpu`, headers: jsonHeaders, body: '{"percent": 85}' })
    assert.equal(set.status, 200)
    assert.equal(nimbus.current.services.ec2.instance(id)!.cpuPercent, 85)
    const bad = await rawRequest(nimbus.current.endpoint, { path: `/_nimbus/ec2/instances/${id}/cpu`, headers: jsonHeaders, body: '{"percent": "lots"}' })
    assert.equal(bad.status, 400)
    const unknown = await rawRequest(nimbus.current.endpoint, { path: '/_nimbus/ec2/instances/i-0123456789abcdef0/cpu', headers: jsonHeaders, body: '{"percent": 1}' })
    assert.equal(unknown.status, 404)
  })
})
