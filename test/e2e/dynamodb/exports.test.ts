// Exports to S3 (ExportTableToPointInTime, DescribeExport, ListExports): AWS's object layout in the
// bucket, full and incremental exports, IN_PROGRESS → COMPLETED on the clock, kept across a restart.
import assert from 'node:assert/strict'
import { gunzipSync } from 'node:zlib'
import { describe, it } from 'node:test'
import {
  DeleteItemCommand, DescribeExportCommand, ExportTableToPointInTimeCommand, ListExportsCommand, PutItemCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb'
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3'
import { activeTable, dynamoClient, transitionMs } from '../../helpers/dynamodb.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client, text } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const item = (pk: string, v: string) => ({ pk: { S: pk }, sk: { N: '1' }, v: { S: v } })
const arnOf = (name: string) => `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`

async function bucket(s3: S3Client): Promise<string> {
  const Bucket = bucketName('exp')
  await s3.send(new CreateBucketCommand({ Bucket }))
  return Bucket
}

/** The export's data lines, read back through S3 as a consumer (Athena, Glue) would. */
async function dataLines(s3: S3Client, Bucket: string, dir: string): Promise<unknown[]> {
  const files = (await text((await s3.send(new GetObjectCommand({ Bucket, Key: `${dir}/manifest-files.json` }))).Body)).trim().split('\n')
    .map((l) => JSON.parse(l) as { dataFileS3Key: string; itemCount: number })
  const lines: unknown[] = []
  for (const f of files) {
    const body = await (await s3.send(new GetObjectCommand({ Bucket, Key: f.dataFileS3Key }))).Body!.transformToByteArray()
    const got = gunzipSync(body).toString().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l))
    assert.equal(got.length, f.itemCount)
    lines.push(...got)
  }
  return lines
}

