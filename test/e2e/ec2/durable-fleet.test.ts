// EC2's launch templates (and, as they come, Spot requests and fleets) across a restart on one data dir.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  CreateLaunchTemplateCommand, CreateLaunchTemplateVersionCommand, DescribeImagesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client,
  ModifyLaunchTemplateCommand, RunInstancesCommand,
} from '@aws-sdk/client-ec2'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { testCredentials } from '../../helpers/nimbus.ts'

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
})
