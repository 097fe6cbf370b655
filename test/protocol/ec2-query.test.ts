// ec2Query against EC2's generated model: EC2's member names on input ("InstanceId.1",
// "Filter.1.Value.1", "TagSpecification.1.Tag.1.Key"), <Op>Response/<requestId> output with <item>
// lists, and EC2's Response/Errors/Error envelope.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AwsError } from '../../src/protocol/errors.ts'
import type { HttpRequest } from '../../src/protocol/http.ts'
import { ServiceModel } from '../../src/protocol/model.ts'
import { ec2Query } from '../../src/protocol/query/ec2-query.ts'
import { model as ec2Model } from '../../src/services/ec2/generated/model.ts'

const model = new ServiceModel(ec2Model)

function request(body: string): HttpRequest {
  return { method: 'POST', rawPath: '/', query: new URLSearchParams(), headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: Buffer.from(body) }
}

describe('ec2Query input', () => {
  it('reads flattened lists by the capitalised locationName, structures in lists, and booleans', () => {
    const parsed = ec2Query.parseRequest(request('Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2' +
      '&Filter.1.Name=tag%3AEnv&Filter.1.Value.1=prod&Filter.1.Value.2=dev&MaxResults=5&DryRun=false'), model)
    assert.equal(parsed.operation.name, 'DescribeInstances')
    assert.deepEqual(parsed.input, {
      InstanceIds: ['i-1', 'i-2'], Filters: [{ Name: 'tag:Env', Values: ['prod', 'dev'] }], MaxResults: 5, DryRun: false,
    })
  })

  it('reads nested lists of structures (RunInstances tag specifications, security group ids, user data)', () => {
    const parsed = ec2Query.parseRequest(request('Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=2' +
      '&SecurityGroupId.1=sg-1&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=web' +
      '&UserData=ZWNobw%3D%3D&Placement.AvailabilityZone=us-east-1a'), model)
    assert.deepEqual(parsed.input, {
      ImageId: 'ami-1', MinCount: 1, MaxCount: 2, SecurityGroupIds: ['sg-1'], UserData: 'ZWNobw==',
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }],
      Placement: { AvailabilityZone: 'us-east-1a' },
    })
  })

  it('answers InvalidAction for an unknown action and MissingAction without one', () => {
    assert.throws(() => ec2Query.parseRequest(request('Action=Nope&Version=2016-11-15'), model), (e: AwsError) => e.code === 'InvalidAction')
    assert.throws(() => ec2Query.parseRequest(request('Version=2016-11-15'), model), (e: AwsError) => e.code === 'MissingAction')
  })

  it('a malformed integer is InvalidParameterValue, not a crash', () => {
    assert.throws(() => ec2Query.parseRequest(request('Action=DescribeInstances&MaxResults=abc'), model),
      (e: AwsError) => e.code === 'InvalidParameterValue')
  })
})

describe('ec2Query output and errors', () => {
  it('roots the response at <Op>Response with requestId first and lists as <item>', () => {
    const operation = model.operation('DescribeInstances')!
    const out = ec2Query.serializeOutput(model, operation, {
      Reservations: [{ ReservationId: 'r-1', Instances: [{ InstanceId: 'i-1', State: { Code: 16, Name: 'running' }, Tags: [{ Key: 'a', Value: 'b' }] }] }],
    }, { requestId: 'req-1' })
    const body = String(out.body)
    assert.match(body, /^<\?xml[^>]*><DescribeInstancesResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>req-1<\/requestId>/)
    assert.match(body, /<reservationSet><item><reservationId>r-1<\/reservationId><instancesSet><item>.*<instanceId>i-1<\/instanceId>/)
    assert.match(body, /<instanceState><code>16<\/code><name>running<\/name><\/instanceState>/)
    assert.match(body, /<tagSet><item><key>a<\/key><value>b<\/value><\/item><\/tagSet>/)
  })

  it('renders errors in EC2\'s Response/Errors envelope with RequestID', () => {
    const out = ec2Query.serializeError(model, new AwsError('InvalidInstanceID.NotFound', "The instance ID 'i-1' does not exist"), { requestId: 'req-2' })
    assert.equal(out.status, 400)
    assert.equal(String(out.body), '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>' +
      "<Message>The instance ID &apos;i-1&apos; does not exist</Message></Error></Errors><RequestID>req-2</RequestID></Response>")
  })
})
