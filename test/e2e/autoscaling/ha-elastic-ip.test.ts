// The notes' high-availability recipe end to end: an ASG of 1/1/1 across two zones; when its
// instance dies, the replacement's "EC2 Instance Launch Successful" event runs a Lambda function
// that re-associates the Elastic IP with it (through Nimbus's EC2, as user data would).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AllocateAddressCommand, AssociateAddressCommand, DescribeAddressesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2'
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { activities, describeGroup, ec2Client, group } from '../../helpers/autoscaling.ts'
import { until } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

// The function calls EC2's query API on Nimbus (AWS_ENDPOINT_URL) as the account's caller would.
const handler = `
exports.handler = async (event) => {
  const body = new URLSearchParams({ Action: 'AssociateAddress', Version: '2016-11-15',
    InstanceId: event.detail.EC2InstanceId, AllocationId: process.env.ALLOCATION_ID })
  const res = await fetch(process.env.AWS_ENDPOINT_URL, { method: 'POST', body,
    headers: { 'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0' } })
  return { status: res.status }
}`

describe('Auto Scaling HA recipe', () => {
  it('ASG 1/1/1 across two zones: the replacement re-acquires the Elastic IP', async () => {
    const ec2 = ec2Client(nimbus.current)
    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))
    const fn = await createFunction(lambdaClient(nimbus.current), handler, { Environment: { Variables: { ALLOCATION_ID: AllocationId! } } })
    const name = await group(nimbus.current, { min: 1, max: 1, desired: 1, zones: ['us-east-1a', 'us-east-1b'] })
    const eb = new EventBridgeClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const rule = uniqueName('reattach')
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'], detail: { AutoScalingGroupName: [name] } }) }))
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'fn', Arn: `arn:aws:lambda:us-east-1:000000000000:function:${fn}` }] }))
    await advance(nimbus.current, 10_000)
    const first = (await describeGroup(nimbus.current, name)).Instances![0]!.InstanceId!
    // The first instance was launched before the rule existed: associate by hand, as bootstrapping would.
    await ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: first }))
    const holder = async () => (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))).Addresses![0]!.InstanceId

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [first] }))
    await advance(nimbus.current, 0)
    assert.equal(await holder(), undefined)
    await advance(nimbus.current, 10_000)
    const replacement = (await describeGroup(nimbus.current, name)).Instances!.find((i) => i.LifecycleState === 'InService')!.InstanceId!
    assert.notEqual(replacement, first)
    await until(async () => (await holder()) === replacement, 'the function to re-associate the Elastic IP')
    const { Addresses } = await ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))
    assert.equal(Addresses![0]!.PublicIp, PublicIp)
    const list = await activities(nimbus.current, name)
    assert.deepEqual(list.map((a) => a.Description!.split(':')[0]), ['Launching a new EC2 instance', 'Terminating EC2 instance', 'Launching a new EC2 instance'])
  })
})
