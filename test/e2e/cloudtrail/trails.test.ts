// CloudTrail trails end to end with @aws-sdk/client-cloudtrail: create (bucket and policy checks,
// name rules), get/describe/list (shadow trails of a multi-region trail), update, logging on and off,
// tags, delete — with AWS's errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AddTagsCommand, CreateTrailCommand, DeleteTrailCommand, DescribeTrailsCommand, GetTrailCommand, GetTrailStatusCommand,
  ListTagsCommand, ListTrailsCommand, RemoveTagsCommand, StartLoggingCommand, StopLoggingCommand, UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { account, ctClient, trailBucket } from './fixtures.ts'

const nimbus = useNimbus()

async function rejects(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name)
    assert.equal(error.message, message)
    assert.equal(error.$metadata?.httpStatusCode, 400)
    return true
  })
}

describe('CloudTrail trails', () => {
  it('creates a trail, reads it back every way and deletes it', async () => {
    const ct = ctClient(nimbus.current)
    const s3 = s3Client(nimbus.current)
    const Bucket = await trailBucket(s3)
    const created = await ct.send(new CreateTrailCommand({ Name: 'main-trail', S3BucketName: Bucket, TagsList: [{ Key: 'team', Value: 'a' }] }))
    const arn = `arn:aws:cloudtrail:us-east-1:${account}:trail/main-trail`
    assert.equal(created.TrailARN, arn)
    assert.equal(created.Name, 'main-trail')
    assert.equal(created.IncludeGlobalServiceEvents, true)
    assert.equal(created.IsMultiRegionTrail, false)
    assert.equal(created.LogFileValidationEnabled, false)
    const { Trail } = await ct.send(new GetTrailCommand({ Name: arn }))
    assert.equal(Trail?.HomeRegion, 'us-east-1')
    assert.equal(Trail?.HasCustomEventSelectors, false)
    assert.equal(Trail?.S3BucketName, Bucket)
    const described = await ct.send(new DescribeTrailsCommand({ trailNameList: ['main-trail', 'nope-trail'] }))
    assert.deepEqual(described.trailList?.map((t) => t.Name), ['main-trail'])
    assert.deepEqual((await ct.send(new ListTrailsCommand({}))).Trails, [{ TrailARN: arn, Name: 'main-trail', HomeRegion: 'us-east-1' }])
    const tags = await ct.send(new ListTagsCommand({ ResourceIdList: [arn] }))
    assert.deepEqual(tags.ResourceTagList, [{ ResourceId: arn, TagsList: [{ Key: 'team', Value: 'a' }] }])
    await rejects(ct.send(new CreateTrailCommand({ Name: 'main-trail', S3BucketName: Bucket })), 'TrailAlreadyExistsException',
      `Trail main-trail already exists for customer: ${account}`)
    await ct.send(new DeleteTrailCommand({ Name: 'main-trail' }))
    await rejects(ct.send(new GetTrailCommand({ Name: 'main-trail' })), 'TrailNotFoundException', `Unknown trail: main-trail for the user: ${account}`)
    await rejects(ct.send(new GetTrailStatusCommand({ Name: 'main-trail' })), 'TrailNotFoundException', `Unknown trail: ${arn} for the user: ${account}`)
    ct.destroy()
  })

  it('checks the bucket exists and that its policy lets CloudTrail write', async () => {
    const ct = ctClient(nimbus.current)
    const s3 = s3Client(nimbus.current)
    await rejects(ct.send(new CreateTrailCommand({ Name: 'no-bucket', S3BucketName: 'no-such-bucket-here' })), 'S3BucketDoesNotExistException',
      'S3 bucket no-such-bucket-here does not exist.')
    const bare = bucketName('bare')
    await s3.send(new CreateBucketCommand({ Bucket: bare }))
    await rejects(ct.send(new CreateTrailCommand({ Name: 'no-policy', S3BucketName: bare })), 'InsufficientS3BucketPolicyException',
      `Incorrect S3 bucket policy is detected for bucket: ${bare}`)
    // A policy for another prefix does not cover this one.
    const prefixed = await trailBucket(s3, 'logs')
    await rejects(ct.send(new CreateTrailCommand({ Name: 'wrong-prefix', S3BucketName: prefixed, S3KeyPrefix: 'other' })),
      'InsufficientS3BucketPolicyException', `Incorrect S3 bucket policy is detected for bucket: ${prefixed}`)
    await ct.send(new CreateTrailCommand({ Name: 'right-prefix', S3BucketName: prefixed, S3KeyPrefix: 'logs' }))
    await rejects(ct.send(new UpdateTrailCommand({ Name: 'right-prefix', S3BucketName: bare })), 'InsufficientS3BucketPolicyException',
      `Incorrect S3 bucket policy is detected for bucket: ${bare}`)
    await ct.send(new DeleteTrailCommand({ Name: 'right-prefix' }))
    ct.destroy()
  })

  it('rejects bad trail names with AWS messages', async () => {
    const ct = ctClient(nimbus.current)
    const cases: [string, string][] = [
      ['ab', 'Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters.'],
      ['a'.repeat(129), 'Trail name too long. Maximum allowed length: 128 characters. Specified name length: 129 characters.'],
      ['-abc', 'Trail name must starts with a letter or number.'],
      ['abc-', 'Trail name must ends with a letter or number.'],
      ['ab$c', 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).'],
    ]
    for (const [Name, message] of cases) {
      await rejects(ct.send(new CreateTrailCommand({ Name, S3BucketName: 'whatever' })), 'InvalidTrailNameException', message)
    }
    ct.destroy()
  })

  it('starts and stops logging on the clock; GetTrailStatus reports it', async () => {
    const ct = ctClient(nimbus.current)
    const Bucket = await trailBucket(s3Client(nimbus.current))
    await ct.send(new CreateTrailCommand({ Name: 'status-trail', S3BucketName: Bucket }))
    const before = await ct.send(new GetTrailStatusCommand({ Name: 'status-trail' }))
    assert.equal(before.IsLogging, false)
    assert.equal(before.TimeLoggingStarted, '')
    await ct.send(new StartLoggingCommand({ Name: 'status-trail' }))
    const started = nimbus.current.clock.now()
    await advance(nimbus.current, 60_000)
    await ct.send(new StopLoggingCommand({ Name: 'status-trail' }))
    const status = await ct.send(new GetTrailStatusCommand({ Name: 'status-trail' }))
    assert.equal(status.IsLogging, false)
    assert.equal(status.StartLoggingTime?.getTime(), started)
    assert.equal(status.StopLoggingTime?.getTime(), started + 60_000)
    assert.equal(status.TimeLoggingStarted, new Date(started).toISOString().replace(/\.\d{3}Z$/, 'Z'))
    await ct.send(new DeleteTrailCommand({ Name: 'status-trail' }))
    ct.destroy()
  })

  it('shows a multi-region trail as a shadow trail elsewhere, changeable only from home', async () => {
    const ct = ctClient(nimbus.current)
    const west = ctClient(nimbus.current, 'eu-west-1')
    const Bucket = await trailBucket(s3Client(nimbus.current))
    await ct.send(new CreateTrailCommand({ Name: 'org-wide', S3BucketName: Bucket, IsMultiRegionTrail: true }))
    const arn = `arn:aws:cloudtrail:us-east-1:${account}:trail/org-wide`
    assert.deepEqual((await west.send(new DescribeTrailsCommand({}))).trailList?.map((t) => [t.Name, t.HomeRegion]), [['org-wide', 'us-east-1']])
    assert.deepEqual((await west.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList, [])
    await rejects(west.send(new DeleteTrailCommand({ Name: arn })), 'InvalidHomeRegionException',
      `This operation must be called from the trail's home region. Trail ${arn} home region: us-east-1.`)
    const updated = await ct.send(new UpdateTrailCommand({ Name: 'org-wide', EnableLogFileValidation: true }))
    assert.equal(updated.LogFileValidationEnabled, true)
    await ct.send(new DeleteTrailCommand({ Name: arn }))
    ct.destroy()
    west.destroy()
  })

  it('adds and removes tags; unknown ARNs answer ResourceNotFoundException', async () => {
    const ct = ctClient(nimbus.current)
    const Bucket = await trailBucket(s3Client(nimbus.current))
    const { TrailARN } = await ct.send(new CreateTrailCommand({ Name: 'tagged', S3BucketName: Bucket }))
    await ct.send(new AddTagsCommand({ ResourceId: TrailARN!, TagsList: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }))
    await ct.send(new AddTagsCommand({ ResourceId: TrailARN!, TagsList: [{ Key: 'a', Value: '3' }] }))
    await ct.send(new RemoveTagsCommand({ ResourceId: TrailARN!, TagsList: [{ Key: 'b' }] }))
    const { ResourceTagList } = await ct.send(new ListTagsCommand({ ResourceIdList: [TrailARN!] }))
    assert.deepEqual(ResourceTagList?.[0]?.TagsList, [{ Key: 'a', Value: '3' }])
    const missing = `arn:aws:cloudtrail:us-east-1:${account}:trail/missing`
    await rejects(ct.send(new ListTagsCommand({ ResourceIdList: [missing] })), 'ResourceNotFoundException', `Resource ${missing} not found.`)
    await ct.send(new DeleteTrailCommand({ Name: 'tagged' }))
    ct.destroy()
  })
})
