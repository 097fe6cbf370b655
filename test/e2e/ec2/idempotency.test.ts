// RunInstances' ClientToken with @aws-sdk/client-ec2: a repeat launches nothing and answers the first
// launch's reservation; a repeat naming another AMI or type is IdempotentParameterMismatch.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2'
import { ec2Rejects } from '../../helpers/ec2.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })

describe('EC2 RunInstances ClientToken', () => {
  it('answers a repeat with the first launch\'s reservation and launches nothing more', async () => {
    const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
    const token = uniqueName('token')
    const request = { ImageId: Images![0]!.ImageId, InstanceType: 't3.micro' as const, MinCount: 2, MaxCount: 2, ClientToken: token }
    const first = await ec2().send(new RunInstancesCommand(request))
    const again = await ec2().send(new RunInstancesCommand(request))
    assert.equal(again.ReservationId, first.ReservationId)
    assert.deepEqual(again.Instances!.map((i) => i.InstanceId), first.Instances!.map((i) => i.InstanceId))
    const listed = await ec2().send(new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: [token] }] }))
    assert.equal(listed.Reservations!.flatMap((r) => r.Instances!).length, 2)
    await ec2Rejects(ec2().send(new RunInstancesCommand({ ...request, InstanceType: 't3.small' })), 'IdempotentParameterMismatch',
      'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).')
    // Without a token given, the SDK makes a new one per call: each call launches.
    const { ClientToken: _, ...plain } = request
    const a = await ec2().send(new RunInstancesCommand(plain))
    const b = await ec2().send(new RunInstancesCommand(plain))
    assert.notEqual(a.ReservationId, b.ReservationId)
  })
})
