// Trail log files: what a logging trail records lands in its bucket about every 5 minutes of clock
// as a gzipped {"Records":[…]} object at AWS's key; management events by default, data events only
// as the selectors say; nothing after StopLogging; delivery status in GetTrailStatus.
import assert from 'node:assert/strict'
import { gunzipSync } from 'node:zlib'
import { describe, it } from 'node:test'
import {
  CreateTrailCommand, DeleteTrailCommand, GetTrailStatusCommand, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3'
import { CreateQueueCommand } from '@aws-sdk/client-sqs'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { settle } from '../../helpers/function-log.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { s3Client } from '../../helpers/s3.ts'
import { sqsClient } from '../eventbridge/fixtures.ts'
import { account, ctClient, trailBucket } from './fixtures.ts'

const nimbus = useNimbus()
const fiveMinutes = 5 * 60_000

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function logRecords(s3: S3Client, Bucket: string): Promise<{ keys: string[]; records: any[] }> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'audit/AWSLogs/' }))
  const keys = (listed.Contents ?? []).map((o) => o.Key!)
  const records = []
  for (const Key of keys) {
    const object = await s3.send(new GetObjectCommand({ Bucket, Key }))
    const body = Buffer.from(await object.Body!.transformToByteArray())
    records.push(...(JSON.parse(gunzipSync(body).toString('utf8')) as { Records: unknown[] }).Records)
  }
  return { keys, records }
}

describe('CloudTrail log files', () => {
  it('delivers management and selected data events to the bucket every 5 minutes', async () => {
    const ct = ctClient(nimbus.current)
    const s3 = s3Client(nimbus.current)
    const db = dynamoClient(nimbus.current)
    const sqs = sqsClient(nimbus.current)
    const Bucket = await trailBucket(s3, 'audit')
    const watched = await activeTable(nimbus.current, db)
    const other = await activeTable(nimbus.current, db)
    await ct.send(new CreateTrailCommand({ Name: 'files', S3BucketName: Bucket, S3KeyPrefix: 'audit' }))
    await ct.send(new PutEventSelectorsCommand({ TrailName: 'files', AdvancedEventSelectors: [
      { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] },
      { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
        { Field: 'resources.ARN', Equals: [`arn:aws:dynamodb:us-east-1:${account}:table/${watched}`] }] },
    ] }))
    await ct.send(new StartLoggingCommand({ Name: 'files' }))
    const QueueName = uniqueName('logged')
    await sqs.send(new CreateQueueCommand({ QueueName }))
    await db.send(new PutItemCommand({ TableName: watched, Item: { pk: { S: 'a' }, sk: { N: '1' } } }))
    await db.send(new PutItemCommand({ TableName: other, Item: { pk: { S: 'a' }, sk: { N: '1' } } }))
    await advance(nimbus.current, fiveMinutes - 1_000)
    assert.deepEqual((await logRecords(s3, Bucket)).keys, [])
    await advance(nimbus.current, 1_000)
    await settle()

    const { keys, records } = await logRecords(s3, Bucket)
    assert.equal(keys.length, 1)
    assert.match(keys[0]!, new RegExp(`^audit/AWSLogs/${account}/CloudTrail/us-east-1/\\d{4}/\\d\\d/\\d\\d/${account}_CloudTrail_us-east-1_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`))
    // StartLogging itself is the trail's first record (the call is logged once it has succeeded).
    assert.deepEqual(records.map((r) => r.eventName), ['StartLogging', 'CreateQueue', 'PutItem'])
    const [, created, put] = records
    assert.equal(created.managementEvent, true)
    assert.equal(put.managementEvent, false)
    assert.equal(put.eventCategory, 'Data')
    assert.equal(put.readOnly, false)
    assert.deepEqual(put.resources, [{ accountId: account, type: 'AWS::DynamoDB::Table', ARN: `arn:aws:dynamodb:us-east-1:${account}:table/${watched}` }])
    assert.equal(put.requestParameters.tableName, watched)
    const status = await ct.send(new GetTrailStatusCommand({ Name: 'files' }))
    assert.equal(status.LatestDeliveryTime?.getTime(), nimbus.current.clock.now())
    assert.equal(status.LatestDeliveryError, undefined)

    // Stopped: nothing more is recorded.
    await ct.send(new StopLoggingCommand({ Name: 'files' }))
    await db.send(new PutItemCommand({ TableName: watched, Item: { pk: { S: 'b' }, sk: { N: '1' } } }))
    await advance(nimbus.current, 2 * fiveMinutes)
    await settle()
    assert.equal((await logRecords(s3, Bucket)).keys.length, 1)
    await ct.send(new DeleteTrailCommand({ Name: 'files' }))
    for (const client of [ct, s3, db, sqs]) client.destroy()
  })
})
