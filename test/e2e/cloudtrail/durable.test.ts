// CloudTrail across restarts on one data dir (in process): trails with their selectors, tags and
// logging state, records captured before the restart delivered on the clock after it, event
// history, and a reset that empties all of it.
import assert from 'node:assert/strict'
import { gunzipSync } from 'node:zlib'
import { describe, it } from 'node:test'
import {
  CreateTrailCommand, GetEventSelectorsCommand, GetTrailStatusCommand, ListTagsCommand, ListTrailsCommand, LookupEventsCommand,
  PutEventSelectorsCommand, StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail'
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { CreateQueueCommand } from '@aws-sdk/client-sqs'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { settle } from '../../helpers/function-log.ts'
import { advance } from '../../helpers/nimbus.ts'
import { s3Client } from '../../helpers/s3.ts'
import { sqsClient } from '../eventbridge/fixtures.ts'
import { ctClient, trailBucket } from './fixtures.ts'

describe('CloudTrail durability', () => {
  it('keeps trails, pending records and event history across a restart; reset empties them', async () => {
    const run = await durableNimbus('cloudtrail')
    let ct = ctClient(run.nimbus)
    let s3 = s3Client(run.nimbus)
    const Bucket = await trailBucket(s3)
    const { TrailARN } = await ct.send(new CreateTrailCommand({ Name: 'kept', S3BucketName: Bucket, TagsList: [{ Key: 'k', Value: 'v' }] }))
    const selectors = [{ ReadWriteType: 'WriteOnly' as const, IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]
    await ct.send(new PutEventSelectorsCommand({ TrailName: 'kept', EventSelectors: selectors }))
    await ct.send(new StartLoggingCommand({ Name: 'kept' }))
    const sqs = sqsClient(run.nimbus)
    await sqs.send(new CreateQueueCommand({ QueueName: 'before-restart' }))
    sqs.destroy()
    ct.destroy()
    s3.destroy()

    await run.restart()
    // Stored trails load CloudTrail at start: its data-event selectors apply from the first call on.
    assert.equal((run.nimbus.health().cloudtrail as { status: string }).status, 'running')
    ct = ctClient(run.nimbus)
    s3 = s3Client(run.nimbus)
    assert.deepEqual((await ct.send(new ListTrailsCommand({}))).Trails?.map((t) => t.Name), ['kept'])
    assert.deepEqual((await ct.send(new GetEventSelectorsCommand({ TrailName: 'kept' }))).EventSelectors, selectors)
    assert.deepEqual((await ct.send(new ListTagsCommand({ ResourceIdList: [TrailARN!] }))).ResourceTagList?.[0]?.TagsList, [{ Key: 'k', Value: 'v' }])
    assert.equal((await ct.send(new GetTrailStatusCommand({ Name: 'kept' }))).IsLogging, true)
    const history = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateQueue' }] }))
    assert.equal(history.Events?.length, 1)

    // The file clock started before the restart: the records captured then are delivered on it.
    await advance(run.nimbus, 5 * 60_000)
    await settle()
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'AWSLogs/' }))
    assert.equal(listed.Contents?.length, 1)
    const body = await s3.send(new GetObjectCommand({ Bucket, Key: listed.Contents![0]!.Key! }))
    const records = (JSON.parse(gunzipSync(Buffer.from(await body.Body!.transformToByteArray())).toString()) as { Records: { eventName: string }[] }).Records
    assert.deepEqual(records.map((r) => r.eventName), ['StartLogging', 'CreateQueue'])

    run.nimbus.reset()
    ct.destroy()
    s3.destroy()
    await run.restart()
    ct = ctClient(run.nimbus)
    assert.deepEqual((await ct.send(new ListTrailsCommand({}))).Trails, [])
    const after = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateQueue' }] }))
    assert.deepEqual(after.Events, [])
    ct.destroy()
    await run.stop()
  })
})