describe('DynamoDB exports to S3', () => {
  it('exports a table in AWS layout, IN_PROGRESS then COMPLETED on the clock', async () => {
    const db = dynamoClient(nimbus.current)
    const s3 = s3Client(nimbus.current)
    const Bucket = await bucket(s3)
    const TableName = await activeTable(nimbus.current, db)
    await db.send(new PutItemCommand({ TableName, Item: item('a', 'one') }))

    // PITR off: refused.
    const off = await sdkError(db.send(new ExportTableToPointInTimeCommand({ TableArn: arnOf(TableName), S3Bucket: Bucket })))
    assert.equal(off.name, 'PointInTimeRecoveryUnavailableException')

    await db.send(new UpdateContinuousBackupsCommand({ TableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
    await db.send(new PutItemCommand({ TableName, Item: item('b', 'two') }))
    const { ExportDescription: started } = await db.send(new ExportTableToPointInTimeCommand({
      TableArn: arnOf(TableName), S3Bucket: Bucket, S3Prefix: 'exports', ClientToken: 'tok-1',
    }))
    assert.equal(started?.ExportStatus, 'IN_PROGRESS')
    assert.equal(started?.ExportType, 'FULL_EXPORT')
    assert.equal(started?.ExportFormat, 'DYNAMODB_JSON')
    assert.match(started!.ExportArn!, new RegExp(`^${arnOf(TableName)}/export/\\d{14}-[0-9a-f]{8}$`))
    const id = started!.ExportArn!.slice(started!.ExportArn!.lastIndexOf('/') + 1)
    // The same ClientToken answers the same export.
    const again = await db.send(new ExportTableToPointInTimeCommand({ TableArn: arnOf(TableName), S3Bucket: Bucket, S3Prefix: 'exports', ClientToken: 'tok-1' }))
    assert.equal(again.ExportDescription?.ExportArn, started!.ExportArn)

    await advance(nimbus.current, transitionMs)
    const { ExportDescription: done } = await db.send(new DescribeExportCommand({ ExportArn: started!.ExportArn! }))
    assert.equal(done?.ExportStatus, 'COMPLETED')
    assert.equal(done?.ItemCount, 2)
    assert.equal(done?.ExportManifest, `exports/AWSDynamoDB/${id}/manifest-summary.json`)

    const keys = (await s3.send(new ListObjectsV2Command({ Bucket }))).Contents!.map((o) => o.Key!).sort()
    const dir = `exports/AWSDynamoDB/${id}`
    for (const k of ['_started', 'manifest-files.json', 'manifest-files.checksum', 'manifest-summary.json', 'manifest-summary.checksum']) {
      assert.ok(keys.includes(`${dir}/${k}`), k)
    }
    assert.ok(keys.some((k) => new RegExp(`^${dir}/data/[a-z0-9]+\\.json\\.gz$`).test(k)))
    const summary = JSON.parse(await text((await s3.send(new GetObjectCommand({ Bucket, Key: `${dir}/manifest-summary.json` }))).Body))
    assert.equal(summary.exportArn, started!.ExportArn)
    assert.equal(summary.itemCount, 2)
    assert.equal(summary.outputFormat, 'DYNAMODB_JSON')
    assert.equal(summary.manifestFilesS3Key, `${dir}/manifest-files.json`)
    const lines = await dataLines(s3, Bucket, dir)
    assert.deepEqual(lines.map((l) => (l as { Item: { pk: { S: string } } }).Item.pk.S).sort(), ['a', 'b'])
    assert.deepEqual((lines[0] as { Item: object }).Item, (lines[0] as { Item: { pk: { S: string } } }).Item.pk.S === 'a' ? item('a', 'one') : item('b', 'two'))

    const listed = await db.send(new ListExportsCommand({ TableArn: arnOf(TableName) }))
    assert.deepEqual(listed.ExportSummaries?.map((e) => [e.ExportArn, e.ExportStatus, e.ExportType]), [[started!.ExportArn, 'COMPLETED', 'FULL_EXPORT']])
    assert.equal((await sdkError(db.send(new DescribeExportCommand({ ExportArn: `${started!.ExportArn}0` })))).name, 'ExportNotFoundException')
    db.destroy()
    s3.destroy()
  })

  it('exports at an earlier instant, and the changes of a window incrementally', async () => {
    const db = dynamoClient(nimbus.current)
    const s3 = s3Client(nimbus.current)
    const Bucket = await bucket(s3)
    const TableName = await activeTable(nimbus.current, db)
    await db.send(new PutItemCommand({ TableName, Item: item('old', '1') }))
    await db.send(new PutItemCommand({ TableName, Item: item('gone', '1') }))
    await db.send(new UpdateContinuousBackupsCommand({ TableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
    const from = nimbus.current.clock.now()
    await advance(nimbus.current, 60_000)
    await db.send(new PutItemCommand({ TableName, Item: item('old', '2') }))
    await db.send(new DeleteItemCommand({ TableName, Key: { pk: { S: 'gone' }, sk: { N: '1' } } }))
    await db.send(new PutItemCommand({ TableName, Item: item('new', '1') }))
    await advance(nimbus.current, 20 * 60_000)

    const full = await db.send(new ExportTableToPointInTimeCommand({ TableArn: arnOf(TableName), S3Bucket: Bucket, ExportTime: new Date(from) }))
    const fullDir = `AWSDynamoDB/${full.ExportDescription!.ExportArn!.split('/').pop()}`
    const fullLines = await dataLines(s3, Bucket, fullDir) as { Item: { pk: { S: string }; v: { S: string } } }[]
    assert.deepEqual(fullLines.map((l) => `${l.Item.pk.S}=${l.Item.v.S}`).sort(), ['gone=1', 'old=1'])

    const inc = await db.send(new ExportTableToPointInTimeCommand({ TableArn: arnOf(TableName), S3Bucket: Bucket, ExportType: 'INCREMENTAL_EXPORT',
      IncrementalExportSpecification: { ExportFromTime: new Date(from), ExportToTime: new Date(from + 16 * 60_000) } }))
    assert.equal(inc.ExportDescription?.IncrementalExportSpecification?.ExportViewType, 'NEW_AND_OLD_IMAGES')
    const incDir = `AWSDynamoDB/${inc.ExportDescription!.ExportArn!.split('/').pop()}`
    type Change = { Keys: { pk: { S: string } }; NewImage?: { v: { S: string } }; OldImage?: { v: { S: string } }; Metadata: { WriteTimestampMicros: { N: string } } }
    const changes = (await dataLines(s3, Bucket, incDir) as Change[]).sort((a, b) => (a.Keys.pk.S < b.Keys.pk.S ? -1 : 1))
    assert.deepEqual(changes.map((c) => [c.Keys.pk.S, c.OldImage?.v.S, c.NewImage?.v.S]), [['gone', '1', undefined], ['new', undefined, '1'], ['old', '1', '2']])
    assert.equal(changes[0]!.Metadata.WriteTimestampMicros.N, String((from + 60_000) * 1000))
    const summary = JSON.parse(await text((await s3.send(new GetObjectCommand({ Bucket, Key: `${incDir}/manifest-summary.json` }))).Body))
    assert.equal(summary.exportType, 'INCREMENTAL_EXPORT')

    // A window under 15 minutes, or reaching before PITR was on, is refused.
    const short = await sdkError(db.send(new ExportTableToPointInTimeCommand({ TableArn: arnOf(TableName), S3Bucket: Bucket, ExportType: 'INCREMENTAL_EXPORT',
      IncrementalExportSpecification: { ExportFromTime: new Date(from), ExportToTime: new Date(from + 60_000) } })))
    assert.equal(short.name, 'InvalidExportTimeException')
    const early = await sdkError(db.send(new ExportTableToPointInTimeCommand({ TableArn: arnOf(TableName), S3Bucket: Bucket, ExportTime: new Date(from - 1) })))
    assert.equal(early.name, 'InvalidExportTimeException')
    // A missing bucket: the export is FAILED.
    const failed = await db.send(new ExportTableToPointInTimeCommand({ TableArn: arnOf(TableName), S3Bucket: 'no-such-bucket-here' }))
    assert.equal(failed.ExportDescription?.ExportStatus, 'FAILED')
    assert.equal(failed.ExportDescription?.FailureCode, 'S3NoSuchBucket')
    db.destroy()
    s3.destroy()
  })

  it('keeps exports across a restart', async () => {
    const n = await durableNimbus('dynamodb-exports')
    let db = dynamoClient(n.nimbus)
    const s3 = s3Client(n.nimbus)
    const Bucket = await bucket(s3)
    s3.destroy()
    const TableName = await activeTable(n.nimbus, db)
    await db.send(new UpdateContinuousBackupsCommand({ TableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
    await db.send(new PutItemCommand({ TableName, Item: item('kept', '1') }))
    const { ExportDescription } = await db.send(new ExportTableToPointInTimeCommand({ TableArn: arnOf(TableName), S3Bucket: Bucket }))
    db.destroy()
    await n.restart()
    db = dynamoClient(n.nimbus)
    await advance(n.nimbus, transitionMs)
    const described = await db.send(new DescribeExportCommand({ ExportArn: ExportDescription!.ExportArn! }))
    assert.equal(described.ExportDescription?.ExportStatus, 'COMPLETED')
    assert.equal(described.ExportDescription?.ItemCount, 1)
    db.destroy()
    await n.stop()
  })
})
