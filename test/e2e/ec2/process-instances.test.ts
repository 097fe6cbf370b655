// Process-backed instances (tag nimbus:process=true): the user data runs as a local process at
// first boot, with an Instance Metadata Service (IMDSv2 tokens) giving it the instance's identity,
// tags and its instance profile role's credentials. The notes' recipe runs for real: a Python
// script with boto3 inside the instance finds the Elastic IP by tag and associates it with itself.
// The script runs in real time: the test waits for its effect by polling Nimbus's state.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import {
  AllocateAddressCommand, DescribeAddressesCommand, DescribeImagesCommand, GetConsoleOutputCommand, DescribeInstancesCommand, EC2Client, EC2ServiceException, RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const config = () => ({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim()

const script = `#!${python}
import os, urllib.request, boto3
base = os.environ['AWS_EC2_METADATA_SERVICE_ENDPOINT'].rstrip('/')
put = urllib.request.Request(base + '/latest/api/token', method='PUT', headers={'X-aws-ec2-metadata-token-ttl-seconds': '300'})
token = urllib.request.urlopen(put).read().decode()
def md(path):
    return urllib.request.urlopen(urllib.request.Request(base + '/latest/meta-data/' + path, headers={'X-aws-ec2-metadata-token': token})).read().decode()
iid = md('instance-id')
print('booted', iid, md('placement/availability-zone'), md('tags/instance/Name'), flush=True)
ec2 = boto3.client('ec2')
address = ec2.describe_addresses(Filters=[{'Name': 'tag:Role', 'Values': ['web']}])['Addresses'][0]
ec2.associate_address(AllocationId=address['AllocationId'], InstanceId=iid, AllowReassociation=True)
print('associated', address['PublicIp'], boto3.client('sts').get_caller_identity()['Arn'], flush=True)
`

interface ProcessView { instanceId: string; metadataEndpoint?: string; output: string[] }

async function processOf(id: string, on: Nimbus = nimbus.current): Promise<{ status: number; body: ProcessView }> {
  const response = await fetch(`${on.endpoint}/_nimbus/ec2/instances/${id}/process`)
  return { status: response.status, body: await response.json() as ProcessView }
}

/** Real-time wait for the instance's own process (it is no clock work): polls Nimbus, at most 30 s. */
async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const got = await probe()
    if (got !== undefined) return got
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}

async function profile(): Promise<{ name: string; role: string }> {
  const iam = new IAMClient(config())
  const role = uniqueName('web-role')
  const name = uniqueName('web')
  await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }))
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }))
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: role }))
  return { name, role }
}

/** Amazon Linux 2023 (x86_64) from the catalog. */
async function al2023(ec2: EC2Client): Promise<string> {
  const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'],
    Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*'] }, { Name: 'architecture', Values: ['x86_64'] }] }))
  return Images![0]!.ImageId!
}

