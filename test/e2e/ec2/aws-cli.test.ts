// The AWS CLI v1 (botocore's ec2 query serializer and parser, its paginator and waiter) against
// Nimbus: run-instances with tags and user data, `ec2 wait instance-running` once the clock has
// moved, describe-instances with filters, stop, and an error. A missing CLI fails, never skips.
import assert from 'node:assert/strict'
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
    await assert.rejects(aws('ec2', 'describe-route-tables'),
      (error: { stderr?: string }) => /NotImplemented.*DescribeRouteTables/.test(error.stderr ?? ''))
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
})
