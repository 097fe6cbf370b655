// Launch templates with @aws-sdk/client-ec2: versions ($Latest/$Default), SourceVersion, default
// changes, deleting versions, RunInstances from a template (its parameters underneath the request's,
// the aws:ec2launchtemplate tags), AWS's errors — and the EC2 port Auto Scaling launches through.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateLaunchTemplateCommand, CreateLaunchTemplateVersionCommand, DeleteLaunchTemplateCommand, DeleteLaunchTemplateVersionsCommand,
  DescribeImagesCommand, DescribeInstancesCommand, DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client,
  EC2ServiceException, ModifyLaunchTemplateCommand, RunInstancesCommand,
} from '@aws-sdk/client-ec2'
import { testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'eu-central-1', credentials: testCredentials })

async function rejects(promise: Promise<unknown>, code: string, message?: string): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, code)
    if (message !== undefined) assert.equal(error.message, message)
    return true
  })
}

async function image(arch = 'x86_64'): Promise<string> {
  const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: [`al2023-ami-2023*-${arch}`] }] }))
  return Images![0]!.ImageId!
}

describe('EC2 launch templates', () => {
  it('creates versions, resolves $Latest/$Default, changes the default and deletes versions', async () => {
    const ImageId = await image()
    const { LaunchTemplate } = await ec2().send(new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'web', VersionDescription: 'first',
      LaunchTemplateData: { ImageId, InstanceType: 't3.micro', UserData: Buffer.from('echo v1').toString('base64'),
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'app', Value: 'web' }] }] },
      TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'a' }] }],
    }))
    const id = LaunchTemplate!.LaunchTemplateId!
    assert.match(id, /^lt-[0-9a-f]{17}$/)
    assert.deepEqual([LaunchTemplate!.DefaultVersionNumber, LaunchTemplate!.LatestVersionNumber, LaunchTemplate!.CreatedBy],
      [1, 1, 'arn:aws:iam::000000000000:root'])
    assert.deepEqual(LaunchTemplate!.Tags, [{ Key: 'team', Value: 'a' }])
    await rejects(ec2().send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId } })),
      'InvalidLaunchTemplateName.AlreadyExistsException', 'Launch template name already in use.')
    await rejects(ec2().send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'a b', LaunchTemplateData: { ImageId } })),
      'InvalidLaunchTemplateName.MalformedException')

    // Version 2 starts from version 1 and changes the instance type only.
    const { LaunchTemplateVersion: v2 } = await ec2().send(new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: id, SourceVersion: '1', VersionDescription: 'bigger', LaunchTemplateData: { InstanceType: 'c5.large' } }))
    assert.deepEqual([v2!.VersionNumber, v2!.DefaultVersion, v2!.LaunchTemplateData!.ImageId, v2!.LaunchTemplateData!.InstanceType], [2, false, ImageId, 'c5.large'])
    await ec2().send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId, InstanceType: 'm5.large' } }))

    const versions = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'web' }))
    assert.deepEqual(versions.LaunchTemplateVersions!.map((v) => [v.VersionNumber, v.DefaultVersion]), [[3, false], [2, false], [1, true]])
    assert.deepEqual(versions.LaunchTemplateVersions![2]!.LaunchTemplateData!.TagSpecifications, [{ ResourceType: 'instance', Tags: [{ Key: 'app', Value: 'web' }] }])
    const picked = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['$Latest', '$Default'] }))
    assert.deepEqual(picked.LaunchTemplateVersions!.map((v) => v.VersionNumber), [3, 1])
    const byType = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Filters: [{ Name: 'instance-type', Values: ['c5.*'] }] }))
    assert.deepEqual(byType.LaunchTemplateVersions!.map((v) => v.VersionDescription), ['bigger'])
    await rejects(ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['9'] })),
      'InvalidLaunchTemplateId.VersionNotFound', `Could not find the specified version 9 for the launch template with ID ${id}.`)

    const { LaunchTemplate: modified } = await ec2().send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: '2' }))
    assert.equal(modified!.DefaultVersionNumber, 2)
    const deleted = await ec2().send(new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['1', '2', '7'] }))
    assert.deepEqual(deleted.SuccessfullyDeletedLaunchTemplateVersions!.map((v) => v.VersionNumber), [1])
    assert.deepEqual(deleted.UnsuccessfullyDeletedLaunchTemplateVersions!.map((v) => [v.VersionNumber, v.ResponseError!.Code]),
      [[2, 'unexpectedError'], [7, 'launchTemplateVersionDoesNotExist']])

    const listed = await ec2().send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:team', Values: ['a'] }] }))
    assert.deepEqual(listed.LaunchTemplates!.map((t) => [t.LaunchTemplateName, t.DefaultVersionNumber, t.LatestVersionNumber]), [['web', 2, 3]])
    await rejects(ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['nope'] })), 'InvalidLaunchTemplateName.NotFoundException')
    await rejects(ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['lt-0123456789abcdef0'] })),
      'InvalidLaunchTemplateId.NotFound', 'The specified launch template, with template ID lt-0123456789abcdef0, does not exist.')

    await ec2().send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'web' }))
    await rejects(ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'web' })),
      'InvalidLaunchTemplateName.NotFoundException', 'The specified launch template, with template name web, does not exist.')
    // The name is free again.
    await ec2().send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId } }))
  })

  it('launches from a template: the request wins, tags merge, instances carry aws:ec2launchtemplate tags', async () => {
    const ImageId = await image()
    const { LaunchTemplate } = await ec2().send(new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'workers',
      LaunchTemplateData: { ImageId, InstanceType: 't3.small', Monitoring: { Enabled: true }, Placement: { AvailabilityZone: 'eu-central-1b' },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'role', Value: 'worker' }, { Key: 'env', Value: 'dev' }] }] },
    }))
    await ec2().send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'workers', SourceVersion: '$Latest', LaunchTemplateData: { InstanceType: 'c5.large' } }))
    const { Instances } = await ec2().send(new RunInstancesCommand({
      MinCount: 2, MaxCount: 2, LaunchTemplate: { LaunchTemplateName: 'workers' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'env', Value: 'prod' }] }],
    }))
    assert.equal(Instances!.length, 2)
    const i = Instances![0]!
    assert.deepEqual([i.ImageId, i.InstanceType, i.Placement!.AvailabilityZone, i.Monitoring!.State], [ImageId, 't3.small', 'eu-central-1b', 'enabled'])
    const tags = Object.fromEntries(i.Tags!.map((t) => [t.Key, t.Value]))
    assert.deepEqual(tags, { role: 'worker', env: 'prod', 'aws:ec2launchtemplate:id': LaunchTemplate!.LaunchTemplateId, 'aws:ec2launchtemplate:version': '1' })

    const latest = await ec2().send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, InstanceType: 'm5.large',
      LaunchTemplate: { LaunchTemplateId: LaunchTemplate!.LaunchTemplateId, Version: '$Latest' } }))
    assert.equal(latest.Instances![0]!.InstanceType, 'm5.large')
    const found = await ec2().send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:ec2launchtemplate:version', Values: ['2'] }] }))
    assert.deepEqual(found.Reservations!.flatMap((r) => r.Instances!.map((x) => x.InstanceId)), [latest.Instances![0]!.InstanceId])

    await rejects(ec2().send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'workers', Version: '5' } })),
      'InvalidLaunchTemplateId.VersionNotFound')
    await rejects(ec2().send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'ghost' } })),
      'InvalidLaunchTemplateName.NotFoundException', 'The specified launch template, with template name ghost, does not exist.')
  })

  it('serves the port: a version\'s launch data, and launches with aws: tags or says why not', async () => {
    const ImageId = await image()
    const port = nimbus.current.services.ec2
    await ec2().send(new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'asg-lt',
      LaunchTemplateData: { ImageId, InstanceType: 'c5.large', KeyName: undefined, Monitoring: { Enabled: false },
        InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { MaxPrice: '0.05' } },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'app', Value: 'asg' }] }] },
    }))
    const resolved = port.launchTemplateData('000000000000', 'eu-central-1', { LaunchTemplateName: 'asg-lt' })
    assert.ok(resolved.ok)
    assert.equal(resolved.version, 1)
    assert.deepEqual([resolved.data.imageId, resolved.data.instanceType, resolved.data.spot, resolved.data.monitoring, resolved.data.tags],
      [ImageId, 'c5.large', { maxPrice: '0.05' }, false, [{ Key: 'app', Value: 'asg' }]])
    const missing = port.launchTemplateData('000000000000', 'eu-central-1', { LaunchTemplateName: 'asg-lt', Version: '$Latest' })
    assert.ok(missing.ok)
    const noVersion = port.launchTemplateData('000000000000', 'eu-central-1', { LaunchTemplateName: 'asg-lt', Version: '4' })
    assert.deepEqual(noVersion.ok ? undefined : noVersion.code, 'InvalidLaunchTemplateId.VersionNotFound')

    const data = { ...resolved.data, spot: undefined, tags: [...resolved.data.tags!, { Key: 'aws:autoscaling:groupName', Value: 'g1' }] }
    const launched = port.launch('000000000000', 'eu-central-1', data, 3, { availabilityZone: 'eu-central-1c' })
    assert.ok(launched.ok)
    assert.equal(launched.instanceIds.length, 3)
    const view = port.instance(launched.instanceIds[0]!)!
    assert.deepEqual([view.state, view.instanceType], ['pending', 'c5.large'])
    assert.deepEqual(Object.fromEntries(view.tags.map((t) => [t.Key, t.Value])),
      { app: 'asg', 'aws:autoscaling:groupName': 'g1', 'aws:ec2launchtemplate:id': resolved.id, 'aws:ec2launchtemplate:version': '1' })
    const { Reservations } = await ec2().send(new DescribeInstancesCommand({ InstanceIds: launched.instanceIds }))
    assert.ok(Reservations![0]!.Instances!.every((i) => i.Placement!.AvailabilityZone === 'eu-central-1c'))

    const bad = port.launch('000000000000', 'eu-central-1', { imageId: 'ami-12345678' }, 1, {})
    assert.deepEqual(bad, { ok: false, code: 'InvalidAMIID.NotFound', message: 'The image id \'[ami-12345678]\' does not exist' })
  })
})
