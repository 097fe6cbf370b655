// EC2 as its API reference and the AWS CLI document it: the instance waiters (running, stopped,
// terminated) with the clock moved, DescribeInstances' documented filters, MaxResults' 5–1000 bounds,
// and an instance type EC2 doesn't have refused as AWS words it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DescribeImagesCommand, DescribeInstancesCommand, EC2Client, ModifyInstanceAttributeCommand, paginateDescribeInstances, RunInstancesCommand,
  StopInstancesCommand, TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { awsCli } from '../../helpers/aws-cli.ts'
import { ec2Rejects } from '../../helpers/ec2.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const aws = <T = Record<string, unknown>>(...args: string[]) => awsCli<T>(nimbus.current, ...args)
const client = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
const al2023 = async (ec2: EC2Client) => {
  const out = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'],
    Filters: [{ Name: 'name', Values: ['al2023-ami-2023*'] }, { Name: 'architecture', Values: ['x86_64'] }] }))
  return out.Images![0]!.ImageId!
}

describe('EC2 waiters in the AWS CLI', () => {
  it('instance-running, instance-stopped and instance-terminated return once the clock has moved the instance there', async () => {
    // The SDK acts, the CLI (botocore's waiters over DescribeInstances) waits: each CLI start costs seconds.
    const ec2 = client()
    const ran = await ec2.send(new RunInstancesCommand({ ImageId: await al2023(ec2), InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))
    const id = ran.Instances![0]!.InstanceId!
    await advance(nimbus.current, 60_000)
    await aws('ec2', 'wait', 'instance-running', '--instance-ids', id)
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }))
    await advance(nimbus.current, 60_000)
    await aws('ec2', 'wait', 'instance-stopped', '--instance-ids', id)
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))
    await advance(nimbus.current, 60_000)
    await aws('ec2', 'wait', 'instance-terminated', '--instance-ids', id)
    const state = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))
    assert.equal(state.Reservations![0]!.Instances![0]!.State!.Name, 'terminated')
  })
})

describe('DescribeInstances filters and pages', () => {
  it('answers the documented filters (dns-name, platform-details, root-device-type, tenancy, interface addresses…)', async () => {
    const ec2 = client()
    const image = await al2023(ec2)
    const app = uniqueName('app')
    const ran = await ec2.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.small', MinCount: 2, MaxCount: 2,
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'app', Value: app }] }] }))
    await advance(nimbus.current, 60_000)
    const ids = ran.Instances!.map((i) => i.InstanceId!).sort()
    const first = ran.Instances![0]!
    const find = async (Name: string, Values: string[]) => {
      const out = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:app', Values: [app] }, { Name, Values }] }))
      return out.Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceId!).sort()
    }
    assert.deepEqual(await find('platform-details', ['Linux/UNIX']), ids)
    assert.deepEqual(await find('root-device-type', ['ebs']), ids)
    assert.deepEqual(await find('tenancy', ['default']), ids)
    assert.deepEqual(await find('virtualization-type', ['hvm']), ids)
    assert.deepEqual(await find('instance-state-name', ['running']), ids)
    assert.deepEqual(await find('network-interface.addresses.private-ip-address', [first.PrivateIpAddress!]), [first.InstanceId])
    assert.deepEqual(await find('private-dns-name', [first.PrivateDnsName!]), [first.InstanceId])
    assert.deepEqual(await find('dns-name', [first.PublicDnsName!]), [first.InstanceId])
    assert.deepEqual(await find('network-interface.subnet-id', [first.SubnetId!]), ids.filter((id) =>
      ran.Instances!.find((i) => i.InstanceId === id)!.SubnetId === first.SubnetId))
    await ec2Rejects(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] })),
      'InvalidParameterValue', "The filter 'no-such-filter' is invalid")
  })

  it('pages with MaxResults between 5 and 1000, and refuses MaxResults beside InstanceIds', async () => {
    const ec2 = client()
    const image = await al2023(ec2)
    const app = uniqueName('paged')
    await ec2.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.nano', MinCount: 7, MaxCount: 7,
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'app', Value: app }] }] }))
    const pages: number[] = []
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, { Filters: [{ Name: 'tag:app', Values: [app] }] })) {
      pages.push(page.Reservations!.flatMap((r) => r.Instances!).length)
    }
    assert.equal(pages.reduce((a, b) => a + b, 0), 7)
    assert.ok(pages.every((n) => n <= 5))
    await ec2Rejects(ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })), 'InvalidParameterValue',
      'Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5.')
    await ec2Rejects(ec2.send(new DescribeInstancesCommand({ MaxResults: 1001 })), 'InvalidParameterValue',
      'Value ( 1001 ) for parameter maxResults is invalid. Expecting a value less than 1000.')
    await ec2Rejects(ec2.send(new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: ['i-0123456789abcdef0'] })), 'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults')
  })
})

describe('instance types', () => {
  it('launches any type EC2 has (also outside the catalog) and refuses one it does not, at launch and on modify', async () => {
    const ec2 = client()
    const image = await al2023(ec2)
    const big = await ec2.send(new RunInstancesCommand({ ImageId: image, InstanceType: 'p4d.24xlarge', MinCount: 1, MaxCount: 1 }))
    assert.equal(big.Instances![0]!.InstanceType, 'p4d.24xlarge')
    await ec2Rejects(ec2.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.gigantic' as never, MinCount: 1, MaxCount: 1 })),
      'InvalidParameterValue', "Invalid value 't3.gigantic' for InstanceType.")
    const id = big.Instances![0]!.InstanceId!
    await advance(nimbus.current, 60_000)
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }))
    await advance(nimbus.current, 60_000)
    await ec2Rejects(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 'x9.huge' } })),
      'InvalidParameterValue', "Invalid value 'x9.huge' for InstanceType.")
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 'm5.large' } }))
  })
})
