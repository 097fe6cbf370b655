// Amazon Data Firehose's "Create a Firehose stream" (DirectPut, extended S3 destination) and the
// PutRecord / PutRecordBatch examples, walked with @aws-sdk/client-firehose on the manual clock:
// DescribeDeliveryStream's shape (CREATING → ACTIVE, VersionId 1, destinationId-000000000001, the
// extended S3 description), the buffer flushed at IntervalInSeconds, records concatenated as sent, the
// object named as AWS's S3 object naming section says (`yyyy/MM/dd/HH/` of the oldest record, UTC,
// then `<stream>-<version>-yyyy-MM-dd-HH-mm-ss-<uuid>`), a GZIP object, and the custom prefix examples
// (a prefix without a timestamp expression still gets `yyyy/MM/dd/HH/`); deleting: DELETING, then gone.
import assert from 'node:assert/strict'
import { gunzipSync } from 'node:zlib'
import { describe, it } from 'node:test'
import {
  CreateDeliveryStreamCommand, DeleteDeliveryStreamCommand, DescribeDeliveryStreamCommand, PutRecordBatchCommand, PutRecordCommand,
} from '@aws-sdk/client-firehose'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { advance, uniqueName, useNimbus } from '../../../helpers/nimbus.ts'
import { sdkError } from '../../../helpers/sdk-error.ts'
import { clients, deliveriesSettled, listKeys, objectBytes, streamToBucket } from '../firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/firehose_delivery_role'
const pad = (n: number) => String(n).padStart(2, '0')
const hourPath = (t: Date) => `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}/${pad(t.getUTCHours())}/`
const stamp = (t: Date) =>
  `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}-${pad(t.getUTCHours())}-${pad(t.getUTCMinutes())}-${pad(t.getUTCSeconds())}`
const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

describe('Firehose tutorial: create a stream to S3, put records, find the object', () => {
  it('describes the stream as the docs show it, and delivers PutRecord + PutRecordBatch in one object at the interval', async () => {
    const { firehose, s3 } = clients(nimbus.current)
    const bucket = uniqueName('tutorial').toLowerCase()
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    const name = uniqueName('my-stream')
    const created = await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name, DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, CompressionFormat: 'UNCOMPRESSED',
      },
    }))
    assert.equal(created.DeliveryStreamARN, `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`)
    const creating = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
    assert.equal(creating.DeliveryStreamStatus, 'CREATING')
    await advance(nimbus.current, 5_000)
    const d = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
    assert.equal(d.DeliveryStreamStatus, 'ACTIVE')
    assert.equal(d.DeliveryStreamType, 'DirectPut')
    assert.equal(d.VersionId, '1')
    assert.ok(d.CreateTimestamp instanceof Date)
    assert.equal(d.HasMoreDestinations, false)
    assert.equal(d.Destinations!.length, 1)
    const dest = d.Destinations![0]!
    assert.equal(dest.DestinationId, 'destinationId-000000000001')
    const ext = dest.ExtendedS3DestinationDescription!
    assert.equal(ext.RoleARN, role)
    assert.equal(ext.BucketARN, `arn:aws:s3:::${bucket}`)
    assert.deepEqual(ext.BufferingHints, { SizeInMBs: 1, IntervalInSeconds: 60 })
    assert.equal(ext.CompressionFormat, 'UNCOMPRESSED')
    assert.deepEqual(ext.EncryptionConfiguration, { NoEncryptionConfig: 'NoEncryption' })
    assert.equal(ext.S3BackupMode, 'Disabled')
    // The S3DestinationDescription AWS answers alongside, for older clients.
    assert.equal(dest.S3DestinationDescription!.BucketARN, `arn:aws:s3:::${bucket}`)

    const first = nimbus.current.clock.now()
    const put = await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from('{"ticker_symbol":"QXZ","sector":"HEALTHCARE","change":-0.05,"price":84.51}\n') } }))
    assert.ok(put.RecordId!.length > 0)
    assert.equal(put.Encrypted, false)
    await advance(nimbus.current, 10_000)
    const batch = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [
      { Data: Buffer.from('{"ticker_symbol":"NGC","sector":"ENERGY","change":4.3,"price":26.72}\n') },
      { Data: Buffer.from('{"ticker_symbol":"WAS","sector":"RETAIL","change":-0.1,"price":10.5}\n') },
    ] }))
    assert.equal(batch.FailedPutCount, 0)
    assert.equal(batch.Encrypted, false)
    assert.equal(batch.RequestResponses!.length, 2)
    for (const r of batch.RequestResponses!) assert.ok(r.RecordId!.length > 0 && r.ErrorCode === undefined)

    // 60 s after the oldest record (not after the last): one object.
    await advance(nimbus.current, 49_000)
    assert.deepEqual(await listKeys(s3, bucket), [])
    await advance(nimbus.current, 1_000)
    await deliveriesSettled(nimbus.current, 1)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    const t = new Date(first)
    assert.match(keys[0]!, new RegExp(`^${hourPath(t)}${name}-1-${stamp(t)}-${uuid}$`))
    assert.equal((await objectBytes(s3, bucket, keys[0]!)).toString(),
      '{"ticker_symbol":"QXZ","sector":"HEALTHCARE","change":-0.05,"price":84.51}\n' +
      '{"ticker_symbol":"NGC","sector":"ENERGY","change":4.3,"price":26.72}\n' +
      '{"ticker_symbol":"WAS","sector":"RETAIL","change":-0.1,"price":10.5}\n')

    // Clean up: the stream is DELETING for a while, then gone.
    await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name }))
    const deleting = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
    assert.equal(deleting.DeliveryStreamStatus, 'DELETING')
    await advance(nimbus.current, 5_000)
    assert.equal((await sdkError(firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })))).name, 'ResourceNotFoundException')
  })

  it('GZIP: the object ends in .gz and gunzips to the records', async () => {
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, CompressionFormat: 'GZIP',
    })
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('a\n') }, { Data: Buffer.from('b\n') }] }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const [key] = await listKeys(s3, bucket)
    assert.match(key!, new RegExp(`^\\d{4}/\\d{2}/\\d{2}/\\d{2}/${name}-1-\\d{4}(-\\d{2}){5}-${uuid}\\.gz$`))
    assert.equal(gunzipSync(await objectBytes(s3, bucket, key!)).toString(), 'a\nb\n')
  })

  it("custom prefixes: the docs' timestamp expressions, and a plain prefix followed by yyyy/MM/dd/HH/", async () => {
    const timestamped = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      Prefix: 'myPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
      ErrorOutputPrefix: 'myFirehoseFailures/!{firehose:error-output-type}/',
    })
    const plain = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, Prefix: 'myPrefix/' })
    const t = new Date(nimbus.current.clock.now())
    for (const s of [timestamped, plain]) await s.firehose.send(new PutRecordCommand({ DeliveryStreamName: s.name, Record: { Data: Buffer.from('x') } }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 2)
    const [a] = await listKeys(timestamped.s3, timestamped.bucket)
    assert.match(a!, new RegExp(`^myPrefix/year=${t.getUTCFullYear()}/month=${pad(t.getUTCMonth() + 1)}/day=${pad(t.getUTCDate())}/hour=${pad(t.getUTCHours())}/${timestamped.name}-1-`))
    const [b] = await listKeys(plain.s3, plain.bucket)
    assert.match(b!, new RegExp(`^myPrefix/${hourPath(t)}${plain.name}-1-`))
  })
})