describe('EC2 process-backed instances', () => {
  it('runs the user data at boot with IMDS credentials: it associates the Elastic IP tagged for it', async () => {
    const ec2 = new EC2Client(config())
    const image = await al2023(ec2)
    const { name, role } = await profile()
    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc',
      TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: [{ Key: 'Role', Value: 'web' }] }] }))
    const { Instances } = await ec2.send(new RunInstancesCommand({
      ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, UserData: Buffer.from(script).toString('base64'),
      IamInstanceProfile: { Name: name }, MetadataOptions: { HttpTokens: 'required', InstanceMetadataTags: 'enabled' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web-1' }, { Key: 'nimbus:process', Value: 'true' }] }],
    }))
    const id = Instances![0]!.InstanceId!
    assert.equal(Instances![0]!.IamInstanceProfile?.Arn, `arn:aws:iam::000000000000:instance-profile/${name}`)
    assert.equal(Instances![0]!.MetadataOptions?.InstanceMetadataTags, 'enabled')
    // Still pending: nothing runs before the boot ends on the clock.
    assert.equal((await processOf(id)).status, 404)
    await advance(nimbus.current, 60_000)
    const associated = await until('the user data to associate the address', async () => {
      const { Addresses } = await ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))
      return Addresses![0]!.InstanceId === id ? Addresses![0] : undefined
    })
    assert.equal(associated.PublicIp, PublicIp)
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))
    assert.equal(Reservations![0]!.Instances![0]!.PublicIpAddress, PublicIp)
    const view = await until('the script\'s last line', async () => {
      const got = (await processOf(id)).body
      return got.output.some((l) => l.startsWith('associated')) ? got : undefined
    })
    const zone = Instances![0]!.Placement!.AvailabilityZone
    assert.ok(view.output.includes(`booted ${id} ${zone} web-1`), view.output.join('\n'))
    const { Output } = await ec2.send(new GetConsoleOutputCommand({ InstanceId: id }))
    assert.ok(Buffer.from(Output!, 'base64').toString().includes(`cloud-init[1702]: booted ${id}`))
    // Its calls were signed with the role's temporary credentials.
    assert.ok(view.output.includes(`associated ${PublicIp} arn:aws:sts::000000000000:assumed-role/${role}/${id}`), view.output.join('\n'))

    // The metadata service as a client sees it: IMDSv2 only (HttpTokens required).
    const imds = view.metadataEndpoint!
    assert.equal((await fetch(`${imds}/latest/meta-data/instance-id`)).status, 401)
    assert.equal((await fetch(`${imds}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '0' } })).status, 400)
    const token = await (await fetch(`${imds}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } })).text()
    const get = (path: string) => fetch(`${imds}/latest/${path}`, { headers: { 'x-aws-ec2-metadata-token': token } })
    const listing = (await (await get('meta-data/')).text()).split('\n')
    for (const entry of ['instance-id', 'placement/', 'iam/', 'tags/', 'local-ipv4']) assert.ok(listing.includes(entry), entry)
    assert.deepEqual(listing, [...listing].sort())
    assert.equal(await (await get('meta-data/iam/security-credentials/')).text(), role)
    const credentials = await (await get(`meta-data/iam/security-credentials/${role}`)).json() as Record<string, string>
    assert.equal(credentials.Code, 'Success')
    assert.match(credentials.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/)
    assert.equal(await (await get('meta-data/public-ipv4')).text(), PublicIp)
    assert.equal(await (await get('user-data')).text(), script)
    const identity = await (await get('dynamic/instance-identity/document')).json() as Record<string, string>
    assert.equal(identity.instanceId, id)
    assert.equal(identity.region, 'us-east-1')
    // Not in an Auto Scaling group, no Spot notice: those categories are absent.
    assert.equal((await get('meta-data/autoscaling/target-lifecycle-state')).status, 404)
    assert.equal((await get('meta-data/spot/instance-action')).status, 404)
    // The token lives on the clock: 60 s later it is refused.
    await advance(nimbus.current, 61_000)
    assert.equal((await get('meta-data/instance-id')).status, 401)

    // Terminating closes the metadata service.
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))
    assert.equal((await processOf(id)).body.metadataEndpoint, undefined)
    await assert.rejects(fetch(`${imds}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } }))
  })

  it('refuses an instance profile IAM does not have, and answers 404 for an instance without the tag', async () => {
    const ec2 = new EC2Client(config())
    const image = await al2023(ec2)
    await assert.rejects(ec2.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1, IamInstanceProfile: { Name: 'nobody' } })),
      (error: EC2ServiceException) => error.name === 'InvalidParameterValue'
        && error.message === 'Value (nobody) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name')
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1 }))
    await advance(nimbus.current, 60_000)
    const { status } = await processOf(Instances![0]!.InstanceId!)
    assert.equal(status, 404)
    // A tagged instance still pending says so; an unknown id is no instance at all.
    const tagged = await ec2.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1,
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'nimbus:process', Value: 'true' }] }] }))
    const pendingId = tagged.Instances![0]!.InstanceId!
    const pending = await fetch(`${nimbus.current.endpoint}/_nimbus/ec2/instances/${pendingId}/process`)
    assert.equal(pending.status, 404)
    assert.match(((await pending.json()) as { error: string }).error, /is pending: its process starts when it is running/)
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [pendingId] }))
    const unknown = await fetch(`${nimbus.current.endpoint}/_nimbus/ec2/instances/i-0123456789abcdef0/process`)
    assert.deepEqual([unknown.status, await unknown.json()], [404, { error: 'no instance i-0123456789abcdef0' }])
    // A malformed escape in the hook's path is a 400, not a 500.
    assert.equal((await fetch(`${nimbus.current.endpoint}/_nimbus/ec2/instances/%E0%A4%A/process`)).status, 400)
  })

  it('kills what the user data started, even a process in its own session, when the instance terminates', async () => {
    const ec2 = new EC2Client(config())
    // A line that never ends (100,000 characters) is told in pieces, not kept growing.
    const userData = '#!/bin/sh\nsetsid sleep 300 >/dev/null 2>&1 &\necho "daemon $!"\nhead -c 100000 /dev/zero | tr "\\0" a\n'
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: await al2023(ec2), MinCount: 1, MaxCount: 1,
      UserData: Buffer.from(userData).toString('base64'),
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'nimbus:process', Value: 'true' }] }] }))
    const id = Instances![0]!.InstanceId!
    await advance(nimbus.current, 60_000)
    const line = await until('the daemon\'s pid', async () => (await processOf(id)).body.output.find((l) => l.startsWith('daemon ')))
    const pid = Number(line.slice('daemon '.length))
    const pieces = await until('the long line', async () => {
      const out = (await processOf(id)).body.output.filter((l) => l.startsWith('a'))
      return out.join('').length === 100_000 ? out : undefined
    })
    assert.ok(pieces.length > 1 && pieces.every((l) => l.length <= 16_384), pieces.map((l) => l.length).join(' '))
    // Alive: /proc has it and it is no zombie.
    const alive = () => {
      try {
        return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
      } catch {
        return false
      }
    }
    assert.ok(alive(), `daemon ${pid} runs`)
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))
    await until('the daemon to be killed', async () => alive() ? undefined : true)
  })

  it('brings a running instance\'s IMDS back after a restart on its data dir, without running its user data again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-ec2-process-'))
    const marker = join(dataDir, 'ran')
    const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
    let own = await open()
    try {
      const ec2 = new EC2Client({ endpoint: own.endpoint, region: 'us-east-1', credentials: testCredentials })
      const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: await al2023(ec2), MinCount: 1, MaxCount: 1,
        UserData: Buffer.from(`#!/bin/sh\necho ran >> '${marker}'\n`).toString('base64'),
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'nimbus:process', Value: 'true' }] }] }))
      const id = Instances![0]!.InstanceId!
      await advance(own, 60_000)
      await until('the user data to run', async () => existsSync(marker) ? true : undefined)
      await own.stop()
      own = await open()
      const imds = await until('the metadata service back', async () => (await processOf(id, own)).body.metadataEndpoint)
      const token = await (await fetch(`${imds}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } })).text()
      assert.equal(await (await fetch(`${imds}/latest/meta-data/instance-id`, { headers: { 'x-aws-ec2-metadata-token': token } })).text(), id)
      assert.equal(readFileSync(marker, 'utf8'), 'ran\n')
    } finally {
      await own.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('shows a Spot interruption notice at spot/instance-action, two minutes ahead', async () => {
    const ec2 = new EC2Client(config())
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: await al2023(ec2), InstanceType: 'c5.large', MinCount: 1, MaxCount: 1,
      InstanceMarketOptions: { MarketType: 'spot' }, MetadataOptions: { HttpTokens: 'optional' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'nimbus:process', Value: 'true' }] }] }))
    const id = Instances![0]!.InstanceId!
    await advance(nimbus.current, 60_000)
    const imds = await until('the metadata service', async () => (await processOf(id)).body.metadataEndpoint)
    // HttpTokens optional: IMDSv1 answers without a token.
    assert.equal(await (await fetch(`${imds}/latest/meta-data/instance-life-cycle`)).text(), 'spot')
    assert.equal((await fetch(`${imds}/latest/meta-data/spot/instance-action`)).status, 404)
    // Paths naming no category are 404s, whatever they spell; other methods are refused.
    for (const path of ['constructor', '__proto__', 'toString/x', 'instance-id/more']) {
      assert.equal((await fetch(`${imds}/latest/meta-data/${path}`)).status, 404, path)
    }
    assert.equal((await fetch(`${imds}/latest/meta-data/instance-id`, { method: 'POST' })).status, 405)
    assert.equal((await fetch(`${imds}/latest/api/token`)).status, 405)
    const noticeAt = nimbus.current.clock.now()
    const hook = await fetch(`${nimbus.current.endpoint}/_nimbus/ec2/instances/${id}/interrupt`, { method: 'POST', headers: { 'content-type': 'application/json' } })
    assert.equal(hook.status, 200)
    const action = await (await fetch(`${imds}/latest/meta-data/spot/instance-action`)).json() as { action: string; time: string }
    assert.equal(action.action, 'terminate')
    assert.equal(Date.parse(action.time), Math.floor((noticeAt + 120_000) / 1000) * 1000)
  })
})
