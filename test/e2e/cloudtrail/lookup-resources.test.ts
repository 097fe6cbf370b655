// LookupEvents' Resources for Auto Scaling and EC2 launch template calls: an Auto Scaling group, its
// launch configuration and a launch template are found by ResourceName and ResourceType.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail'
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2'
import { group } from '../../helpers/autoscaling.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { ctClient } from './fixtures.ts'

const nimbus = useNimbus()

describe('CloudTrail LookupEvents resources of Auto Scaling and EC2', () => {
  it('names the group, its launch configuration and a launch template', async () => {
    const ct = ctClient(nimbus.current)
    const name = await group(nimbus.current, { min: 0, max: 1 })
    const byName = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: name }] }))
    assert.deepEqual(byName.Events?.map((e) => e.EventName), ['CreateAutoScalingGroup'])
    const resources = byName.Events![0]!.Resources!
    assert.deepEqual(resources[0], { ResourceType: 'AWS::AutoScaling::AutoScalingGroup', ResourceName: name })
    assert.equal(resources[1]?.ResourceType, 'AWS::AutoScaling::LaunchConfiguration')
    const lcs = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceType', AttributeValue: 'AWS::AutoScaling::LaunchConfiguration' }] }))
    assert.deepEqual(lcs.Events?.map((e) => e.EventName), ['CreateAutoScalingGroup', 'CreateLaunchConfiguration'])

    const ec2 = new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
    const LaunchTemplateName = uniqueName('lt')
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName, LaunchTemplateData: { InstanceType: 't3.micro' } }))
    const lt = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: LaunchTemplateName }] }))
    assert.deepEqual(lt.Events?.map((e) => [e.EventName, e.Resources]),
      [['CreateLaunchTemplate', [{ ResourceType: 'AWS::EC2::LaunchTemplate', ResourceName: LaunchTemplateName }]]])
    ct.destroy()
    ec2.destroy()
  })
})
