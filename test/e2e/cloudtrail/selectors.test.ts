// PutEventSelectors/GetEventSelectors: basic selectors with data resources, advanced selectors with
// field selectors, the defaults of a new trail and AWS's validation errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateTrailCommand, DeleteTrailCommand, GetEventSelectorsCommand, GetTrailCommand, PutEventSelectorsCommand,
} from '@aws-sdk/client-cloudtrail'
import { useNimbus } from '../../helpers/nimbus.ts'
import { s3Client } from '../../helpers/s3.ts'
import { account, ctClient, trailBucket } from './fixtures.ts'

const nimbus = useNimbus()

async function rejects(promise: Promise<unknown>, name: string, message?: string): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name)
    if (message !== undefined) assert.equal(error.message, message)
    assert.equal(error.$metadata?.httpStatusCode, 400)
    return true
  })
}

describe('CloudTrail event selectors', () => {
  it('starts with all management events, takes basic then advanced selectors', async () => {
    const ct = ctClient(nimbus.current)
    const Bucket = await trailBucket(s3Client(nimbus.current))
    await ct.send(new CreateTrailCommand({ Name: 'selective', S3BucketName: Bucket }))
    const TrailARN = `arn:aws:cloudtrail:us-east-1:${account}:trail/selective`
    const initial = await ct.send(new GetEventSelectorsCommand({ TrailName: 'selective' }))
    assert.deepEqual(initial.EventSelectors, [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }])
    assert.equal(initial.TrailARN, TrailARN)

    const table = `arn:aws:dynamodb:us-east-1:${account}:table/orders`
    const basic = await ct.send(new PutEventSelectorsCommand({ TrailName: 'selective', EventSelectors: [
      { ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: [table] }] },
    ] }))
    assert.deepEqual(basic.EventSelectors, [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true,
      DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: [table] }], ExcludeManagementEventSources: [] }])
    assert.equal((await ct.send(new GetTrailCommand({ Name: 'selective' }))).Trail?.HasCustomEventSelectors, true)

    const advanced = [{ Name: 'orders writes', FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
      { Field: 'resources.ARN', StartsWith: [table] }, { Field: 'readOnly', Equals: ['false'] },
    ] }]
    await ct.send(new PutEventSelectorsCommand({ TrailName: TrailARN, AdvancedEventSelectors: advanced }))
    const read = await ct.send(new GetEventSelectorsCommand({ TrailName: 'selective' }))
    assert.deepEqual(read.AdvancedEventSelectors, advanced)
    assert.equal(read.EventSelectors, undefined)
    await ct.send(new DeleteTrailCommand({ Name: 'selective' }))
    ct.destroy()
  })

  it('rejects bad selectors', async () => {
    const ct = ctClient(nimbus.current)
    const Bucket = await trailBucket(s3Client(nimbus.current))
    await ct.send(new CreateTrailCommand({ Name: 'strict', S3BucketName: Bucket }))
    await rejects(ct.send(new PutEventSelectorsCommand({ TrailName: 'strict', EventSelectors: [{}],
      AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] })), 'InvalidParameterCombinationException')
    await rejects(ct.send(new PutEventSelectorsCommand({ TrailName: 'strict', EventSelectors: [
      { DataResources: [{ Type: 'AWS::SQS::Queue', Values: ['arn:aws:sqs'] }] }] })), 'InvalidEventSelectorsException',
    'Value AWS::SQS::Queue for DataResources.Type is invalid.')
    await rejects(ct.send(new PutEventSelectorsCommand({ TrailName: 'strict', EventSelectors: [
      { DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:s3:::b/'] }] }] })), 'InvalidEventSelectorsException',
    'Value arn:aws:s3:::b/ for DataResources.Values is invalid.')
    await rejects(ct.send(new PutEventSelectorsCommand({ TrailName: 'strict', AdvancedEventSelectors: [
      { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] })), 'InvalidEventSelectorsException')
    await rejects(ct.send(new PutEventSelectorsCommand({ TrailName: 'strict', EventSelectors: Array(6).fill({}) })), 'InvalidEventSelectorsException')
    await rejects(ct.send(new PutEventSelectorsCommand({ TrailName: 'missing-trail', EventSelectors: [{}] })), 'TrailNotFoundException',
      `Unknown trail: arn:aws:cloudtrail:us-east-1:${account}:trail/missing-trail for the user: ${account}`)
    await ct.send(new DeleteTrailCommand({ Name: 'strict' }))
    ct.destroy()
  })

  it('finds a multi-region trail\'s selectors only in its home region', async () => {
    const ct = ctClient(nimbus.current)
    const west = ctClient(nimbus.current, 'eu-west-1')
    const Bucket = await trailBucket(s3Client(nimbus.current))
    await ct.send(new CreateTrailCommand({ Name: 'everywhere', S3BucketName: Bucket, IsMultiRegionTrail: true }))
    await rejects(west.send(new GetEventSelectorsCommand({ TrailName: 'everywhere' })), 'TrailNotFoundException',
      `Unknown trail: arn:aws:cloudtrail:eu-west-1:${account}:trail/everywhere for the user: ${account}`)
    await rejects(ct.send(new CreateTrailCommand({ Name: 'no-global', S3BucketName: Bucket, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false })),
      'InvalidParameterCombinationException', 'Multi-Region trail must include global service events.')
    await ct.send(new DeleteTrailCommand({ Name: 'everywhere' }))
    ct.destroy()
    west.destroy()
  })
})
