// The AWS CLI v1 (botocore's ec2 query serializer and parser, its paginator and waiter) against
// Nimbus: run-instances with tags and user data, `ec2 wait instance-running` once the clock has
// moved, describe-instances with filters, stop, and an error; get-password-data decrypting with the
// key pair's private key. A missing CLI fails, never skips.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { awsCli } from '../../helpers/aws-cli.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const aws = <T = Record<string, unknown>>(...args: string[]) => awsCli<T>(nimbus.current, ...args)

interface Instance { InstanceId: string; State: { Name: string }; Tags?: { Key: string; Value: string }[]; PrivateIpAddress: string }

describe('AWS CLI v1 against EC2', () => {
  it('runs, waits for running, filters, stops; errors print AWS\'s code and message', async () => {
    const images = await aws<{ Images: { ImageId: string }[] }>('ec2', 'describe-images', '--owners', 'amazon',
      '--filters', 'Name=name,Values=al2023-ami-2023*', 'Name=architecture,Values=x86_64')
    assert.equal(images.Images.length, 1)
    const ran = await aws<{ Instances: Instance[] }>('ec2', 'run-instances', '--image-id', images.Images[0]!.ImageId,
      '--instance-type', 't3.micro', '--count', '2', '--user-data', 'echo hello',
      '--tag-specifications', 'ResourceType=instance,Tags=[{Key=app,Value=cli}]')
    const ids = ran.Instances.map((i) => i.InstanceId)
    assert.equal(ids.length, 2)
    await advance(nimbus.current, 60_000)
    await aws('ec2', 'wait', 'instance-running', '--instance-ids', ...ids)
    const found = await aws<{ Reservations: { Instances: Instance[] }[] }>('ec2', 'describe-instances',
      '--filters', 'Name=tag:app,Values=cli', 'Name=instance-state-name,Values=running', '--page-size', '5')
    const instances = found.Reservations.flatMap((r) => r.Instances)
    assert.deepEqual(instances.map((i) => i.InstanceId).sort(), [...ids].sort())
    assert.deepEqual(instances[0]!.Tags, [{ Key: 'app', Value: 'cli' }])
    const stopped = await aws<{ StoppingInstances: { CurrentState: { Name: string } }[] }>('ec2', 'stop-instances', '--instance-ids', ids[0]!)
    assert.equal(stopped.StoppingInstances[0]!.CurrentState.Name, 'stopping')
    await assert.rejects(aws('ec2', 'terminate-instances', '--instance-ids', 'i-0000000000000000f'),
      (error: { stderr?: string }) => /InvalidInstanceID\.NotFound.*The instance ID 'i-0000000000000000f' does not exist/.test(error.stderr ?? ''))
    // The default VPC's main route table, as the CLI reads it.
    const tables = await aws<{ RouteTables: { Routes: { DestinationCidrBlock: string; GatewayId: string; State: string }[] }[] }>('ec2',
      'describe-route-tables', '--filters', 'Name=association.main,Values=true')
    assert.deepEqual(tables.RouteTables[0]!.Routes.map((r) => [r.DestinationCidrBlock, r.State]), [['172.31.0.0/16', 'active'], ['0.0.0.0/0', 'active']])
    await assert.rejects(aws('ec2', 'describe-vpc-peering-connections'),
      (error: { stderr?: string }) => /NotImplemented.*DescribeVpcPeeringConnections/.test(error.stderr ?? ''))
  })

  it('decrypts a Windows password with --priv-launch-key, and modifies metadata options', async () => {
    const key = await aws<{ KeyMaterial: string }>('ec2', 'create-key-pair', '--key-name', 'cli-win')
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-cli-key-'))
    try {
      const pem = join(dir, 'cli-win.pem')
      writeFileSync(pem, key.KeyMaterial)
      const images = await aws<{ Images: { ImageId: string }[] }>('ec2', 'describe-images', '--owners', 'amazon',
        '--filters', 'Name=name,Values=Windows_Server-2022-English-Full-Base-*')
      const ran = await aws<{ Instances: Instance[] }>('ec2', 'run-instances', '--image-id', images.Images[0]!.ImageId,
        '--instance-type', 't3.large', '--key-name', 'cli-win')
      const id = ran.Instances[0]!.InstanceId
      await advance(nimbus.current, 4 * 60_000)
      const password = await aws<{ InstanceId: string; PasswordData: string }>('ec2', 'get-password-data', '--instance-id', id, '--priv-launch-key', pem)
      assert.equal(password.InstanceId, id)
      assert.match(password.PasswordData, /^[\x21-\x7e]{32}$/)
      const modified = await aws<{ InstanceMetadataOptions: { State: string; HttpTokens: string } }>('ec2', 'modify-instance-metadata-options',
        '--instance-id', id, '--http-tokens', 'optional')
      assert.deepEqual([modified.InstanceMetadataOptions.State, modified.InstanceMetadataOptions.HttpTokens], ['pending', 'optional'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('creates a launch template and versions, runs instances from it, lists versions', async () => {
    const images = await aws<{ Images: { ImageId: string }[] }>('ec2', 'describe-images', '--owners', 'amazon',
      '--filters', 'Name=name,Values=al2023-ami-2023*', 'Name=architecture,Values=x86_64')
    const created = await aws<{ LaunchTemplate: { LaunchTemplateId: string; LatestVersionNumber: number } }>('ec2', 'create-launch-template',
      '--launch-template-name', 'cli-lt', '--launch-template-data', JSON.stringify({ ImageId: images.Images[0]!.ImageId, InstanceType: 't3.nano' }))
    assert.equal(created.LaunchTemplate.LatestVersionNumber, 1)
    const version = await aws<{ LaunchTemplateVersion: { VersionNumber: number } }>('ec2', 'create-launch-template-version',
      '--launch-template-id', created.LaunchTemplate.LaunchTemplateId, '--source-version', '1', '--launch-template-data', '{"InstanceType":"t3.large"}')
    assert.equal(version.LaunchTemplateVersion.VersionNumber, 2)
    const ran = await aws<{ Instances: (Instance & { InstanceType: string })[] }>('ec2', 'run-instances',
      '--launch-template', 'LaunchTemplateName=cli-lt,Version=$Latest')
    assert.equal(ran.Instances[0]!.InstanceType, 't3.large')
    const versions = await aws<{ LaunchTemplateVersions: { VersionNumber: number; LaunchTemplateData: { InstanceType: string } }[] }>('ec2',
      'describe-launch-template-versions', '--launch-template-name', 'cli-lt')
    assert.deepEqual(versions.LaunchTemplateVersions.map((v) => [v.VersionNumber, v.LaunchTemplateData.InstanceType]), [[2, 't3.large'], [1, 't3.nano']])
    await assert.rejects(aws('ec2', 'create-launch-template', '--launch-template-name', 'cli-lt', '--launch-template-data', '{"InstanceType":"t3.nano"}'),
      (error: { stderr?: string }) => /InvalidLaunchTemplateName\.AlreadyExistsException.*Launch template name already in use\./.test(error.stderr ?? ''))
  })
  it('reads Spot prices, requests Spot instances and a Spot Fleet, and cancels them', async () => {
    const prices = await aws<{ SpotPriceHistory: { SpotPrice: string; AvailabilityZone: string }[] }>('ec2', 'describe-spot-price-history',
      '--instance-types', 'm5.large', '--availability-zone', 'us-east-1a', '--product-descriptions', 'Linux/UNIX')
    assert.equal(prices.SpotPriceHistory.length, 1)
    assert.match(prices.SpotPriceHistory[0]!.SpotPrice, /^0\.\d{6}$/)
    const images = await aws<{ Images: { ImageId: string }[] }>('ec2', 'describe-images', '--owners', 'amazon',
      '--filters', 'Name=name,Values=al2023-ami-2023*', 'Name=architecture,Values=x86_64')
    const ImageId = images.Images[0]!.ImageId
    const requested = await aws<{ SpotInstanceRequests: { SpotInstanceRequestId: string }[] }>('ec2', 'request-spot-instances',
      '--instance-count', '1', '--type', 'one-time', '--launch-specification', JSON.stringify({ ImageId, InstanceType: 'm5.large' }))
    const id = requested.SpotInstanceRequests[0]!.SpotInstanceRequestId
    const described = await aws<{ SpotInstanceRequests: { State: string; Status: { Code: string }; InstanceId: string }[] }>('ec2',
      'describe-spot-instance-requests', '--spot-instance-request-ids', id)
    assert.deepEqual([described.SpotInstanceRequests[0]!.State, described.SpotInstanceRequests[0]!.Status.Code], ['active', 'fulfilled'])
    const fleet = await aws<{ SpotFleetRequestId: string }>('ec2', 'request-spot-fleet', '--spot-fleet-request-config', JSON.stringify({
      IamFleetRole: 'arn:aws:iam::000000000000:role/fleet', TargetCapacity: 2, AllocationStrategy: 'diversified',
      LaunchSpecifications: [{ ImageId, InstanceType: 'c5.large' }] }))
    const instances = await aws<{ ActiveInstances: unknown[] }>('ec2', 'describe-spot-fleet-instances', '--spot-fleet-request-id', fleet.SpotFleetRequestId)
    assert.equal(instances.ActiveInstances.length, 2)
    const cancelled = await aws<{ SuccessfulFleetRequests: { CurrentSpotFleetRequestState: string }[] }>('ec2', 'cancel-spot-fleet-requests',
      '--spot-fleet-request-ids', fleet.SpotFleetRequestId, '--no-terminate-instances')
    assert.equal(cancelled.SuccessfulFleetRequests[0]!.CurrentSpotFleetRequestState, 'cancelled_running')
    await assert.rejects(aws('ec2', 'cancel-spot-instance-requests', '--spot-instance-request-ids', 'sir-00000000'),
      (error: { stderr?: string }) => /InvalidSpotInstanceRequestID\.NotFound.*The spot instance request ID 'sir-00000000' does not exist/.test(error.stderr ?? ''))
  })
})
